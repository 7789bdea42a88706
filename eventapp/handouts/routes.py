"""Conference documents: the organizer's page, the delegate's list from the pass, the public page."""

from __future__ import annotations

from flask import abort, g, request, send_file, url_for

from .. import uploads, vntime
from ..access import ORGANIZERS, public, roles
from ..extensions import db
from ..forms import EmptyForm
from ..hall.speakers import hall_of
from ..models import Handout
from ..rsvp.links import delegate_of_pass
from ..rsvp.services import published_agenda
from ..web import done, failed, form_page, public_url, render, submitted
from ..workspace import in_conference, tab
from . import bp, services
from .forms import AudienceForm, PapersForm, ProgramForm, UploadForm


def _index_page(status: int = 200, upload_form: UploadForm | None = None):
    conference = g.conference
    handouts = services.handouts_of(conference)
    program_form = ProgramForm(program_public=hall_of(conference).program_public)
    return render("handouts/index.html", status=status, handouts=handouts,
                  forms={h.id: _audience_form(h) for h in handouts}, upload_form=upload_form or UploadForm(),
                  papers_form=PapersForm(), program_form=program_form, file_of=services.file_of,
                  unpublished=services.unpublished_papers(conference), action_form=EmptyForm(),
                  public_link=public_url("handouts.public_page", conference_id=conference.id))


def _audience_form(handout: Handout) -> AudienceForm:
    form = AudienceForm(prefix=f"h{handout.id}", title=handout.title, audience=handout.audience)
    if handout.visible_from is not None:
        local = vntime.to_local(handout.visible_from)
        form.from_date.data, form.from_time.data = local.date(), local.time()
    return form


@bp.route("/hoi-nghi/<int:conference_id>/tai-lieu")
@roles(ORGANIZERS)
@tab("Tài liệu", order=70)
def index():
    """The documents delegates read from their pass: accepted papers and uploaded files, each public, for
    delegates only or not yet, from a moment; and whether the program is public."""
    return _index_page()


@bp.route("/hoi-nghi/<int:conference_id>/tai-lieu/tai-len", methods=["POST"])
@roles(ORGANIZERS)
def upload():
    """Upload a document (a report, the printed program) and publish it."""
    form = UploadForm()
    if submitted(form, lambda status: _index_page(status, upload_form=form)):
        handout = services.upload_handout(g.conference, form.file.data, form.title.data, form.description.data,
                                          form.audience.data, form.visible_from())
        return done(f"Đã tải lên «{handout.title}».", url_for("handouts.index"))
    return form_page()


@bp.route("/hoi-nghi/<int:conference_id>/tai-lieu/tham-luan", methods=["POST"])
@roles(ORGANIZERS)
def publish_papers():
    """Publish every accepted paper not yet among the documents."""
    form = PapersForm()
    if not form.validate_on_submit():
        return failed("Phạm vi công bố không hợp lệ.", url_for("handouts.index"))
    count = services.publish_papers(g.conference, form.audience.data)
    if not count:
        return done("Không có tham luận đã duyệt nào chưa công bố.", url_for("handouts.index"), category="info")
    return done(f"Đã công bố {count} tham luận.", url_for("handouts.index"))


@bp.route("/hoi-nghi/<int:conference_id>/tai-lieu/<int:handout_id>", methods=["POST"])
@roles(ORGANIZERS)
def update(handout_id: int):
    """Change a document's title, who reads it and from when."""
    handout = in_conference(Handout, handout_id)
    form = AudienceForm(prefix=f"h{handout.id}")
    if not form.validate_on_submit():
        return failed(form.error_text(), url_for("handouts.index"))
    services.update_handout(handout, form.title.data, form.audience.data, form.visible_from())
    return done(f"Đã lưu «{handout.title}».", url_for("handouts.index"))


