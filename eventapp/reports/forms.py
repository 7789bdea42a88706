"""The clerk's number and signing date of a filed document."""

from wtforms.validators import Length

from ..forms import DateVNField, Form, NormalizedStringField


class NumberForm(Form):
    """"Số" and "ngày ký" of one document; both may stay empty (blanks to fill by hand)."""

    number = NormalizedStringField("Số, ký hiệu", validators=[Length(max=60, message="Số văn bản dài quá 60 ký tự.")],
                                   description="Ví dụ: 12/BC-SKHCN")
    signed_on = DateVNField("Ngày ký")
