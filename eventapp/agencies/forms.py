from wtforms import SelectField
from wtforms.validators import DataRequired, Length

from ..forms import EmailField, Form, NormalizedStringField, PhoneField


class AgencyForm(Form):
    """An agency of the directory."""

    group_id = SelectField("Nhóm", coerce=int, validators=[DataRequired("Vui lòng chọn nhóm.")])
    name = NormalizedStringField("Tên cơ quan, đơn vị",
                                 validators=[DataRequired("Vui lòng nhập tên cơ quan, đơn vị."), Length(max=300)],
                                 description="Ví dụ: Sở Nông nghiệp và Môi trường tỉnh Quảng Ngãi")
    short_name = NormalizedStringField("Tên viết tắt", validators=[Length(max=100)], description="Ví dụ: Sở NN&MT")
    address = NormalizedStringField("Địa chỉ", validators=[Length(max=300)])
    email = EmailField("Email", validators=[Length(max=254)])
    phone = PhoneField("Điện thoại", description="Di động 10 số hoặc cố định 11 số (02x)")
    contact_name = NormalizedStringField("Người liên hệ", validators=[Length(max=120)])
    contact_position = NormalizedStringField("Chức vụ người liên hệ", validators=[Length(max=120)])


class GroupForm(Form):
    """The name of an agency group."""

    name = NormalizedStringField("Tên nhóm", validators=[DataRequired("Vui lòng nhập tên nhóm."), Length(max=200)])
