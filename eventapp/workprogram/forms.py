"""Forms of the work program import."""

from flask_wtf.file import FileField
from wtforms import HiddenField, TextAreaField
from wtforms.validators import NumberRange, Optional

from .. import spreadsheets
from ..forms import Form, IntegerVNField


class ImportForm(Form):
    """Upload the program's table (a text file saved from Word, or a spreadsheet), or paste it; the year is read
    from the title if left empty."""

    file = FileField("Tệp chương trình (.txt chép từ Word, hoặc bảng tính .xlsx, .xls, .ods, .csv)",
                     render_kw={"accept": ".txt," + spreadsheets.ACCEPT})
    pasted = TextAreaField("Hoặc dán nội dung (chép từ Word, các cột cách nhau bằng phím Tab)")
    year = IntegerVNField("Năm", validators=[Optional(), NumberRange(min=2000, max=2100,
                                                                     message="Năm phải từ 2000 đến 2100.")],
                          description="Để trống để đọc năm từ tiêu đề")


class ConfirmForm(Form):
    """The previewed text, sent again to be saved."""

    content = HiddenField()
    year = HiddenField()
