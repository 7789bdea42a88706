"""Signing in, signing out, and what each role may open."""

import pytest

from eventapp.models import User

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
