"""Opening a personal link: the invitation of an RSVP token, the delegate of a pass. Every delegate page goes
through here, whichever feature draws it (the answer, the pass, the program, the documents, the list of
speakers). The secret is always looked up first: a correct link always opens. A real link that was withdrawn
says so with the contact (410); anything else is a miss, counted (eventapp.ratelimit.wrong_secret), and gets the
same friendly 404 as a mistyped link, which reveals nothing, or, while an address (or many) guesses too fast,
the 429 page with how long to wait."""

from flask import abort

from ..ratelimit import wrong_secret
from ..web import render
from . import services


def not_found(kind: str, secret: str):
    """The answer to a link that does not open (``kind`` "rsvp" or "pass")."""
    why = services.withdrawn(kind, secret)
    if why is not None:
        return render("rsvp/withdrawn.html", status=410, withdrawn=why, conference=why.conference,
                      contact=services.contact_line(why.conference))
    wait = wrong_secret(kind)
    if wait:
        response = render("rsvp/too_many.html", status=429)
        response.headers["Retry-After"] = str(wait)
        return response
    return render("rsvp/not_found.html", status=404)


def invitation_of(token: str):
    """The invitation of an RSVP token, or abort with the 410, 404 or 429 page."""
    invitation = services.find_invitation(token)
    if invitation is None:
        abort(not_found("rsvp", token))
    return invitation


def delegate_of_pass(pass_code: str):
    """The delegate holding a pass, or abort with the 410, 404 or 429 page."""
    delegate = services.find_pass(pass_code)
    if delegate is None:
        abort(not_found("pass", pass_code))
    return delegate
