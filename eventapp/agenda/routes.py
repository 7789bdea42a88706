"""HTTP for the agenda: the editor (htmx with a no-JS fallback), publishing and the printable programme."""

from __future__ import annotations

from flask import abort, g, request, url_for

from ..access import ORGANIZERS, roles
from ..errors import UserError
from ..issuer import issued_document, letterhead_for, place_and_date
from ..models import AgendaItem, AgendaKind
from ..web import done, form_page, on_refusal, render, submitted
from ..workspace import in_conference, tab
from . import bp, services
from .forms import AgendaItemForm


def _item_form(item: AgendaItem | None = None) -> AgendaItemForm:
    form = AgendaItemForm(obj=item)
    papers = services.accepted_papers(g.conference.id)
    form.paper_id.choices = [(0, "— Không —")] + [
        (p.id, f"{p.speaker_name}: {p.title or p.topic}"[:150]) for p in papers
    ]
    if item is None and request.method == "GET":
        form.duration_minutes.data = services.DEFAULT_MINUTES[AgendaKind.REPORT]
    if item is not None and request.method == "GET":
        form.paper_id.data = item.paper_id or 0
    return form


def _page(status: int = 200, form=None, block: str | None = "agenda"):
    conference = g.conference
    return render(
        "agenda/index.html",
        block=block,
        agenda=services.compute(conference),
        form=form or _item_form(),
        unscheduled=services.unscheduled_papers(conference.id),
        default_minutes={k.value: v for k, v in services.DEFAULT_MINUTES.items()},
        status=status,
    )


def _agenda_url() -> str:
    return url_for("agenda.index", _anchor="agenda-block")


def _changed(message: str):
    """An agenda change done: htmx gets the agenda fragment back, a plain form a 303 to the page."""
    return done(message, _agenda_url(), _page)


@bp.route("")
@roles(ORGANIZERS)
@tab("Chương trình", order=40)
def index():
    """The agenda with computed times and warnings, the form to add an item, the accepted papers to place."""
    return _page(block=None)


@bp.route("/them", methods=["POST"])
@roles(ORGANIZERS)
def add():
    """Add an item at the end of the agenda."""
    form = _item_form()
    if not submitted(form, lambda status: _page(status, form=form, block=None)):
        return form_page()
    item = services.save_item(g.conference, form.data)
    return done(f"Đã thêm «{item.title}» vào chương trình.", _agenda_url())


@bp.route("/<int:item_id>/sua", methods=["GET", "POST"])
@roles(ORGANIZERS)
def edit(item_id: int):
    """Edit one item."""
    item = in_conference(AgendaItem, item_id)
    form = _item_form(item)
    if submitted(form, lambda status: render("agenda/edit.html", item=item, form=form, status=status)):
        services.save_item(g.conference, form.data, item)
        return done("Đã lưu mục chương trình.", _agenda_url())
    return form_page()


@bp.route("/<int:item_id>/xoa", methods=["POST"])
@roles(ORGANIZERS)
def delete(item_id: int):
    """Remove an item; the times after it move up."""
    item = in_conference(AgendaItem, item_id)
    services.delete_item(g.conference, item)
    return _changed("Đã xóa mục khỏi chương trình.")


@bp.route("/<int:item_id>/di-chuyen", methods=["POST"])
@roles(ORGANIZERS)
def move(item_id: int):
    """Move an item one place up or down (a button; works with and without JavaScript)."""
    direction = request.form.get("direction", "")
    if direction not in {"up", "down"}:
        abort(400)
    on_refusal(_page, _agenda_url())
    services.move_item(g.conference, item_id, direction)
    return _changed("Đã di chuyển mục chương trình.")


@bp.route("/sap-xep", methods=["POST"])
@roles(ORGANIZERS)
def reorder():
    """Save the order after a drag and drop: the item ids in their new order."""
    on_refusal(_page, _agenda_url())
    try:
        ids = [int(v) for v in request.form.getlist("order")]
    except ValueError:
        raise UserError("Thứ tự gửi lên không hợp lệ; vui lòng tải lại trang.") from None
    services.reorder(g.conference, ids)
    return _changed("Đã lưu thứ tự chương trình.")


@bp.route("/tham-luan/<int:paper_id>", methods=["POST"])
@roles(ORGANIZERS)
def add_paper(paper_id: int):
    """Put an accepted paper in the agenda (before the discussion and the conclusion)."""
    on_refusal(_page, _agenda_url())
    item = services.add_paper(g.conference, paper_id)
    return _changed(f"Đã đưa «{item.title}» vào chương trình.")


@bp.route("/cong-bo", methods=["POST"])
@roles(ORGANIZERS)
def publish():
    """Publish the agenda to the delegates' pages, or withdraw it."""
    published = request.form.get("publish") == "1"
    services.set_published(g.conference, published)
    return done("Đã công bố chương trình tới đại biểu." if published else "Đã thôi công bố chương trình.",
                url_for("agenda.index"))


@bp.route("/in")
@roles(ORGANIZERS)
def print_view():
    """The programme on A4 with the conference's letterhead, for printing. It goes with the plan (kế hoạch): its
    date is the plan's signing day when the clerk gave one, blanks otherwise (never the day it is printed)."""
    conference = g.conference
    letterhead = letterhead_for(conference)
    return render("agenda/print.html", agenda=services.compute(conference), letterhead=letterhead,
                  place_date=place_and_date(issued_document(conference, "ke_hoach"), letterhead),
                  reception=services.reception_of(conference), printed_title=services.printed_title)
