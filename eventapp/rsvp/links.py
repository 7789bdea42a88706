"""Opening a personal link: the invitation of an RSVP token, the delegate of a pass. Every delegate page goes
through here, whichever feature draws it (the answer, the pass, the program, the documents, the list of
speakers): too many wrong links from one address answer 429; a real link that was withdrawn says so with the
contact (410); anything else gets the same friendly 404 as a mistyped link, which reveals nothing."""

from flask import abort, request

from ..ratelimit import record_token_miss, token_lookups_blocked
from ..web import render
from . import services


def limited():
    """The 429 page when this address has tried too many wrong links in the last minute, else None."""
    if not token_lookups_blocked(request.remote_addr or "?"):
        return None
    response = render("rsvp/too_many.html", status=429)
    response.headers["Retry-After"] = "60"
    return response


def not_found(kind: str, secret: str):
    """A link that does not open: when it is a real one that was withdrawn, a page that says so with the
    contact (410); for anything else the same friendly page, which reveals nothing (404)."""
    why = services.withdrawn(kind, secret)
    if why is not None:
        return render("rsvp/withdrawn.html", status=410, withdrawn=why, conference=why.conference,
                      contact=services.contact_line(why.conference))
    record_token_miss(request.remote_addr or "?")
    return render("rsvp/not_found.html", status=404)


def invitation_of(token: str):
    """The invitation of an RSVP token, or abort with the 429, 410 or 404 page."""
    blocked = limited()
    if blocked:
        abort(blocked)
    invitation = services.find_invitation(token)
    if invitation is None:
        abort(not_found("rsvp", token))
    return invitation


def delegate_of_pass(pass_code: str):
    """The delegate holding a pass, or abort with the 429, 410 or 404 page."""
    blocked = limited()
    if blocked:
        abort(blocked)
    delegate = services.find_pass(pass_code)
    if delegate is None:
        abort(not_found("pass", pass_code))
    return delegate
