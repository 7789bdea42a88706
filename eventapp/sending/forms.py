"""The forms of sending: a mail's wording."""

from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from ..forms import Form, NormalizedStringField


class WordingForm(Form):
    """The subject and text of one mail of a conference, with {placeholders}."""

    subject = NormalizedStringField("Tiêu đề", validators=[DataRequired("Vui lòng nhập tiêu đề thư."),
                                                          Length(max=300)])
    body = TextAreaField("Nội dung", validators=[DataRequired("Vui lòng nhập nội dung thư."), Length(max=10_000)])
