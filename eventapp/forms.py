"""Form pieces shared by every feature: the base form, Vietnamese money, phone, date and time fields, a row chosen
by id, checkbox lists."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import Field, IntegerField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation
from wtforms.widgets import CheckboxInput, DateInput, ListWidget, TextInput, TimeInput

from . import text, vntime

#: WTForms ships no Vietnamese; these are its messages that our forms can show.
_MESSAGES_VI = {
    "This field is required.": "Trường này là bắt buộc.",
    "Not a valid integer value.": "Vui lòng nhập một số nguyên.",
    "Not a valid decimal value.": "Vui lòng nhập một số.",
    "Not a valid float value.": "Vui lòng nhập một số.",
    "Not a valid choice.": "Lựa chọn không hợp lệ.",
    "Invalid Choice: could not coerce.": "Lựa chọn không hợp lệ.",
    "Invalid choice(s): one or more data inputs could not be coerced.": "Lựa chọn không hợp lệ.",
    "'%(value)s' is not a valid choice for this field.": "«%(value)s» không phải là lựa chọn hợp lệ.",
    "Not a valid date value.": "Ngày không hợp lệ (dd/mm/yyyy).",
    "Not a valid datetime value.": "Thời gian không hợp lệ.",
    "Not a valid time value.": "Giờ không hợp lệ (hh:mm).",
    "Invalid email address.": "Địa chỉ email không hợp lệ.",
    "Invalid input.": "Giá trị không hợp lệ.",
    "Invalid value, must be one of: %(values)s.": "Giá trị phải là một trong: %(values)s.",
    "Field must be at least %(min)d character long.": "Cần ít nhất %(min)d ký tự.",
    "Field must be at least %(min)d characters long.": "Cần ít nhất %(min)d ký tự.",
    "Field cannot be longer than %(max)d character.": "Tối đa %(max)d ký tự.",
    "Field cannot be longer than %(max)d characters.": "Tối đa %(max)d ký tự.",
    "Number must be at least %(min)s.": "Số phải từ %(min)s trở lên.",
    "Number must be at most %(max)s.": "Số không được lớn hơn %(max)s.",
    "Number must be between %(min)s and %(max)s.": "Số phải từ %(min)s đến %(max)s.",
    "The CSRF token is missing.": "Thiếu mã bảo vệ biểu mẫu; vui lòng tải lại trang.",
    "The CSRF token is invalid.": "Mã bảo vệ biểu mẫu không hợp lệ; vui lòng tải lại trang.",
    "The CSRF token has expired.": "Biểu mẫu đã hết hạn; vui lòng tải lại trang.",
    "The CSRF tokens do not match.": "Mã bảo vệ biểu mẫu không khớp; vui lòng tải lại trang.",
}


class _VietnameseTranslations:
    def gettext(self, string: str) -> str:
        return _MESSAGES_VI.get(string, string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


class Form(FlaskForm):
    """The base of every form: CSRF-protected, with WTForms' own messages in Vietnamese."""

    class Meta:
        def get_translations(self, form):
            return _VietnameseTranslations()

    def error_text(self) -> str:
        """Every message of a refused form in one line, for a form whose fields are not shown again."""
        messages = [m for errors in self.errors.values() for m in errors]
        return " ".join(messages) or "Dữ liệu gửi lên không hợp lệ; vui lòng thử lại."

    def values(self) -> dict:
        """What was entered, by field name (no CSRF token, no buttons): the plain values a service takes."""
        return {name: field.data for name, field in self._fields.items()
                if field.type not in ("CSRFTokenField", "SubmitField")}


def options(pairs) -> list[SelectChoice]:
    """A SelectField's choices from (value, label) pairs (WTForms 3.3 deprecates plain tuples)."""
    return [SelectChoice(value, label) for value, label in pairs]


class EmptyForm(Form):
    """A form with only the CSRF token, for single-button POSTs."""


class IntegerVNField(IntegerField):
    """An integer field whose parse error speaks Vietnamese."""

    def process_formdata(self, valuelist):
        if valuelist and valuelist[0].strip():
            cleaned = valuelist[0].strip().replace(".", "").replace(" ", "")
            try:
                self.data = int(cleaned)
            except ValueError as exc:
                self.data = None
                raise ValueError("Vui lòng nhập một số nguyên.") from exc
        else:
            self.data = None


class IdSelectField(SelectField):
    """A choice of a row by id (0 for none), whose parse error speaks Vietnamese."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("coerce", int)
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist):
        if valuelist:
            try:
                self.data = int(valuelist[0] or 0)
            except ValueError as exc:
                self.data = 0
                raise ValueError("Lựa chọn không hợp lệ.") from exc


class CheckboxList(SelectMultipleField):
    """Several choices as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class NormalizedStringField(StringField):
    """A text field whose value is NFC-normalised with whitespace collapsed."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.data = text.nfc(self.data or "")


class MoneyField(Field):
    """Whole đồng, typed as "54.000.000", "54000000" or "54 triệu"."""

    widget = TextInput()

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return f"{self.data:,}".replace(",", ".") if self.data is not None else ""

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist and valuelist[0].strip():
            try:
                self.data = text.parse_money(valuelist[0])
            except ValueError as exc:
                self.data = None
                raise ValueError(str(exc)) from exc


class PhoneField(StringField):
    """A Vietnamese phone number, stored normalised (10 or 11 digits)."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        try:
            self.data = text.normalize_phone(self.data or "")
        except ValueError as exc:
            raise ValueError(str(exc)) from exc


class EmailField(StringField):
    """An email address, lower-cased; empty allowed unless required."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        try:
            self.data = text.normalize_email(self.data or "")
        except ValueError as exc:
            raise ValueError(str(exc)) from exc


class DateVNField(Field):
    """A date: the browser's date picker (yyyy-mm-dd, shown as dd/mm/yyyy in Vietnamese) or typed dd/mm/yyyy."""

    widget = DateInput()

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.data.isoformat() if self.data else ""

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist and valuelist[0].strip():
            self.data = vntime.parse_date_vn(valuelist[0])

    def pre_validate(self, form):
        # A date typed but not read ("31/02/2026") says why, not "required" (DataRequired would replace it).
        if self.process_errors:
            raise StopValidation()


class TimeVNField(Field):
    """A 24-hour time, "07:30"."""

    widget = TimeInput()

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.data.strftime("%H:%M") if self.data else ""

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist and valuelist[0].strip():
            self.data = vntime.parse_time_vn(valuelist[0])

