"""The audit log read with filters and exported as CSV or Excel: administrators read all of it, organizers the
entries of the conferences they work on."""

from __future__ import annotations

import json
from datetime import datetime, time

import sqlalchemy as sa
from flask import request
from flask_login import current_user

from .. import spreadsheets, vntime
from ..access import ORGANIZERS, roles
from ..extensions import db
from ..models import AuditEntry, Conference, Role, User
from ..web import XLSX, download, render
from ..workspace import menu
from . import bp, record

PER_PAGE = 50
EXPORT_LIMIT = 100_000
COLUMNS = ["Thời gian", "Người thực hiện", "Thao tác", "Đối tượng", "Mã đối tượng", "Hội nghị", "Nội dung",
           "Chi tiết", "Địa chỉ IP"]
WIDTHS = [17, 24, 22, 14, 10, 40, 60, 40, 16]


def _day(value: str, end: bool = False) -> datetime | None:
    """A dd/mm/yyyy filter bound as an aware UTC instant (start or end of that local day)."""
    if not value:
        return None
    try:
        day = vntime.parse_date_vn(value)
    except ValueError:
        return None
    return vntime.local_to_utc(datetime.combine(day, time.max if end else time.min))


def readable(user) -> sa.ColumnElement[bool]:
    """The entries ``user`` may read: an administrator every one; an organizer those of the conferences they work
    on, which for one host agency's organizers is all of its conferences (``workspace.open_conference`` decides a
    right per conference), not the entries about accounts and settings."""
    if user.role == Role.ADMIN:
        return sa.true()
    return AuditEntry.conference_id.is_not(None)


def filtered_query(args) -> tuple[sa.Select, dict]:
    """The entries matching the request's filters that the signed-in user may read, newest first, and the
    filters as understood."""
    filters = {
        "q": (args.get("q") or "")[:200],
        "action": (args.get("action") or "")[:60],
        "conference_id": args.get("conference_id", type=int),
        "user_id": args.get("user_id", type=int),
        "from": (args.get("from") or "")[:10],
        "to": (args.get("to") or "")[:10],
    }
    query = (sa.select(AuditEntry).where(readable(current_user))
             .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()))
    for term in filters["q"].split():
        pattern = sa.or_(
            AuditEntry.summary.icontains(term, autoescape=True), AuditEntry.actor.icontains(term, autoescape=True)
        )
        query = query.where(pattern)
    if filters["action"]:
        query = query.where(AuditEntry.action.startswith(filters["action"], autoescape=True))
    if filters["conference_id"]:
        query = query.where(AuditEntry.conference_id == filters["conference_id"])
    if filters["user_id"]:
        query = query.where(AuditEntry.user_id == filters["user_id"])
    if start := _day(filters["from"]):
        query = query.where(AuditEntry.at >= start)
    if end := _day(filters["to"], end=True):
        query = query.where(AuditEntry.at <= end)
    return query, filters


def _actions() -> list[str]:
    """The verbs' families present in the log ("invitation", "checkin"...), for the filter."""
    actions = db.session.scalars(sa.select(AuditEntry.action).distinct()).all()
    return sorted({a.split(".")[0] for a in actions} | set(actions))


#: Arguments of the page that are not filters (the export link passes on the others).
NOT_FILTERS = ("page", "format")


@bp.route("/")
@roles(ORGANIZERS)
@menu("Nhật ký", order=100)
def index():
    """The audit log: who did what and when, filtered and paginated."""
    query, filters = filtered_query(request.args)
    page = request.args.get("page", 1, type=int)
    pagination = db.paginate(query, page=page, per_page=PER_PAGE, error_out=False)
    conferences = db.session.execute(
        sa.select(Conference.id, Conference.title).order_by(Conference.starts_at.desc()).limit(200)
    ).all()
    users = db.session.execute(sa.select(User.id, User.full_name).order_by(User.full_name)).all()
    return render(
        "audit/index.html",
        block="results",
        pagination=pagination,
        filters=filters,
        actions=_actions(),
        conferences=conferences,
        users=users,
        export_args={k: v for k, v in request.args.items() if k not in NOT_FILTERS},
        everything=current_user.role == Role.ADMIN,
    )


def _rows(query: sa.Select):
    titles = dict(db.session.execute(sa.select(Conference.id, Conference.title)).all())
    for entry in db.session.scalars(query.limit(EXPORT_LIMIT)):
        yield [
            vntime.format_datetime(entry.at),
            entry.actor,
            entry.action,
            entry.entity,
            entry.entity_id if entry.entity_id is not None else "",
            titles.get(entry.conference_id, "") if entry.conference_id else "",
            entry.summary,
            entry.details_json if entry.details_json not in ("{}", "") else "",
            entry.ip,
        ]


@bp.route("/xuat")
@roles(ORGANIZERS)
def export():
    """The filtered log (what the user may read of it) as CSV (UTF-8 with BOM, for Excel) or as an .xlsx
    workbook."""
    query, filters = filtered_query(request.args)
    fmt = "xlsx" if request.args.get("format") == "xlsx" else "csv"
    stamp = vntime.to_local(vntime.utcnow()).strftime("%Y%m%d-%H%M")
    record("audit.export", f"Xuất nhật ký hệ thống ({fmt}).", filters=json.dumps(filters, ensure_ascii=False))
    db.session.commit()
    table = spreadsheets.Table("Nhật ký", [spreadsheets.Column(heading, width)
                                           for heading, width in zip(COLUMNS, WIDTHS, strict=True)], _rows(query))
    if fmt == "xlsx":
        return download(spreadsheets.xlsx(table), f"nhat-ky-{stamp}.xlsx", XLSX)
    return download(spreadsheets.csv_bytes(table), f"nhat-ky-{stamp}.csv", "text/csv")
