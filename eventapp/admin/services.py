"""Administration verbs: every change is written to the audit log."""

from __future__ import annotations

import sqlalchemy as sa

from .. import audit, text
from ..auth.services import AccountError, create_user
from ..extensions import db
from ..models import Department, HostAgency, Role, User

HOST_FIELDS = ["name", "parent_name", "abbreviation", "address", "phone", "email", "website", "place_name",
               "signer_authority", "signer_title", "signer_name", "retention_months"]


class AdminError(ValueError):
    """An administrative change cannot be made as asked; the message is for the admin."""


def host_agency() -> HostAgency | None:
    return db.session.scalar(sa.select(HostAgency).limit(1))


def save_host_agency(form) -> HostAgency:
    """Create or update the host agency's settings from the form."""
    host = host_agency()
    if host is None:
        host = HostAgency(name=form.name.data, abbreviation=form.abbreviation.data)
        db.session.add(host)
    changed = {}
    for name in HOST_FIELDS:
        value = getattr(form, name).data
        if name != "retention_months":
            value = value or ""
        if getattr(host, name, None) != value:
            changed[name] = value
            setattr(host, name, value)
    db.session.flush()
    audit.record("settings.update", "Cập nhật thông tin cơ quan và cài đặt.", entity=host, changed=changed)
    return host


def save_department(form, department: Department | None = None) -> Department:
    """Create or edit a department; AdminError when its name or abbreviation is taken."""
    name, abbreviation = form.name.data, form.abbreviation.data
    clash = db.session.scalar(
        sa.select(Department.id).where(
            sa.or_(Department.name == name, Department.abbreviation == abbreviation),
            Department.id != (department.id if department else -1),
        )
    )
    if clash:
        raise AdminError("Đã có phòng, đơn vị cùng tên hoặc cùng ký hiệu.")
    created = department is None
    department = department or Department(name=name, abbreviation=abbreviation)
    department.name, department.abbreviation = name, abbreviation
    department.email = form.email.data or ""
    department.position = form.position.data or 0
    db.session.add(department)
    db.session.flush()
    audit.record("department.create" if created else "department.update",
                 f"{'Thêm' if created else 'Sửa'} phòng, đơn vị «{name}».", entity=department)
    return department


def _check_department(role: str, department_id: int | None) -> int | None:
    if role == Role.DEPARTMENT and not department_id:
        raise AdminError("Tài khoản của phòng, đơn vị cần chọn phòng, đơn vị.")
    if department_id and db.session.get(Department, department_id) is None:
        raise AdminError("Phòng, đơn vị không tồn tại.")
    return department_id or None


def add_user(form) -> User:
    """Create an account from the form; AdminError with the reason when it cannot be."""
    department_id = _check_department(form.role.data, form.department_id.data)
    try:
        user = create_user(form.username.data, form.password.data, form.full_name.data, form.role.data,
                           form.email.data or "", department_id)
    except AccountError as exc:
        raise AdminError(str(exc)) from exc
    db.session.flush()
    audit.record("user.create", f"Tạo tài khoản {user.username} ({user.role_enum.label}).", entity=user)
    return user


def _last_admin(user: User) -> bool:
    others = db.session.scalar(
        sa.select(sa.func.count()).select_from(User).where(
            User.role == Role.ADMIN.value, User.active.is_(True), User.id != user.id
        )
    )
    return user.role == Role.ADMIN and not others


def change_role(user: User, role: str, department_id: int | None) -> None:
    """Give an account another role (and department); the last active admin keeps theirs."""
    if role not in {r.value for r in Role}:
        raise AdminError("Vai trò không hợp lệ.")
    if role != Role.ADMIN and _last_admin(user):
        raise AdminError("Không thể bỏ quyền quản trị của quản trị viên cuối cùng.")
    department_id = _check_department(role, department_id)
    old = user.role
    user.role, user.department_id = role, department_id
    audit.record("user.role", f"Đổi vai trò của {user.username}: {Role(old).label} → {Role(role).label}.",
                 entity=user, old=old, new=role)


def set_active(user: User, active: bool, acting: User) -> None:
    """Deactivate (or reactivate) an account; its rows stay for the audit log."""
    if not active and user.id == acting.id:
        raise AdminError("Bạn không thể tự khóa tài khoản của mình.")
    if not active and _last_admin(user):
        raise AdminError("Không thể khóa quản trị viên cuối cùng.")
    user.active = active
    audit.record("user.activate" if active else "user.deactivate",
                 f"{'Mở lại' if active else 'Khóa'} tài khoản {user.username}.", entity=user)


def reset_password(user: User, password: str) -> None:
    """Set a new password for an account (told to its owner out of band)."""
    if len(password) < 8:
        raise AdminError("Mật khẩu cần ít nhất 8 ký tự.")
    user.set_password(password)
    audit.record("user.password_reset", f"Đặt lại mật khẩu của {user.username}.", entity=user)


def department_choices() -> dict[int, str]:
    """Choices of a department select (0: none), as WTForms' shorthand dict."""
    departments = db.session.scalars(sa.select(Department).order_by(Department.position, Department.name)).all()
    return {0: "— Không —"} | {d.id: d.name for d in departments}


def find_delegates(q: str, limit: int = 50):
    """Delegates whose name, position or agency match ``q`` (accents ignored), for personal-data requests."""
    from ..models import Delegate

    query = sa.select(Delegate).order_by(Delegate.id.desc()).limit(limit)
    terms = text.search_terms(q)
    if not terms:
        return []
    for term in terms:
        query = query.where(Delegate.search_text.contains(term, autoescape=True))
    return db.session.scalars(query).all()