@bp.route("/hoi-nghi/<int:conference_id>/tai-lieu/<int:handout_id>/chuyen", methods=["POST"])
@roles(ORGANIZERS)
def move(handout_id: int):
    """Move a document up or down the list."""
    handout = in_conference(Handout, handout_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.move_handout(handout, "up" if request.form.get("direction") == "up" else "down")
    return done("Đã đổi thứ tự.", url_for("handouts.index"))


@bp.route("/hoi-nghi/<int:conference_id>/tai-lieu/<int:handout_id>/xoa", methods=["POST"])
@roles(ORGANIZERS)
def delete(handout_id: int):
    """Take a document off the delegates' list."""
    handout = in_conference(Handout, handout_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.delete_handout(handout)
    return done("Đã gỡ tài liệu.", url_for("handouts.index"))


@bp.route("/hoi-nghi/<int:conference_id>/tai-lieu/chuong-trinh", methods=["POST"])
@roles(ORGANIZERS)
def program():
    """Whether the published program is public or for delegates only."""
    form = ProgramForm()
    if not form.validate_on_submit():
        abort(400)
    services.set_program_public(g.conference, bool(form.program_public.data))
    return done("Đã lưu phạm vi công bố chương trình.", url_for("handouts.index"))


@bp.route("/hoi-nghi/<int:conference_id>/tai-lieu/<int:handout_id>/tep")
@roles(ORGANIZERS)
def download(handout_id: int):
    """The file of a document, as delegates get it."""
    return _send(in_conference(Handout, handout_id))


def _send(handout: Handout):
    """A document's file: a PDF opens in the phone's viewer, Word and PowerPoint files download."""
    found = services.file_of(handout)
    if found is None:
        abort(404)
    try:
        path = uploads.stored_path(found.stored_name)
    except FileNotFoundError:
        abort(404)
    if not path.is_file():
        abort(404)
    inline = found.content_type == "application/pdf"
    response = send_file(path, mimetype=found.content_type, as_attachment=not inline,
                         download_name=uploads.safe_filename(found.name), max_age=0, conditional=True)
    if inline:
        # A PDF shown by the browser's own viewer: no script of ours runs in it, and Chromium's viewer is an
        # embedded object that the site-wide policy (object-src 'none') would block.
        response.headers["Content-Security-Policy"] = "default-src 'none'; object-src 'self'; frame-ancestors 'none'"
    response.headers["Cache-Control"] = "private, no-cache"
    return response


# --- the delegate's and the public's pages ---------------------------------------------------------------

@bp.route("/the/<pass_code>/tai-lieu")
@public
def delegate_list(pass_code: str):
    """The conference documents from the pass: those for delegates and the public ones, from their moment."""
    delegate = delegate_of_pass(pass_code)
    conference = delegate.conference
    response = render("handouts/delegate.html", delegate=delegate, conference=conference,
                      handouts=services.delegate_handouts(conference), file_of=services.file_of,
                      file_url=lambda h: url_for("handouts.delegate_file", pass_code=pass_code, handout_id=h.id))
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/the/<pass_code>/tai-lieu/<int:handout_id>")
@public
def delegate_file(pass_code: str, handout_id: int):
    """A document's file, for a delegate (404 when it is not, or not yet, theirs to read)."""
    delegate = delegate_of_pass(pass_code)
    handout = db.session.get(Handout, handout_id)
    if handout is None or handout.conference_id != delegate.conference_id or not handout.visible_to(delegate=True):
        abort(404)
    return _send(handout)


@bp.route("/cong-khai/<int:conference_id>")
@public
def public_page():
    """The conference's public page: the program when public, and the public documents; 404 when nothing of
    the conference is public (it then reveals nothing, not even that it exists)."""
    conference = g.conference
    handouts = services.public_handouts(conference)
    show_program = services.program_visible(conference, delegate=False)
    if not handouts and not show_program:
        abort(404)
    return render("handouts/public.html", handouts=handouts, file_of=services.file_of,
                  file_url=lambda h: url_for("handouts.public_file", handout_id=h.id),
                  agenda=published_agenda(conference) if show_program else [])


@bp.route("/cong-khai/<int:conference_id>/tai-lieu/<int:handout_id>")
@public
def public_file(handout_id: int):
    """A public document's file."""
    handout = in_conference(Handout, handout_id)
    if not handout.visible_to(delegate=False):
        abort(404)
    return _send(handout)
