"""The README's deployment: the schema made by ``flask db upgrade``, the app served by gunicorn through its
WSGI entry point (eventapp.wsgi), a device checking in over real HTTP."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer in {seconds} s")


@pytest.fixture()
def deployed(tmp_path):
    """gunicorn -w 2 'eventapp.wsgi:app' on a fresh SQLite database made by the migrations."""
    if not (BIN / "gunicorn").exists():
        pytest.skip("gunicorn is not installed next to this Python")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'eventapp.sqlite3'}",
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "SECRET_KEY": "khoa-bi-mat-chi-de-thu-nghiem-trien-khai",
        "SESSION_COOKIE_SECURE": "0",
        "MAIL_PORT": "1",
    }
    subprocess.run([str(BIN / "flask"), "--app", "eventapp", "db", "upgrade"], env=env, check=True,
                   capture_output=True, timeout=120)
    port = _free_port()
    process = subprocess.Popen([str(BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "eventapp.wsgi:app"],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base + "/dang-nhap", process)
        yield base, env
    finally:
        process.terminate()
        process.wait(15)
        if process.stderr:
            process.stderr.close()


def test_gunicorn_serves_the_wsgi_entry_point_and_a_device_checks_in(deployed):
    base, env = deployed
    with urllib.request.urlopen(base + "/dang-nhap", timeout=5) as response:
        assert response.status == 200 and "Đăng nhập" in response.read().decode()

    # A conference, a delegate and a device token, made in the database the server uses.
    script = """
import json
from datetime import timedelta
from eventapp import create_app
from eventapp.checkin.devices import create_device
from eventapp.extensions import db
from eventapp.models import Conference, Delegate, Invitation, utcnow
from eventapp.passes import qr_text
app = create_app()
with app.app_context():
    now = utcnow()
    conference = Conference(kind="so_ket", title="Hội nghị sơ kết", starts_at=now, ends_at=now + timedelta(hours=4))
    db.session.add(conference); db.session.flush()
    invitation = Invitation(conference_id=conference.id, kind="person", invitee_name="Nguyễn Văn An",
                            status="attending", seats=1)
    db.session.add(invitation); db.session.flush()
    delegate = Delegate(conference_id=conference.id, invitation_id=invitation.id, kind="invitee",
                        full_name="Nguyễn Văn An", status="attending", search_text="nguyen van an")
    db.session.add(delegate); db.session.commit()
    _, token = create_device(conference, "Bàn 1")
    print(json.dumps({"token": token, "code": qr_text(conference.id, delegate.pass_code)}))
"""
    made = subprocess.run([sys.executable, "-c", script], env=env, check=True, capture_output=True, text=True,
                          timeout=60)
    given = json.loads(made.stdout.strip().splitlines()[-1])

    def scan(nonce: str) -> tuple[int, dict]:
        request = urllib.request.Request(
            base + "/api/v1/checkin", method="POST",
            data=json.dumps({"code": given["code"], "nonce": nonce}).encode(),
            headers={"Authorization": f"Bearer {given['token']}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            with error:
                return error.code, json.loads(error.read())

    status, body = scan("quet-1")
    assert status == 201 and body["result"] == "ok" and body["delegate"]["name"] == "Nguyễn Văn An"
    assert scan("quet-1") == (status, body)  # the same scan again: the first answer, nothing new
    status, again = scan("quet-2")
    assert status == 200 and again["result"] == "already_checked_in"
    assert again["checked_in_at"] == body["checked_in_at"]
