"""Forms of the conference documents: an upload, a document's audience, the program's audience."""

from datetime import datetime

from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, TextAreaField
from wtforms.validators import Length, Optional

from .. import vntime
from ..forms import DateVNField, Form, NormalizedStringField, TimeVNField, options
from ..models import Audience


class AudienceForm(Form):
    """Who reads a document and from when (empty: at once)."""

    title = NormalizedStringField("Tên tài liệu", validators=[Length(max=500)])
    audience = SelectField("Ai được xem", choices=options(Audience.choices()), default=Audience.DELEGATES.value)
    from_date = DateVNField("Từ ngày", validators=[Optional()])
    from_time = TimeVNField("Từ giờ", validators=[Optional()])

    def visible_from(self) -> datetime | None:
        """The moment the document shows, in UTC; None for at once."""
        if self.from_date.data is None:
            return None
        moment = datetime.combine(self.from_date.data, self.from_time.data or datetime.min.time())
        return vntime.local_to_utc(moment)


class UploadForm(AudienceForm):
    file = FileField("Tệp tài liệu", description="PDF, Word (.docx) hoặc PowerPoint (.pptx), tối đa 20 MB.")
    description = TextAreaField("Mô tả ngắn", validators=[Length(max=2000)])


class PapersForm(Form):
    audience = SelectField("Ai được xem", choices=options(Audience.choices()), default=Audience.DELEGATES.value)


class ProgramForm(Form):
    program_public = BooleanField("Công khai chương trình (ai có đường dẫn trang công khai đều xem được)")
