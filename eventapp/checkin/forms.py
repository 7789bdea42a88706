"""Forms of the reception desk."""

from wtforms import HiddenField, IntegerField
from wtforms.validators import DataRequired, Length, Optional

from ..forms import DateVNField, Form, NormalizedStringField, TimeVNField


class ScanForm(Form):
    """The scan box, for browsers without JavaScript (the script posts JSON to the API instead)."""

    code = NormalizedStringField("Mã trên thẻ", validators=[DataRequired(), Length(max=200)])


class WalkInForm(Form):
    full_name = NormalizedStringField("Họ và tên", validators=[DataRequired(), Length(max=120)])
    position = NormalizedStringField("Chức vụ", validators=[Optional(), Length(max=200)])
    agency_name = NormalizedStringField("Cơ quan, đơn vị", validators=[Optional(), Length(max=300)])


class SubstituteForm(Form):
    replaced_id = IntegerField("Đại biểu được mời", validators=[DataRequired()])
    full_name = NormalizedStringField("Họ và tên người đi thay", validators=[DataRequired(), Length(max=120)])
    position = NormalizedStringField("Chức vụ", validators=[Optional(), Length(max=200)])


class UndoForm(Form):
    checkin_id = HiddenField()


class DeviceForm(Form):
    name = NormalizedStringField("Tên thiết bị", validators=[DataRequired(), Length(max=100)],
                                 description="Ví dụ: Máy quét bàn số 2, Điện thoại chị Lan.")


class DeskNameForm(Form):
    """The name of a desk being enrolled (prefilled "Bàn N")."""

    name = NormalizedStringField("Tên bàn đón tiếp", validators=[DataRequired("Vui lòng đặt tên cho bàn đón tiếp."),
                                                                 Length(max=100)],
                                 description="Tên hiện ở danh sách thiết bị và trong câu «Đã vào lúc … ở Bàn 2».")


class EnrolThisDeskForm(DeskNameForm):
    """Reception staff enrol the browser they are signed in on; ``key`` is the form's one-time key (a double
    submit makes one desk)."""

    key = HiddenField()


class CheckinWindowForm(Form):
    """When the door accepts scans; an empty end keeps its default (the day before the start, the end of the last
    day)."""

    opens_date = DateVNField("Mở từ ngày", validators=[Optional()])
    opens_time = TimeVNField("Giờ mở", validators=[Optional()], description="Mặc định 00:00")
    closes_date = DateVNField("Đóng sau ngày", validators=[Optional()])
    closes_time = TimeVNField("Giờ đóng", validators=[Optional()], description="Mặc định hết ngày (24:00)")
