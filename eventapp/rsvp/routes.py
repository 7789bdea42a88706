"""The delegate's own pages, opened by a personal link without an account: the answer, the pass (to keep as
an image or in the calendar, and offline), and the program."""

from pathlib import Path

from flask import Response, redirect, request, send_file, url_for

from ..access import public
from ..qr import qr_response
from ..web import done, form_page, host_agency, public_url, render, submitted
from . import bp, keepsakes, services
from .forms import AnswerForm
from .links import delegate_of_pass, invitation_of, not_found

ICS = "text/calendar; charset=utf-8"

#: Empty delegate rows shown to an agency (never more than its seats).
MIN_PERSON_ROWS = 5


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
        return not_found("rsvp", token)
    form = _form_for(invitation)
    if submitted(form, lambda status: _respond_page(invitation, form, status)):
        services.submit_answer(invitation, _answer_from(form, invitation))
        return done("Đã ghi nhận câu trả lời. Cảm ơn anh/chị!" if invitation.status == "attending"
                    else "Đã ghi nhận: anh/chị không tham dự. Cảm ơn anh/chị đã báo lại.",
                    url_for("rsvp.respond", token=token))
    return form_page()


@bp.route("/m/<code>")
@public
def short_link(code: str):
    """The short link typed from a printed letter: on to the invitation's own RSVP link (a wrong code is counted
    as a wrong RSVP link)."""
    invitation = services.find_short_code(code)
    if invitation is None:
        return not_found("rsvp", code)
    return redirect(url_for("rsvp.respond", token=invitation.rsvp_token), 302)


def _respond_page(invitation, form, status: int):
    conference = invitation.conference
    response = render(
        "rsvp/respond.html",
        status=status,
        invitation=invitation,
        conference=conference,
        form=form,
        is_open=services.answers_open(conference),
        delivery=services.pass_delivery(invitation, services.attending_delegates(invitation)),
        deadline=services.answer_deadline(conference),
        agenda=services.published_agenda(conference),
        delegates=services.attending_delegates(invitation),
        contact=services.contact_line(conference),
        share_image=public_url("rsvp.invitation_share_image", token=invitation.rsvp_token),
        share_url=public_url("rsvp.respond", token=invitation.rsvp_token),
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _private(response: Response) -> Response:
    """A delegate's page: never kept by a shared cache (the service worker keeps it on the phone)."""
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/the/<pass_code>")
@public
def pass_page(pass_code: str):
    """A delegate's pass: who they are and the QR code the reception desk scans; to save, to add to the
    calendar, to share; the way to the program, the documents and the list of speakers. No way to the answer."""
    delegate = delegate_of_pass(pass_code)
    conference = delegate.conference
    return _private(render(
        "rsvp/pass.html", delegate=delegate, conference=conference, qr_text=services.pass_qr_text(delegate),
        contact=services.contact_line(conference), pass_url=services.pass_url(delegate),
        share_image=public_url("rsvp.pass_share_image", pass_code=pass_code), links=services.pass_links(delegate)))


@bp.route("/the/<pass_code>/qr.png")
@public
def pass_qr(pass_code: str):
    """The QR image of a pass (cached by the browser; an ETag answers repeat requests)."""
    delegate = delegate_of_pass(pass_code)
    return qr_response(services.pass_qr_text(delegate), box_size=10, filename="the-dai-bieu.png")


@bp.route("/the/<pass_code>/the-dai-bieu.png")
@public
def pass_card(pass_code: str):
    """«Lưu thẻ»: the pass as an image to keep in the phone's gallery, shown at the desk without network."""
    delegate = delegate_of_pass(pass_code)
    image = keepsakes.pass_card_png(delegate, services.pass_qr_text(delegate), host_agency())
    response = Response(image, mimetype="image/png")
    response.headers.set("Content-Disposition", "attachment", filename="the-dai-bieu.png")
    return _private(response)


@bp.route("/the/<pass_code>/lich.ics")
@public
def pass_calendar(pass_code: str):
    """The conference as a calendar event (time, place, the pass and RSVP links), for the phone's calendar."""
    delegate = delegate_of_pass(pass_code)
    conference = delegate.conference
    return _calendar(conference, f"dai-bieu-{delegate.id}", services.calendar_links(delegate))


@bp.route("/moi/<token>/lich.ics")
@public
def invitation_calendar(token: str):
    """The conference as a calendar event, from the invitation's page (before any pass exists)."""
    invitation = invitation_of(token)
    conference = invitation.conference
    return _calendar(conference, f"loi-moi-{invitation.id}", services.calendar_links(invitation=invitation))


def _calendar(conference, whose: str, links: list[tuple[str, str]]):
    """The .ics of the conference; its event's UID names ``whose`` it is, so downloading again updates it."""
    data = keepsakes.calendar_file(conference, f"hoi-nghi-{conference.id}-{whose}@eventapp", links,
                                   services.contact_line(conference))
    response = Response(data, mimetype="text/calendar")
    response.headers["Content-Type"] = ICS
    response.headers.set("Content-Disposition", "attachment", filename="hoi-nghi.ics")
    return _private(response)


def _share_image(conference):
    response = Response(keepsakes.share_image_png(conference, host_agency()), mimetype="image/png")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@bp.route("/the/<pass_code>/anh-chia-se.png")
@public
def pass_share_image(pass_code: str):
    """The picture Zalo or Messenger shows for a shared pass link: the conference only, not the delegate."""
    return _share_image(delegate_of_pass(pass_code).conference)


@bp.route("/moi/<token>/anh-chia-se.png")
@public
def invitation_share_image(token: str):
    """The picture of a shared invitation link: the conference only."""
    return _share_image(invitation_of(token).conference)


@bp.route("/the/<pass_code>/chuong-trinh")
@public
def program(pass_code: str):
    """The program from the pass, readable on a phone and kept for offline use after the first visit."""
    delegate = delegate_of_pass(pass_code)
    conference = delegate.conference
    agenda = services.published_agenda(conference)
    return _private(render("rsvp/program.html", delegate=delegate, conference=conference, agenda=agenda))


SERVICE_WORKER = Path(__file__).resolve().parent.parent.parent / "static" / "js" / "delegate-sw.js"


@bp.route("/the/sw.js")
@public
def service_worker():
    """The delegate pages' service worker, served from /the/ so that its scope is the delegate's pages only
    (the reception desk's own worker lives elsewhere)."""
    response = send_file(SERVICE_WORKER, mimetype="text/javascript", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response
