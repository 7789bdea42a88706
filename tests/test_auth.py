"""Signing in and out, sessions that end for good, staff passwords, and what each role may open."""

import pytest
import sqlalchemy as sa

from eventapp.auth.passwords import COMMON_PASSWORDS, check_password, common_passwords
from eventapp.errors import UserError
from eventapp.models import AuditEntry, User

from .conftest import PASSWORD, login


def test_sign_in_page_speaks_vietnamese(client):
    response = client.get("/dang-nhap")
    assert response.status_code == 200
    assert "Đăng nhập" in response.get_data(as_text=True)


def test_wrong_password_is_refused_next_to_the_field(client, make_user):
    user = make_user("organizer")
    response = client.post("/dang-nhap", data={"username": user.username, "password": "sai-mat-khau"})
    assert response.status_code == 422
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.get_data(as_text=True)
    assert client.get("/hoi-nghi/").status_code == 302


def test_inactive_user_cannot_sign_in(client, make_user):
    user = make_user("organizer", active=False)
    response = client.post("/dang-nhap", data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 422


def test_passwords_are_hashed(db, make_user):
    user = make_user("admin")
    stored = db.session.get(User, user.id).password_hash
    assert PASSWORD not in stored and stored.startswith(("scrypt:", "pbkdf2:"))


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/hoi-nghi/")
    assert response.status_code == 302
    assert "/dang-nhap" in response.headers["Location"]


def test_next_parameter_cannot_leave_the_site(client, make_user):
    user = make_user("organizer")
    response = client.post("/dang-nhap?next=https://evil.example/x",
                           data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize(
    ("role", "start"),
    [("organizer", "/hoi-nghi/"), ("admin", "/hoi-nghi/"), ("reception", "/don-tiep")],
)
def test_each_role_lands_on_its_page(login_as, role, start):
    client = login_as(role)
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith(start)


def test_department_staff_lands_on_their_tasks(login_as):
    client = login_as("department")
    response = client.get("/", follow_redirects=True)
    assert response.status_code == 200
    assert "Nhiệm vụ" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["reception", "department"])
def test_staff_without_organizer_role_get_403_on_organizer_pages(login_as, make_conference, role):
    conference = make_conference()
    client = login_as(role)
    for url in ("/hoi-nghi/", "/hoi-nghi/moi", f"/hoi-nghi/{conference.id}", f"/hoi-nghi/{conference.id}/sua"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Không có quyền truy cập" in response.get_data(as_text=True)


def test_sign_out_needs_post_and_ends_the_session(organizer_client):
    assert organizer_client.get("/dang-xuat").status_code == 405
    response = organizer_client.post("/dang-xuat")
    assert response.status_code == 303
    assert organizer_client.get("/hoi-nghi/").status_code == 302


def test_create_user_command(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-user", "quantri", "--role", "admin", "--name", "Trần Thị Quản Trị",
                                 "--password", "mot-mat-khau-dai"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(db.select(User).where(User.username == "quantri"))
    assert user.role == "admin" and user.check_password("mot-mat-khau-dai")
    again = runner.invoke(args=["create-user", "quantri", "--password", "mot-mat-khau-dai"])
    assert again.exit_code != 0 and "đã có người dùng" in again.output


def test_login_with_remember(client, make_user):
    user = make_user("organizer")
    login(client, user)
    assert client.get("/hoi-nghi/").status_code == 200


def test_two_signed_in_clients_in_one_test_stay_apart(login_as, make_conference):
    conference = make_conference()
    organizer, reception = login_as("organizer"), login_as("reception")
    assert organizer.get(f"/hoi-nghi/{conference.id}").status_code == 200
    assert reception.get(f"/hoi-nghi/{conference.id}").status_code == 403
    assert organizer.get(f"/hoi-nghi/{conference.id}").status_code == 200


# --- a session ends for good: sign-out, password change or reset, lock ----------------------------------

def _cookie(client, name):
    cookie = client.get_cookie(name)
    assert cookie is not None, f"no {name} cookie"
    return cookie.value


def _replay(app, **cookies):
    """A new browser holding only copies of ``cookies`` (what someone who copied them would have)."""
    client = app.test_client()
    for name, value in cookies.items():
        client.set_cookie(name, value)
    return client


def _signed_in(client) -> bool:
    return client.get("/hoi-nghi/").status_code == 200


def _remembered_login(app, user):
    client = app.test_client()
    response = client.post("/dang-nhap", data={"username": user.username, "password": PASSWORD, "remember": "y"})
    assert response.status_code == 303
    return client, _cookie(client, "session"), _cookie(client, "remember_token")


def test_sign_out_ends_copies_of_the_session_and_remember_cookies(app, db, make_user):
    user = make_user("organizer")
    client, session, remember = _remembered_login(app, user)
    assert _signed_in(_replay(app, session=session)) and _signed_in(_replay(app, remember_token=remember))
    assert client.post("/dang-xuat").status_code == 303
    assert not _signed_in(_replay(app, session=session)), "the old session cookie still opened pages"
    assert not _signed_in(_replay(app, remember_token=remember)), "the remember cookie outlived the sign-out"
    assert _signed_in(login(app.test_client(), user)), "signing in again works"


def test_a_password_reset_by_the_administrator_ends_every_session(app, db, admin_client, make_user):
    user = make_user("reception")
    _, session, remember = _remembered_login(app, user)
    assert admin_client.post(f"/quan-tri/tai-khoan/{user.id}/mat-khau",
                             data={"pw-password": "mot-cau-mat-khau-moi"}).status_code == 303
    for copy in (_replay(app, session=session), _replay(app, remember_token=remember)):
        assert copy.get("/don-tiep").status_code == 302
    assert admin_client.get("/quan-tri/tai-khoan").status_code == 200, "the administrator's own session goes on"


def test_locking_an_account_ends_its_remember_cookie_too(app, db, admin_client, make_user):
    user = make_user("organizer")
    _, _, remember = _remembered_login(app, user)
    admin_client.post(f"/quan-tri/tai-khoan/{user.id}/trang-thai", data={"active": "0"})
    admin_client.post(f"/quan-tri/tai-khoan/{user.id}/trang-thai", data={"active": "1"})
    assert not _signed_in(_replay(app, remember_token=remember)), "unlocking must not revive the old cookies"


def test_changing_ones_password_ends_the_other_sessions_and_keeps_this_one(app, db, make_user):
    user = make_user("department")
    here, other = login(app.test_client(), user), login(app.test_client(), user)
    page = here.get("/doi-mat-khau")
    assert page.status_code == 200 and "Mật khẩu hiện tại" in page.get_data(as_text=True)
    wrong = here.post("/doi-mat-khau", data={"current": "khong-phai", "password": "mot-cau-mat-khau-moi",
                                             "confirm": "mot-cau-mat-khau-moi"})
    assert wrong.status_code == 422 and "Mật khẩu hiện tại không đúng." in wrong.get_data(as_text=True)
    weak = here.post("/doi-mat-khau", data={"current": PASSWORD, "password": "12345678", "confirm": "12345678"})
    assert weak.status_code == 422 and "ít nhất 12 ký tự" in weak.get_data(as_text=True)
    done = here.post("/doi-mat-khau", data={"current": PASSWORD, "password": "mot-cau-mat-khau-moi",
                                            "confirm": "mot-cau-mat-khau-moi"})
    assert done.status_code == 303
    assert here.get("/doi-mat-khau").status_code == 200, "this session goes on"
    assert other.get("/doi-mat-khau").status_code == 302, "the other session ended"
    login(app.test_client(), user, "mot-cau-mat-khau-moi")
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "user.password_change"))


def test_staff_pages_are_never_stored_by_the_browser(app, organizer_client, client, make_conference):
    conference = make_conference()
    for url in ("/hoi-nghi/", f"/hoi-nghi/{conference.id}", "/doi-mat-khau", "/quan-tri/du-lieu-ca-nhan"):
        response = organizer_client.get(url)
        assert response.status_code == 200 and "no-store" in response.headers["Cache-Control"], url
    assert "no-store" in client.get("/dang-nhap").headers["Cache-Control"]
    assert "no-store" not in client.get("/static/css/app.css").headers.get("Cache-Control", "")


# --- staff passwords -----------------------------------------------------------------------------------

@pytest.mark.parametrize("password", [
    "12345678", "matkhau2026", "123456789012", "qwertyuiop123", "Password123!", "Mật khẩu 123456",
    "111111111111", "ba mẹ đi xa", "quantri-admin-2026",
])
def test_weak_passwords_are_refused_for_staff(password):
    with pytest.raises(UserError) as refused:
        check_password(password, "quantri", "Trần Thị Quản Trị")
    assert refused.value.field == "password"


@pytest.mark.parametrize("password", [
    "mot-mat-khau-dai", "Hội nghị tổng kết 2026!", "mùa thu lá vàng rơi", "mèo con đi học", "x7#Lq2!vR9@p",
])
def test_long_passwords_and_passphrases_are_accepted(password):
    check_password(password, "quantri", "Trần Thị Quản Trị")


def test_the_common_passwords_are_shipped_with_the_app():
    listed = common_passwords()
    assert len(listed) > 19_000 and {"123456", "password", "iloveyou", "matkhau", "anhyeuem"} <= listed
    assert COMMON_PASSWORDS.parent.name == "auth" and COMMON_PASSWORDS.is_file()


def test_an_administrator_cannot_be_given_12345678(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-user", "quantri2", "--role", "admin", "--password", "12345678"])
    assert result.exit_code != 0 and "ít nhất 12 ký tự" in result.output
    assert db.session.scalar(sa.select(User).where(User.username == "quantri2")) is None
