"""Administration verbs: every change is written to the audit log."""

from __future__ import annotations

import sqlalchemy as sa

from .. import audit, text
from ..auth.services import create_user, end_sessions, set_password
from ..errors import UserError
from ..extensions import db
from ..models import Delegate, DelegateKind, Department, HostAgency, Invitation, InvitationKind, Role, User

HOST_FIELDS = ["name", "parent_name", "abbreviation", "address", "phone", "email", "website", "place_name",
               "signer_authority", "signer_title", "signer_name", "retention_months"]


def host_agency() -> HostAgency | None:
    return db.session.scalar(sa.select(HostAgency).limit(1))


def save_host_agency(values: dict) -> HostAgency:
    """Create or update the host agency's settings."""
    host = host_agency()
    if host is None:
        host = HostAgency(name=values["name"], abbreviation=values["abbreviation"])
        db.session.add(host)
    changed = {}
    for name in HOST_FIELDS:
        value = values[name]
        if name != "retention_months":
            value = value or ""
        if getattr(host, name, None) != value:
            changed[name] = value
            setattr(host, name, value)
    db.session.flush()
    audit.record("settings.update", "Cập nhật thông tin cơ quan và cài đặt.", entity=host, changed=changed)
    db.session.commit()
    return host


def save_department(values: dict, department: Department | None = None) -> Department:
    """Create or edit a department (name, abbreviation, email, position); refused when its name or
    abbreviation is taken."""
    name, abbreviation = values["name"], values["abbreviation"]
    clash = db.session.scalar(
        sa.select(Department.id).where(
            sa.or_(Department.name == name, Department.abbreviation == abbreviation),
            Department.id != (department.id if department else -1),
        )
    )
    if clash:
        raise UserError("Đã có phòng, đơn vị cùng tên hoặc cùng ký hiệu.", field="name")
    created = department is None
    department = department or Department(name=name, abbreviation=abbreviation)
    department.name, department.abbreviation = name, abbreviation
    department.email = values["email"] or ""
    department.position = values["position"] or 0
    db.session.add(department)
    db.session.flush()
    audit.record("department.create" if created else "department.update",
                 f"{'Thêm' if created else 'Sửa'} phòng, đơn vị «{name}».", entity=department)
    db.session.commit()
    return department


def _check_department(role: str, department_id: int | None) -> int | None:
    if role == Role.DEPARTMENT and not department_id:
        raise UserError("Tài khoản của phòng, đơn vị cần chọn phòng, đơn vị.", field="department_id")
    if department_id and db.session.get(Department, department_id) is None:
        raise UserError("Phòng, đơn vị không tồn tại.", field="department_id")
    return department_id or None


def add_user(values: dict) -> User:
    """Create an account (username, password, full_name, role, email, department_id)."""
    department_id = _check_department(values["role"], values["department_id"])
    user = create_user(values["username"], values["password"], values["full_name"], values["role"],
                       values["email"] or "", department_id)
    db.session.flush()
    audit.record("user.create", f"Tạo tài khoản {user.username} ({user.role_enum.label}).", entity=user)
    db.session.commit()
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
        raise UserError("Vai trò không hợp lệ.", field="role")
    if role != Role.ADMIN and _last_admin(user):
        raise UserError("Không thể bỏ quyền quản trị của quản trị viên cuối cùng.", field="role")
    department_id = _check_department(role, department_id)
    old = user.role
    user.role, user.department_id = role, department_id
    audit.record("user.role", f"Đổi vai trò của {user.username}: {Role(old).label} → {Role(role).label}.",
                 entity=user, old=old, new=role)
    db.session.commit()


def set_active(user: User, active: bool, acting: User) -> None:
    """Deactivate (or reactivate) an account; its rows stay for the audit log, its sessions end."""
    if not active and user.id == acting.id:
        raise UserError("Bạn không thể tự khóa tài khoản của mình.")
    if not active and _last_admin(user):
        raise UserError("Không thể khóa quản trị viên cuối cùng.")
    user.active = active
    if not active:
        end_sessions(user)
    audit.record("user.activate" if active else "user.deactivate",
                 f"{'Mở lại' if active else 'Khóa'} tài khoản {user.username}.", entity=user)
    db.session.commit()


def reset_password(user: User, password: str) -> None:
    """Set a new password for an account (told to its owner out of band); its sessions and remember cookies
    end."""
    set_password(user, password)
    audit.record("user.password_reset", f"Đặt lại mật khẩu của {user.username}.", entity=user)
    db.session.commit()


def department_choices() -> dict[int, str]:
    """Choices of a department select (0: none), as WTForms' shorthand dict."""
    departments = db.session.scalars(sa.select(Department).order_by(Department.position, Department.name)).all()
    return {0: "— Không —"} | {d.id: d.name for d in departments}


def find_people(q: str, limit: int = 50) -> tuple[list[Delegate], list[Invitation]]:
    """Whom a personal-data request may be about, matching ``q`` (accents ignored): delegates, and people invited
    by name who have no delegate row (they declined, or have not answered)."""
    terms = text.search_terms(q)
    if not terms:
        return [], []
    delegates = sa.select(Delegate).order_by(Delegate.id.desc()).limit(limit)
    has_invitee = sa.exists().where(Delegate.invitation_id == Invitation.id, Delegate.kind == DelegateKind.INVITEE.value)
    invitations = (sa.select(Invitation).where(Invitation.kind == InvitationKind.PERSON.value, ~has_invitee)
                   .order_by(Invitation.id.desc()).limit(limit))
    for term in terms:
        delegates = delegates.where(Delegate.search_text.contains(term, autoescape=True))
        invitations = invitations.where(Invitation.search_text.contains(term, autoescape=True))
    return db.session.scalars(delegates).all(), db.session.scalars(invitations).all()
