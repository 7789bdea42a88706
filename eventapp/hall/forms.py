"""Forms of the hall: speakers, attendance, conclusions and the notice."""

from wtforms import HiddenField, SelectField, SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..forms import CheckboxList, DateVNField, Form, IntegerVNField, NormalizedStringField, options
from ..models import AttendanceStatus
from ..papers.forms import IdSelectField
from .attendance import CLEAR


class RegisterForm(Form):
    """A delegate registers to speak on an agenda item, from the phone."""

    agenda_item_id = IdSelectField("Nội dung", validate_choice=False,
                                   validators=[DataRequired("Vui lòng chọn nội dung muốn phát biểu.")])
    topic = NormalizedStringField("Nội dung phát biểu (một dòng)", validators=[Length(max=300)],
                                  description="Ví dụ: Kiến nghị về nhân rộng mô hình trồng sâm ở xã Sơn Tây")


class AddSpeakerForm(Form):
    """The secretary puts someone on a list: a delegate, or a guest by name."""

    delegate_id = IdSelectField("Đại biểu", default=0, validators=[Optional()])
    name = NormalizedStringField("Hoặc họ và tên (khách không có thẻ)", validators=[Length(max=120)])
    agency_name = NormalizedStringField("Cơ quan, đơn vị", validators=[Length(max=300)])
    topic = NormalizedStringField("Nội dung phát biểu", validators=[Length(max=300)])


class OrderForm(Form):
    """The waiting speakers' ids in the new order (drag and drop)."""

    order = SelectMultipleField("Thứ tự", coerce=int, validate_choice=False)


class SpeakingTimeForm(Form):
    speaking_minutes = IntegerVNField(
        "Thời gian mỗi lượt (phút)",
        validators=[DataRequired("Vui lòng nhập số phút."),
                    NumberRange(min=1, max=60, message="Thời gian phát biểu từ 1 đến 60 phút.")])


class MarkForm(Form):
    """Bulk marking of attendance: the delegates ticked, one status, a reason or a substitute's name."""

    day = HiddenField()
    delegate_ids = SelectMultipleField("Đại biểu", coerce=int, validate_choice=False)
    status = SelectField("Đánh dấu", choices=options([("", "— Chọn trạng thái —"), *AttendanceStatus.choices(),
                                                      (CLEAR, "Bỏ đánh dấu (theo check-in tại cửa)")]))
    reason = NormalizedStringField("Lý do vắng", validators=[Length(max=300)])
    substitute_name = NormalizedStringField("Người dự thay", validators=[Length(max=120)])


class OnlineForm(Form):
    online_url = NormalizedStringField("Đường dẫn phòng họp trực tuyến", validators=[Length(max=500)],
                                       description="Gửi qua email cho đại biểu được đánh dấu «Dự trực tuyến».")


class ConclusionForm(Form):
    """A conclusion on an agenda item; the work it assigns (lead, coordinating, deadline) when it does."""

    agenda_item_id = IdSelectField("Nội dung chương trình", default=0)
    content = TextAreaField("Nội dung kết luận",
                            validators=[DataRequired("Vui lòng nhập nội dung kết luận."), Length(max=5000)])
    lead_department_id = IdSelectField("Đơn vị chủ trì", default=0,
                                       description="Để trống nếu kết luận không giao việc.")
    coordinating_ids = CheckboxList("Đơn vị phối hợp", coerce=int)
    deadline = DateVNField("Thời hạn hoàn thành", validators=[Optional()])

    def set_choices(self, items, departments) -> None:
        self.agenda_item_id.choices = options([(0, "Kết luận chung của Hội nghị")]
                                              + [(i.id, i.title[:120]) for i in items])
        self.lead_department_id.choices = options([(0, "— Không giao việc —")] + [(d.id, d.name) for d in departments])
        self.coordinating_ids.choices = options([(d.id, d.name) for d in departments])


class NoticeForm(Form):
    """What the clerk writes on the notice of conclusions."""

    number_symbol = NormalizedStringField("Số, ký hiệu", validators=[Length(max=60)],
                                          description="Ví dụ 15/TB-SKHCN; số do văn thư cấp khi ký.")
    issued_on = DateVNField("Ngày ký", validators=[Optional()],
                            description="Ngày ghi trên thông báo; để trống để văn thư ghi tay.")
    signer_authority = NormalizedStringField("Quyền hạn ký", validators=[Length(max=100)],
                                             description="Ví dụ: KT. GIÁM ĐỐC; để trống khi người đứng đầu ký.")
    signer_title = NormalizedStringField("Chức vụ người ký", validators=[Length(max=100)])
    signer_name = NormalizedStringField("Họ và tên người ký", validators=[Length(max=100)])
    recipients = TextAreaField("Nơi nhận (mỗi dòng một nơi)", validators=[Length(max=3000)],
                               description="Để trống: các phòng được giao việc và «Lưu: VT».")
