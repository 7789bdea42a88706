"""The report of a conference: on screen, printable (A4), and as a workbook."""

from __future__ import annotations

from flask import Response

from .. import text
from ..access import ORGANIZERS, roles
from ..conferences.routes import get_conference_or_404
from ..web import render
from . import bp, services


@bp.route("/hoi-nghi/<int:conference_id>/bao-cao")
@roles(ORGANIZERS)
def conference(conference_id: int):
    """After the event: attendance by group and agency, absentees, substitutes, walk-ins, papers, budget, tasks."""
    conf = get_conference_or_404(conference_id)
    report = services.conference_report(conf)
    return render("reports/conference.html", conference=conf, report=report,
                  chart=services.budget_chart(report.budget))


@bp.route("/hoi-nghi/<int:conference_id>/bao-cao.xlsx")
@roles(ORGANIZERS)
def conference_xlsx(conference_id: int):
    """The report as a workbook, one sheet per part."""
    conf = get_conference_or_404(conference_id)
    data = services.report_workbook(services.conference_report(conf))
    filename = f"bao-cao-{text.initials_slug(conf.title, 40) or conf.id}.xlsx"
    return Response(data, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
