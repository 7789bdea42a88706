from wtforms import SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ..forms import Form, IdSelectField, IntegerVNField, NormalizedStringField
from ..models import AgendaKind


class AgendaItemForm(Form):
    """One item of the programme."""

    kind = SelectField("Loại nội dung", choices=AgendaKind.choices(), default=AgendaKind.REPORT.value)
    paper_id = IdSelectField("Tham luận đã duyệt", validators=[Optional()],
                           description="Chỉ với loại «Tham luận»; tên và người trình bày lấy từ tham luận.")
    title = NormalizedStringField("Nội dung", validators=[Length(max=500)],
                                  description="Để trống với khai mạc, giải lao, kết luận... để dùng tên mặc định.")
    presenter = NormalizedStringField("Người trình bày", validators=[Length(max=300)],
                                      description="Ví dụ: Lãnh đạo Sở Khoa học và Công nghệ")
    duration_minutes = IntegerVNField(
        "Thời lượng (phút)",
        validators=[InputRequired("Vui lòng nhập thời lượng."),
                    NumberRange(min=1, max=720, message="Thời lượng phải từ 1 đến 720 phút.")],
    )
    notes = TextAreaField("Ghi chú", validators=[Length(max=500)])

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.kind.data == AgendaKind.PAPER and not self.paper_id.data:
            self.paper_id.errors.append("Vui lòng chọn tham luận đã được duyệt.")
            ok = False
        return ok


class MoveForm(Form):
    direction = SelectField(choices=[("up", "Lên"), ("down", "Xuống")])
