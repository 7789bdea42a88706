from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from ..forms import Form
from .passwords import MAX_LENGTH, RULE


class LoginForm(Form):
    username = StringField(
        "Tên đăng nhập", validators=[DataRequired("Vui lòng nhập tên đăng nhập."), Length(max=64)]
    )
    password = PasswordField("Mật khẩu", validators=[DataRequired("Vui lòng nhập mật khẩu."), Length(max=200)])
    remember = BooleanField("Ghi nhớ trên máy này")


class ChangePasswordForm(Form):
    """The signed-in user's own password: the current one, then the new one twice."""

    current = PasswordField("Mật khẩu hiện tại", validators=[DataRequired("Vui lòng nhập mật khẩu hiện tại."),
                                                            Length(max=MAX_LENGTH)],
                            render_kw={"autocomplete": "current-password"})
    password = PasswordField("Mật khẩu mới", validators=[DataRequired("Vui lòng nhập mật khẩu mới."),
                                                        Length(max=MAX_LENGTH)], description=RULE,
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField("Nhập lại mật khẩu mới", validators=[
        DataRequired("Vui lòng nhập lại mật khẩu mới."), EqualTo("password", "Hai lần nhập mật khẩu mới không khớp.")],
        render_kw={"autocomplete": "new-password"})
