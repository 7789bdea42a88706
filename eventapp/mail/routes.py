from flask import abort, flash, redirect, request, url_for

from ..access import ORGANIZERS, roles
from ..extensions import db
from ..forms import EmptyForm
from ..models import MailStatus, OutboxMessage
from ..web import render
from . import bp, services

PER_PAGE = 50


@bp.route("/")
@roles(ORGANIZERS)
def outbox():
    """Every message the app sent or will send, with its state and, when it failed, why."""
    status = request.args.get("status", "")
    if status not in {s.value for s in MailStatus}:
        status = ""
    q = request.args.get("q", "")[:200]
    page = request.args.get("page", 1, type=int)
    pagination = db.paginate(services.outbox_query(status, q), page=page, per_page=PER_PAGE, error_out=False)
    return render("mail/outbox.html", block="results", pagination=pagination, current=status, q=q,
                  counts=services.status_counts(), statuses=list(MailStatus),
                  purposes=services.PURPOSE_LABELS, form=EmptyForm())


@bp.route("/<int:message_id>/gui-lai", methods=["POST"])
@roles(ORGANIZERS)
def retry(message_id: int):
    """Queue a failed message again."""
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        abort(404)
    if EmptyForm().validate_on_submit():
        try:
            services.retry(message)
            db.session.commit()
            flash(f"Đã đưa thư tới {message.to_addr} vào hàng đợi để gửi lại.", "success")
        except services.MailError as exc:
            flash(str(exc), "warning")
    return redirect(url_for("mail.outbox", status="failed"), 303)


@bp.route("/gui-lai-tat-ca", methods=["POST"])
@roles(ORGANIZERS)
def retry_all():
    """Queue every failed message again (after the SMTP settings were fixed, say)."""
    if EmptyForm().validate_on_submit():
        count = services.retry_all_failed()
        db.session.commit()
        flash(f"Đã đưa {count} thư lỗi vào hàng đợi để gửi lại." if count else "Không có thư lỗi nào.", "success")
    return redirect(url_for("mail.outbox"), 303)
