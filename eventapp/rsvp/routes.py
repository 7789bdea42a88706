"""The delegate's own pages, opened by a personal link without an account: the answer and the pass."""

from flask import abort, request, url_for

from ..access import public
from ..qr import qr_response
from ..ratelimit import wrong_secret
from ..web import done, form_page, render, submitted
from . import bp, services
from .forms import AnswerForm

#: Empty delegate rows shown to an agency (never more than its seats).
MIN_PERSON_ROWS = 5


def _not_found(kind: str):
    """The same friendly page for an unknown, malformed or withdrawn secret: it reveals nothing. The miss is
    counted; an address (or many) guessing too fast gets the 429 page instead, with how long to wait."""
    wait = wrong_secret(kind)
    if wait:
        response = render("rsvp/too_many.html", status=429)
        response.headers["Retry-After"] = str(wait)
        return response
    return render("rsvp/not_found.html", status=404)


def _form_for(invitation):
    """The answer form, prefilled from the current answer on GET."""
    form = AnswerForm()
    if request.method == "GET":
        current = services.attending_delegates(invitation)
        if invitation.status == "declined":
            form.choice.data = "decline"
            form.decline_reason.data = invitation.decline_reason
        elif invitation.status == "attending":
            substitute = next((d for d in current if d.kind == "substitute"), None)
            form.choice.data = "substitute" if substitute else "attend"
            if substitute:
                form.substitute.form.process(obj=substitute)
        if invitation.kind == "agency":
            form.choice.data = form.choice.data if form.choice.data in {"attend", "decline"} else None
            while len(form.people):
                form.people.pop_entry()
            for delegate in current:
                form.people.append_entry(delegate)
    # An agency with many seats gets a few empty rows at a time, not hundreds: saving adds more.
    rows = min(invitation.seats, max(len(form.people) + 3, MIN_PERSON_ROWS))
    while len(form.people) < rows:
        form.people.append_entry()
    return form


def _answer_from(form, invitation) -> services.Answer:
    choice = form.choice.data
    if choice == "substitute":
        sub = form.substitute.form
        people = [services.Person("substitute", sub.full_name.data, sub.position.data, sub.phone.data,
                                  sub.email.data)]
    else:
        people = [services.Person("named", entry.form.full_name.data, entry.form.position.data,
                                  entry.form.phone.data, entry.form.email.data) for entry in form.people]
    return services.Answer(choice, form.decline_reason.data or "", people)


@bp.route("/moi/<token>", methods=["GET", "POST"])
@public
def respond(token: str):
    """The delegate's page: the conference, the agenda, and the answer (until the deadline)."""
    invitation = services.find_invitation(token)
    if invitation is None:
        return _not_found("rsvp")
    form = _form_for(invitation)
    if submitted(form, lambda status: _respond_page(invitation, form, status)):
        services.submit_answer(invitation, _answer_from(form, invitation))
        return done("Đã ghi nhận câu trả lời. Cảm ơn anh/chị!" if invitation.status == "attending"
                    else "Đã ghi nhận: anh/chị không tham dự. Cảm ơn anh/chị đã báo lại.",
                    url_for("rsvp.respond", token=token))
    return form_page()


def _respond_page(invitation, form, status: int):
    conference = invitation.conference
    response = render(
        "rsvp/respond.html",
        status=status,
        invitation=invitation,
        conference=conference,
        form=form,
        is_open=services.answers_open(conference),
        deadline=services.answer_deadline(conference),
        agenda=services.published_agenda(conference),
        delegates=services.attending_delegates(invitation),
        contact=services.contact_line(conference),
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _delegate_of_pass(pass_code: str):
    """The delegate holding a pass, or abort with the friendly 404 page (429 while guessing too fast)."""
    delegate = services.find_pass(pass_code)
    if delegate is None:
        abort(_not_found("pass"))
    return delegate


@bp.route("/the/<pass_code>")
@public
def pass_page(pass_code: str):
    """A delegate's pass: who they are and the QR code the reception desk scans. No way to the answer."""
    delegate = _delegate_of_pass(pass_code)
    response = render("rsvp/pass.html", delegate=delegate, conference=delegate.conference,
                      qr_text=services.pass_qr_text(delegate), contact=services.contact_line(delegate.conference))
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/the/<pass_code>/qr.png")
@public
def pass_qr(pass_code: str):
    """The QR image of a pass (cached by the browser; an ETag answers repeat requests)."""
    delegate = _delegate_of_pass(pass_code)
    return qr_response(services.pass_qr_text(delegate), box_size=10, filename="the-dai-bieu.png")
