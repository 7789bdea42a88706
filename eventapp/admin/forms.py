from wtforms import PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..auth.passwords import RULE
from ..forms import EmailField, Form, IntegerVNField, NormalizedStringField, PhoneField
from ..models import Role

REQUIRED = "Vui lòng nhập {}."


class HostAgencyForm(Form):
    """The letterhead and the settings of the host agency."""

    name = NormalizedStringField("Tên cơ quan", validators=[DataRequired(REQUIRED.format("tên cơ quan")),
                                                            Length(max=200)])
    parent_name = NormalizedStringField("Cơ quan cấp trên", validators=[Length(max=200)],
                                        description="Ví dụ: UBND TỈNH QUẢNG NGÃI")
    abbreviation = NormalizedStringField("Tên viết tắt", validators=[DataRequired(REQUIRED.format("tên viết tắt")),
                                                                     Length(max=30)],
                                         description="Dùng trong số, ký hiệu văn bản, ví dụ SKHCN")
    address = NormalizedStringField("Địa chỉ", validators=[Length(max=300)])
    phone = PhoneField("Điện thoại", validators=[Length(max=20)])
    email = EmailField("Email", validators=[Length(max=254)])
    website = NormalizedStringField("Trang thông tin điện tử", validators=[Length(max=200)])
    place_name = NormalizedStringField("Địa danh ghi trên văn bản", validators=[Length(max=100)],
                                       description="Ví dụ: Quảng Ngãi")
    signer_authority = NormalizedStringField("Quyền hạn ký", validators=[Length(max=100)],
                                             description="Ví dụ: KT. GIÁM ĐỐC")
    signer_title = NormalizedStringField("Chức vụ người ký", validators=[Length(max=100)],
                                         description="Ví dụ: PHÓ GIÁM ĐỐC")
    signer_name = NormalizedStringField("Họ và tên người ký", validators=[Length(max=100)])
    retention_months = IntegerVNField(
        "Thời hạn lưu dữ liệu cá nhân (tháng)",
        validators=[Optional(), NumberRange(min=1, max=600, message="Thời hạn phải từ 1 đến 600 tháng.")],
        description="Dữ liệu cá nhân của hội nghị đã kết thúc quá thời hạn này sẽ bị xóa. Để trống: không tự xóa.",
    )


class DepartmentForm(Form):
    name = NormalizedStringField("Tên phòng, đơn vị", validators=[DataRequired(REQUIRED.format("tên phòng")),
                                                                  Length(max=200)])
    abbreviation = NormalizedStringField("Ký hiệu", validators=[DataRequired(REQUIRED.format("ký hiệu")),
                                                                Length(max=30)])
    email = EmailField("Email", validators=[Length(max=254)])
    position = IntegerVNField("Thứ tự", validators=[Optional(), NumberRange(min=0, max=10000)])


def _role_choices():
    return {r.value: r.label for r in Role}


class UserForm(Form):
    username = StringField("Tên đăng nhập", validators=[DataRequired(REQUIRED.format("tên đăng nhập")),
                                                        Length(max=64)])
    full_name = NormalizedStringField("Họ và tên", validators=[DataRequired(REQUIRED.format("họ và tên")),
                                                               Length(max=120)])
    email = EmailField("Email", validators=[Length(max=254)])
    role = SelectField("Vai trò", choices=_role_choices)
    department_id = SelectField("Phòng, đơn vị", coerce=int, validators=[Optional()])
    password = PasswordField("Mật khẩu ban đầu", validators=[DataRequired(REQUIRED.format("mật khẩu"))],
                             description=f"{RULE} Người dùng nên đổi sau lần đăng nhập đầu (Đổi mật khẩu, góc trên).")


class RoleForm(Form):
    role = SelectField("Vai trò", choices=_role_choices)
    department_id = SelectField("Phòng, đơn vị", coerce=int, validators=[Optional()])


class PasswordResetForm(Form):
    password = PasswordField("Mật khẩu mới", validators=[DataRequired(REQUIRED.format("mật khẩu mới"))],
                             description=f"{RULE} Mọi phiên đăng nhập của tài khoản sẽ kết thúc.")


class EraseForm(Form):
    reason = TextAreaField("Căn cứ yêu cầu xóa", validators=[Length(max=500)],
                           description="Ví dụ: Đơn đề nghị của đại biểu ngày 05/03/2026")
