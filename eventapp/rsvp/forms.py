"""The answer form of the personal link."""

from __future__ import annotations

from wtforms import FieldList, FormField, RadioField, TextAreaField
from wtforms import Form as PlainForm
from wtforms.validators import Length, Optional, ValidationError

from ..forms import EmailField, Form, NormalizedStringField, PhoneField

_NAME_MAX = Length(max=120, message="Họ và tên tối đa 120 ký tự.")
_POSITION_MAX = Length(max=200, message="Chức vụ tối đa 200 ký tự.")


class PersonForm(PlainForm):
    """One delegate named by an agency, or the substitute of an invited person."""

    full_name = NormalizedStringField("Họ và tên", validators=[Optional(), _NAME_MAX])
    position = NormalizedStringField("Chức vụ", validators=[Optional(), _POSITION_MAX])
    phone = PhoneField("Điện thoại", validators=[Optional()])
    email = EmailField("Email (để nhận thẻ đại biểu)", validators=[Optional(), Length(max=254)])

    class Meta:
        def get_translations(self, form):
            from ..forms import _VietnameseTranslations

            return _VietnameseTranslations()

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if not self.full_name.data and (self.position.data or self.phone.data or self.email.data):
            self.full_name.errors = [*self.full_name.errors, "Vui lòng nhập họ và tên."]
            return False
        return ok


class AnswerForm(Form):
    """Attend, decline (with a reason) or send a substitute; an agency names its delegates."""

    choice = RadioField("Trả lời", choices=[("attend", "Tham dự"), ("decline", "Không tham dự"),
                                            ("substitute", "Cử người đi thay")],
                        validate_choice=False)
    decline_reason = TextAreaField("Lý do (không bắt buộc)",
                                   validators=[Optional(), Length(max=500, message="Lý do tối đa 500 ký tự.")])
    substitute = FormField(PersonForm)
    people = FieldList(FormField(PersonForm), min_entries=1, max_entries=500)

    def validate_choice(self, field):
        if field.data not in {value for value, _ in field.choices}:
            raise ValidationError("Vui lòng chọn một câu trả lời.")
