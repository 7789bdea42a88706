"""The outbox (thư đi): every message the app sent or will send, and sending failed ones again."""

from flask import abort, request, url_for

from ..access import ORGANIZERS, roles
from ..extensions import db
from ..forms import EmptyForm
from ..models import MailStatus, OutboxMessage
from ..web import done, on_refusal, render
from ..workspace import menu
from . import bp, services

PER_PAGE = 50


@bp.route("/")
@roles(ORGANIZERS)
@menu("Thư đi", order=80)
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
    message = db.get_or_404(OutboxMessage, message_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    back = url_for("mail.outbox", status="failed")
    on_refusal(url=back)
    services.retry(message)
    return done(f"Đã đưa thư tới {message.to_addr} vào hàng đợi để gửi lại.", back)


@bp.route("/gui-lai-tat-ca", methods=["POST"])
@roles(ORGANIZERS)
def retry_all():
    """Queue every failed message again (after the SMTP settings were fixed, say)."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    count = services.retry_all_failed()
    return done(f"Đã đưa {count} thư lỗi vào hàng đợi để gửi lại." if count else "Không có thư lỗi nào.",
                url_for("mail.outbox"))
