from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..forms import EmailField, Form, IntegerVNField, NormalizedStringField, PhoneField

SEATS_RANGE = NumberRange(min=1, max=500, message="Số chỗ phải từ 1 đến 500.")


class InviteAgencyForm(Form):
    """Invite one agency picked from the directory."""

    agency_id = HiddenField(validators=[DataRequired("Vui lòng chọn cơ quan.")])
    seats = IntegerVNField("Số chỗ", default=1, validators=[Optional(), SEATS_RANGE])
    role_text = NormalizedStringField("Thành phần mời", validators=[Length(max=200)])
    tim = HiddenField()


class InviteGroupForm(Form):
    """Invite every agency of a group not yet invited."""

    group_id = SelectField("Nhóm cơ quan", coerce=int, validators=[DataRequired("Vui lòng chọn nhóm.")])
    seats = IntegerVNField("Số chỗ mỗi cơ quan", default=1, validators=[Optional(), SEATS_RANGE])
    role_text = NormalizedStringField("Thành phần mời", default="Đại diện lãnh đạo", validators=[Length(max=200)])


class InvitePersonForm(Form):
    """Invite a named person."""

    invitee_name = NormalizedStringField("Họ và tên", validators=[DataRequired("Vui lòng nhập họ và tên."),
                                                                  Length(max=120)])
    invitee_position = NormalizedStringField("Chức vụ", validators=[Length(max=200)])
    agency_id = SelectField("Cơ quan (nếu có)", coerce=int, validators=[Optional()])
    email = EmailField("Email", validators=[Length(max=254)])
    phone = PhoneField("Điện thoại")


class EditInvitationForm(Form):
    """Change the seats, role and contact of an invitation."""

    invitee_name = NormalizedStringField("Người được mời", validators=[Length(max=120)])
    invitee_position = NormalizedStringField("Chức vụ", validators=[Length(max=200)])
    seats = IntegerVNField("Số chỗ", validators=[InputRequired("Vui lòng nhập số chỗ."), SEATS_RANGE])
    role_text = NormalizedStringField("Thành phần mời", validators=[Length(max=200)])
    email = EmailField("Email", validators=[Length(max=254)])
    phone = PhoneField("Điện thoại")
    note = TextAreaField("Ghi chú", validators=[Length(max=500)])


class ImportForm(Form):
    """Upload an .xlsx or .csv list."""

    file = FileField("Tệp danh sách (.xlsx hoặc .csv)", validators=[FileRequired("Vui lòng chọn tệp để tải lên.")])
