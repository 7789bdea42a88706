"""The report of a conference: on screen, printable (A4), and as a workbook."""

from __future__ import annotations

from flask import g

from .. import text
from ..access import ORGANIZERS, roles
from ..hall import attendance
from ..web import XLSX, download, render
from ..workspace import tab
from . import bp, services


@bp.route("/hoi-nghi/<int:conference_id>/bao-cao")
@roles(ORGANIZERS)
@tab("Báo cáo", order=90)
def conference():
    """After the event: attendance by group and agency, absentees, substitutes, walk-ins, papers, budget, tasks."""
    report = services.conference_report(g.conference)
    return render("reports/conference.html", report=report, chart=services.budget_chart(report.budget),
                  attendance=attendance.counts_by_day(g.conference))


@bp.route("/hoi-nghi/<int:conference_id>/bao-cao.xlsx")
@roles(ORGANIZERS)
def conference_xlsx():
    """The report as a workbook, one sheet per part."""
    data = services.report_workbook(services.conference_report(g.conference))
    return download(data, f"bao-cao-{text.initials_slug(g.conference.title, 40) or g.conference.id}.xlsx", XLSX)
