"""Accounts: creating users, checking sign-ins, changing passwords, ending sessions."""

from __future__ import annotations

import sqlalchemy as sa

from .. import audit
from ..errors import UserError
from ..extensions import db, login
from ..models import Role, User, utcnow
from .passwords import check_password
from .throttle import Attempt


@login.user_loader
def load_user(user_id: str) -> User | None:
    """The user of a session or remember cookie ("<id>:<generation>"), or None once that generation has ended
    (a sign-out, a password change or reset, a lock) or the account is locked."""
    number, _, generation = user_id.partition(":")
    if not number.isdigit() or not generation.isdigit():
        return None
    user = db.session.get(User, int(number))
    if user is None or not user.active or user.session_generation != int(generation):
        return None
    return user


def end_sessions(user: User) -> None:
    """End every session and remember cookie of ``user`` (in the caller's transaction): the generation they
    carry is no longer the account's."""
    db.session.execute(sa.update(User).where(User.id == user.id)
                       .values(session_generation=User.session_generation + 1))
    db.session.refresh(user, ["session_generation"])


def sign_out(user: User) -> None:
    """Signing out ends the account's sessions everywhere: a copy of the cookie no longer opens anything."""
    end_sessions(user)
    db.session.commit()


def authenticate(username: str, password: str) -> User | None:
    """The active user with these credentials, or None. Takes the same time for unknown names."""
    user = db.session.scalar(sa.select(User).where(User.username == username.strip().lower()))
    if user is None:
        User(password_hash="").set_password(password)  # same hashing cost as a real check
        return None
    if not user.check_password(password) or not user.active:
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
    check_password(password, username, full_name)
    if db.session.scalar(sa.select(User.id).where(User.username == username)):
        raise UserError(f"Tên đăng nhập '{username}' đã có người dùng.", field="username")
    user = User(username=username, full_name=full_name.strip() or username, role=role, email=email,
                department_id=department_id)
    user.set_password(password)
    db.session.add(user)
    return user


def set_password(user: User, password: str) -> None:
    """Give ``user`` a new password (checked for strength) and end every session it had (in the caller's
    transaction)."""
    check_password(password, user.username, user.full_name)
    user.set_password(password)
    end_sessions(user)


def change_own_password(user: User, current: str, new: str, attempt: Attempt) -> None:
    """The signed-in user changes their password: the current one is asked first (a wrong one counts as a failed
    sign-in ``attempt``). Every other session of the account ends; the caller signs this one in again."""
    if not user.check_password(current or ""):
        attempt.failed()
        raise UserError("Mật khẩu hiện tại không đúng.", field="current")
    if current == new:
        raise UserError("Mật khẩu mới phải khác mật khẩu hiện tại.", field="password")
    set_password(user, new)
    audit.record("user.password_change", f"{user.username} đổi mật khẩu; các phiên đăng nhập khác đã kết thúc.",
                 entity=user)
    db.session.commit()
