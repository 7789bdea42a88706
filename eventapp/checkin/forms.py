"""Forms of the reception desk."""

from wtforms import HiddenField, IntegerField
from wtforms.validators import DataRequired, Length, Optional

from ..forms import Form, NormalizedStringField


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
