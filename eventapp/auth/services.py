"""Accounts: creating users and checking sign-ins."""

from __future__ import annotations

import sqlalchemy as sa

from ..errors import UserError
from ..extensions import db, login
from ..models import Role, User, utcnow


@login.user_loader
def load_user(user_id: str) -> User | None:
    if not user_id.isdigit():
        return None
    return db.session.get(User, int(user_id))


def authenticate(username: str, password: str) -> User | None:
    """The active user with these credentials, or None. Takes the same time for unknown names."""
    user = db.session.scalar(sa.select(User).where(User.username == username.strip().lower()))
    if user is None:
        User(password_hash="").set_password(password)  # same hashing cost as a real check
        return None
    if not user.active or not user.check_password(password):
        return None
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def create_user(
    username: str, password: str, full_name: str, role: str, email: str = "", department_id: int | None = None
) -> User:
    """Create an account; raises UserError for a taken name, a weak password or an unknown role."""
    username = username.strip().lower()
    if not username or len(username) > 64:
        raise UserError("Tên đăng nhập không được để trống và tối đa 64 ký tự.", field="username")
    if role not in {r.value for r in Role}:
        raise UserError(f"Vai trò không hợp lệ: {role}", field="role")
    if len(password) < 8:
        raise UserError("Mật khẩu cần ít nhất 8 ký tự.", field="password")
    if db.session.scalar(sa.select(User.id).where(User.username == username)):
        raise UserError(f"Tên đăng nhập '{username}' đã có người dùng.", field="username")
    user = User(username=username, full_name=full_name.strip() or username, role=role, email=email,
                department_id=department_id)
    user.set_password(password)
    db.session.add(user)
    return user
