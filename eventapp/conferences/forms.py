from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from .. import vntime
from ..forms import (
    DateVNField,
    EmailField,
    Form,
    IntegerVNField,
    MoneyField,
    NormalizedStringField,
    PhoneField,
    TimeVNField,
)
from ..models import ConferenceKind
from . import services

REQUIRED = "Vui lòng nhập {}."


class ConferenceForm(Form):
    """Everything a kế hoạch holds about a conference."""

    kind = SelectField("Loại hội nghị", choices=ConferenceKind.choices())
    title = NormalizedStringField(
        "Tên hội nghị", validators=[DataRequired(REQUIRED.format("tên hội nghị")), Length(max=500)]
    )
    number_symbol = NormalizedStringField(
        "Số, ký hiệu kế hoạch", validators=[Length(max=60)], description="Ví dụ: 254/KH-SKHCN"
    )
    purpose = TextAreaField("Mục đích, yêu cầu", validators=[Length(max=20000)])
    content = TextAreaField("Nội dung hội nghị", validators=[Length(max=20000)])
    chair = NormalizedStringField("Chủ trì hội nghị", validators=[Length(max=200)],
                                  description="Ví dụ: Đồng chí Giám đốc Sở")
    preparation = TextAreaField("Đại biểu cần chuẩn bị", validators=[Length(max=5000)],
                                description="In trên giấy mời («Đề nghị chuẩn bị»): chỉ những gì khách mời chuẩn bị; "
                                            "việc của các phòng, đơn vị thuộc cơ quan ghi ở Phân công")
    start_date = DateVNField("Ngày bắt đầu", validators=[DataRequired(REQUIRED.format("ngày bắt đầu"))],
                             description="dd/mm/yyyy")
    start_time = TimeVNField("Giờ bắt đầu", validators=[DataRequired(REQUIRED.format("giờ bắt đầu"))],
                             description="Ví dụ: 07:30")
    end_date = DateVNField("Ngày kết thúc", validators=[DataRequired(REQUIRED.format("ngày kết thúc"))])
    end_time = TimeVNField("Giờ kết thúc", validators=[DataRequired(REQUIRED.format("giờ kết thúc"))])
    venue_id = SelectField("Địa điểm", coerce=int, validators=[Optional()])
    expected_attendance = IntegerVNField(
        "Số đại biểu dự kiến",
        validators=[Optional(), NumberRange(min=1, max=100000, message="Số đại biểu phải từ 1 đến 100.000.")],
    )
    reception_minutes = IntegerVNField(
        "Đón tiếp đại biểu trước khai mạc (phút)",
        validators=[Optional(), NumberRange(min=1, max=240, message="Thời gian đón tiếp phải từ 1 đến 240 phút.")],
        description="Ví dụ: 30 (in «07:00 – 07:30 Đón tiếp đại biểu» đầu chương trình); để trống nếu không có")
    rsvp_date = DateVNField("Hạn xác nhận tham dự (ngày)", validators=[Optional()])
    rsvp_time = TimeVNField("Hạn xác nhận (giờ)", validators=[Optional()], description="Mặc định 17:00")
    lead_department_id = SelectField("Đơn vị chủ trì", coerce=int, validators=[Optional()])
    approved_budget = MoneyField("Kinh phí được duyệt (đồng)", description="Ví dụ: 54.000.000 hoặc 54 triệu")
    funding_source = NormalizedStringField("Nguồn kinh phí", validators=[Length(max=500)])
    contact_name = NormalizedStringField("Người liên hệ", validators=[Length(max=120)])
    contact_phone = PhoneField("Điện thoại liên hệ")
    contact_email = EmailField("Email liên hệ", validators=[Length(max=254)])
    # Who issues the documents; empty fields take the host agency's settings (Quản trị › Thông tin cơ quan).
    issuer_name = NormalizedStringField("Cơ quan ban hành", validators=[Length(max=200)],
                                        description="Để trống: cơ quan chủ trì trong Thông tin cơ quan")
    issuer_parent_name = NormalizedStringField("Cơ quan cấp trên", validators=[Length(max=200)],
                                               description="Ví dụ: UBND tỉnh Bắc Giang")
    issuer_abbreviation = NormalizedStringField("Chữ viết tắt", validators=[Length(max=30)],
                                                description="In trong số ký hiệu, ví dụ KHCN trong «12/GM-KHCN»")
    place_name = NormalizedStringField("Địa danh ghi ngày tháng", validators=[Length(max=100)],
                                       description="Ví dụ: Bắc Giang")
    signer_authority = NormalizedStringField("Quyền hạn ký", validators=[Length(max=100)],
                                             description="Ví dụ: KT. GIÁM ĐỐC; để trống khi thủ trưởng ký")
    signer_title = NormalizedStringField("Chức vụ người ký", validators=[Length(max=100)])
    signer_name = NormalizedStringField("Họ tên người ký", validators=[Length(max=100)])
    co_issuer_name = NormalizedStringField("Cơ quan phối hợp ban hành (kế hoạch liên tịch)",
                                           validators=[Length(max=200)], description="In bên cạnh cơ quan ban hành")
    co_issuer_parent_name = NormalizedStringField("Cơ quan cấp trên của cơ quan phối hợp",
                                                  validators=[Length(max=200)])
    co_issuer_abbreviation = NormalizedStringField("Chữ viết tắt của cơ quan phối hợp", validators=[Length(max=30)])

    def show(self, conference) -> None:
        """Show a conference's stored times (UTC) as local dates and times."""
        start, end = vntime.to_local(conference.starts_at), vntime.to_local(conference.ends_at)
        self.start_date.data, self.start_time.data = start.date(), start.time()
        self.end_date.data, self.end_time.data = end.date(), end.time()
        if conference.rsvp_deadline:
            deadline = vntime.to_local(conference.rsvp_deadline)
            self.rsvp_date.data, self.rsvp_time.data = deadline.date(), deadline.time()
        self.venue_id.data = conference.venue_id or 0
        self.lead_department_id.data = conference.lead_department_id or 0

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.start_date.data and self.end_date.data and self.start_time.data and self.end_time.data:
            start = (self.start_date.data, self.start_time.data)
            end = (self.end_date.data, self.end_time.data)
            if end <= start:
                self.end_time.errors.append("Thời gian kết thúc phải sau thời gian bắt đầu.")
                ok = False
            if self.rsvp_date.data and self.rsvp_date.data > self.start_date.data:
                self.rsvp_date.errors.append("Hạn xác nhận phải trước hoặc trong ngày khai mạc.")
                ok = False
        if self.rsvp_time.data and not self.rsvp_date.data:
            self.rsvp_date.errors.append("Vui lòng nhập ngày của hạn xác nhận.")
            ok = False
        return ok


class CloneForm(Form):
    """The new session: its title and when it starts (the end and every deadline move by the same amount)."""

    title = NormalizedStringField("Tên hội nghị mới",
                                  validators=[DataRequired("Vui lòng nhập tên hội nghị."), Length(max=500)])
    start_date = DateVNField("Ngày bắt đầu mới", validators=[DataRequired("Vui lòng nhập ngày bắt đầu.")],
                             description="dd/mm/yyyy")
    start_time = TimeVNField("Giờ bắt đầu", validators=[DataRequired("Vui lòng nhập giờ bắt đầu.")])


def plan_form(conference=None) -> ConferenceForm:
    """The plan form with its venue and department choices, showing ``conference``'s plan until it is posted."""
    form = ConferenceForm(obj=conference)
    form.venue_id.choices = services.venue_choices()
    form.lead_department_id.choices = services.department_choices()
    if conference is not None and not form.is_submitted():
        form.show(conference)
    return form
