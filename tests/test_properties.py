"""Property-based tests: arbitrary text, Unicode, huge and empty values at the forms and at the JSON API.
Never a 500 (the test app propagates exceptions, so one fails the test), never a half-saved record."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventapp.models import (
    Agency,
    AgencyGroup,
    BudgetLine,
    CheckIn,
    Conference,
    Department,
    HostAgency,
    Invitation,
    Scan,
    Task,
    User,
    Venue,
)
from eventapp.passes import qr_text

from .test_privacy import make_people

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

NASTY = [
    "", " ", "\t\n", "0", "-1", "1e309", "99999999999999999999999", "NaN", "null", "01/01/0001", "31/02/2026",
    "29/02/2024", "00:00", "24:00", "23:59:59", "+84 912 345 678", "0912345678", "a@b", "@@", "x" * 70_000,
    "đ" * 5_000, "Nguyễn Văn Đức", "Ðặng Thị Ɖào", "e\u0301", "\u200b\u200f\u202e", "🏛️" * 50, "１２３",
    "<script>alert(1)</script>", "'; DROP TABLE conference; --", "%_\\", "\ufeff", "{{7*7}}", "\r\n" * 100,
    "54 triệu", "54.000.000", "-54.000.000", "1.000.000.000.000.000.000",
]
#: Text a browser can send: any Unicode scalar value (surrogates cannot travel in UTF-8); NUL is refused with 400.
value = st.one_of(
    st.sampled_from(NASTY),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300),
)


def _counts(db, *models) -> dict:
    db.session.remove()
    return {m: db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in models}


def _check(db, response, before: dict, made: type, allowed_statuses=(200, 303, 400, 413, 422)):
    """A clean answer; on refusal nothing saved, on success at most one new row of ``made``."""
    assert response.status_code in allowed_statuses, response.status_code
    after = _counts(db, *before)
    if response.status_code in (303, 302):
        assert after[made] in (before[made], before[made] + 1)
    else:
        assert after == before, "a refused form saved something"


# --- sign-in -------------------------------------------------------------------------------------

@SETTINGS
@given(username=value, password=value, remember=st.sampled_from(["", "y", "x" * 1000]))
def test_sign_in_never_fails_on_any_input(client, db, username, password, remember):
    response = client.post("/dang-nhap", data={"username": username, "password": password, "remember": remember})
    assert response.status_code in (400, 413, 422)


# --- the conference form ---------------------------------------------------------------------------

CONFERENCE_FIELDS = ["kind", "title", "number_symbol", "purpose", "content", "chair", "preparation", "start_date",
                     "start_time", "end_date", "end_time", "venue_id", "expected_attendance", "rsvp_date",
                     "rsvp_time", "lead_department_id", "approved_budget", "funding_source", "contact_name",
                     "contact_phone", "contact_email"]


@SETTINGS
@given(data=st.fixed_dictionaries({}, optional=dict.fromkeys(CONFERENCE_FIELDS, value)))
@pytest.mark.filterwarnings("ignore:Passing SelectField choices:DeprecationWarning")
def test_conference_form_never_fails_and_never_half_saves(organizer_client, db, data):
    before = _counts(db, Conference)
    response = organizer_client.post("/hoi-nghi/moi", data=data)
    _check(db, response, before, Conference)


@SETTINGS
@given(title=value, start=st.sampled_from(["05/03/2026", "5/3/2026", "2026-03-05"]),
       start_time=st.sampled_from(["07:30", "7:30", "7h30"]), budget=value, attendance=value, phone=value,
       email=value)
@pytest.mark.filterwarnings("ignore:Passing SelectField choices:DeprecationWarning")
def test_conference_form_with_valid_dates_saves_whole_records(organizer_client, db, title, start, start_time, budget,
                                                             attendance, phone, email):
    data = {"kind": "tong_ket", "title": title, "start_date": start, "start_time": start_time,
            "end_date": start, "end_time": "17:00", "approved_budget": budget, "expected_attendance": attendance,
            "contact_phone": phone, "contact_email": email, "venue_id": "0", "lead_department_id": "0"}
    before = _counts(db, Conference)
    response = organizer_client.post("/hoi-nghi/moi", data=data)
    _check(db, response, before, Conference)
    if response.status_code == 303:
        conference = db.session.scalar(sa.select(Conference).order_by(Conference.id.desc()))
        assert conference.title.strip() and conference.ends_at > conference.starts_at


# --- colleagues' forms -----------------------------------------------------------------------------

@pytest.fixture()
def world(db, make_conference):
    conference = make_conference()
    invitation, delegate, paper = make_people(db, conference)
    department = Department(name="Văn phòng Sở", abbreviation="VP")
    db.session.add(department)
    db.session.commit()
    return {"conference_id": conference.id, "rsvp_token": invitation.rsvp_token, "pass_code": delegate.pass_code,
            "conference": conference, "invitation_id": invitation.id, "group_id": db.session.scalar(sa.select(AgencyGroup.id)),
            "department_id": department.id}


AGENCY_FIELDS = ["name", "short_name", "address", "email", "phone", "contact_name", "contact_position"]


@SETTINGS
@given(data=st.fixed_dictionaries({}, optional=dict.fromkeys(AGENCY_FIELDS, value)), group=st.sampled_from([True, False]))
def test_agency_form(organizer_client, db, world, data, group):
    if group:
        data["group_id"] = str(world["group_id"])
    before = _counts(db, Agency, AgencyGroup)
    _check(db, organizer_client.post("/co-quan/them", data=data), before, Agency)


PERSON_FIELDS = ["invitee_name", "invitee_position", "email", "phone"]


@SETTINGS
@given(data=st.fixed_dictionaries({}, optional=dict.fromkeys(PERSON_FIELDS, value)))
def test_invite_person_form(organizer_client, db, world, data):
    form = {f"person-{k}": v for k, v in data.items()} | {"person-agency_id": "0"}
    before = _counts(db, Invitation, Agency)
    response = organizer_client.post(f"/hoi-nghi/{world['conference_id']}/khach-moi/moi-ca-nhan", data=form)
    _check(db, response, before, Invitation)


@SETTINGS
@given(choice=st.sampled_from(["attend", "decline", "substitute", "", "x"]), reason=value, name=value,
       position=value, phone=value, email=value)
def test_rsvp_answer_form(client, db, world, choice, reason, name, position, phone, email):
    from eventapp.models import Delegate

    data = {"choice": choice, "decline_reason": reason,
            "substitute-full_name": name, "substitute-position": position, "substitute-phone": phone,
            "substitute-email": email, "people-0-full_name": name, "people-0-position": position,
            "people-0-phone": phone, "people-0-email": email}
    before = _counts(db, Delegate, Invitation)
    response = client.post(f"/moi/{world['rsvp_token']}", data=data)
    assert response.status_code in (303, 400, 413, 422), response.status_code
    if response.status_code != 303:
        assert _counts(db, Delegate, Invitation) == before


LINE_FIELDS = ["category", "content", "unit", "quantity", "days", "unit_price", "funding_source", "norm_id",
               "actual_amount", "note"]


@SETTINGS
@given(data=st.fixed_dictionaries({}, optional=dict.fromkeys(LINE_FIELDS, value)))
def test_budget_line_form(organizer_client, db, world, data):
    form = {f"new-{k}": v for k, v in data.items()}
    before = _counts(db, BudgetLine)
    response = organizer_client.post(f"/hoi-nghi/{world['conference_id']}/kinh-phi/them", data=form)
    _check(db, response, before, BudgetLine)


TASK_FIELDS = ["title", "description", "assignee_name", "deadline", "status", "notes"]


@SETTINGS
@given(data=st.fixed_dictionaries({}, optional=dict.fromkeys(TASK_FIELDS, value)))
def test_task_form(organizer_client, db, world, data):
    data["lead_department_id"] = str(world["department_id"])
    before = _counts(db, Task)
    response = organizer_client.post(f"/hoi-nghi/{world['conference_id']}/phan-cong/them", data=data)
    _check(db, response, before, Task)


INVITATION_EDIT_FIELDS = ["invitee_name", "invitee_position", "seats", "role_text", "email", "phone", "note"]


@SETTINGS
@given(data=st.fixed_dictionaries({}, optional=dict.fromkeys(INVITATION_EDIT_FIELDS, value)))
def test_invitation_edit_form(organizer_client, db, world, data):
    before_row = db.session.execute(sa.select(Invitation.__table__)).all()
    response = organizer_client.post(
        f"/hoi-nghi/{world['conference_id']}/khach-moi/{world['invitation_id']}/sua", data=data)
    assert response.status_code in (303, 400, 413, 422), response.status_code
    if response.status_code != 303:
        db.session.remove()
        assert db.session.execute(sa.select(Invitation.__table__)).all() == before_row


VENUE_FIELDS = ["name", "room", "address", "phone", "capacity", "equipment", "notes"]


@SETTINGS
@given(data=st.fixed_dictionaries({}, optional=dict.fromkeys(VENUE_FIELDS, value)))
def test_venue_form(organizer_client, db, data):
    before = _counts(db, Venue)
    _check(db, organizer_client.post("/dia-diem/moi", data=data), before, Venue)


HOST_FIELDS = ["name", "parent_name", "abbreviation", "address", "phone", "email", "website", "place_name",
               "signer_authority", "signer_title", "signer_name", "retention_months"]


@SETTINGS
@given(data=st.fixed_dictionaries({}, optional=dict.fromkeys(HOST_FIELDS, value)))
def test_host_agency_settings_form(admin_client, db, data):
    before = _counts(db, HostAgency)
    _check(db, admin_client.post("/quan-tri/", data=data), before, HostAgency)


PAPER_FIELDS = ["speaker_name", "speaker_position", "speaker_agency", "speaker_email", "speaker_phone", "topic",
                "deadline_date", "deadline_time", "message"]


@SETTINGS
@given(data=st.fixed_dictionaries({}, optional=dict.fromkeys(PAPER_FIELDS, value)))
def test_paper_invitation_form(organizer_client, db, world, data):
    from eventapp.models import Paper

    before = _counts(db, Paper)
    response = organizer_client.post(f"/hoi-nghi/{world['conference_id']}/tham-luan/moi", data=data)
    _check(db, response, before, Paper)


AGENDA_FIELDS = ["kind", "paper_id", "title", "presenter", "duration_minutes", "notes"]


@SETTINGS
@given(data=st.fixed_dictionaries({}, optional=dict.fromkeys(AGENDA_FIELDS, value)))
def test_agenda_item_form(organizer_client, db, world, data):
    from eventapp.models import AgendaItem

    before = _counts(db, AgendaItem)
    response = organizer_client.post(f"/hoi-nghi/{world['conference_id']}/chuong-trinh/them", data=data)
    _check(db, response, before, AgendaItem)


@SETTINGS
@given(name=value, position=value, agency=value)
def test_walk_in_form(organizer_client, db, world, name, position, agency):
    from eventapp.models import Delegate

    before = _counts(db, Delegate, CheckIn)
    response = organizer_client.post(f"/hoi-nghi/{world['conference_id']}/don-tiep/khach-moi", data={
        "walkin-full_name": name, "walkin-position": position, "walkin-agency_name": agency})
    assert response.status_code in (200, 201, 303, 400, 409, 413, 422), response.status_code
    after = _counts(db, Delegate, CheckIn)
    grew = (after[Delegate] - before[Delegate], after[CheckIn] - before[CheckIn])
    assert grew in ((0, 0), (1, 1)), f"a walk-in half saved: {grew}"


USER_FIELDS = ["username", "full_name", "email", "role", "department_id", "password"]


@SETTINGS
@given(data=st.fixed_dictionaries({}, optional=dict.fromkeys(USER_FIELDS, value)))
def test_admin_user_form(admin_client, db, data):
    before = _counts(db, User)
    _check(db, admin_client.post("/quan-tri/tai-khoan/moi", data=data), before, User)


# --- the JSON API ----------------------------------------------------------------------------------

json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), value),
    lambda children: st.one_of(st.lists(children, max_size=5), st.dictionaries(value, children, max_size=5)),
    max_leaves=20,
)


@pytest.fixture()
def device(db, world):
    from eventapp.checkin.devices import create_device

    _, token = create_device(world["conference"], "Bàn 1")
    return {"Authorization": f"Bearer {token}"}


@SETTINGS
@given(body=st.one_of(
    json_value,
    st.fixed_dictionaries({"code": value}, optional={"nonce": json_value, "scanned_at": json_value}),
    st.fixed_dictionaries({"code": st.just("VALID"), "nonce": value, "scanned_at": value}),
))
def test_checkin_api_answers_any_json_cleanly(client, db, world, device, body):
    if isinstance(body, dict) and body.get("code") == "VALID":
        body["code"] = qr_text(world["conference_id"], world["pass_code"])
    before = _counts(db, CheckIn)
    response = client.post("/api/v1/checkin", data=json.dumps(body), content_type="application/json", headers=device)
    assert response.status_code in (200, 201, 400, 404, 409), response.status_code
    answer = response.get_json()
    assert isinstance(answer, dict) and answer.get("result") and answer.get("message") is not None
    after = _counts(db, CheckIn)
    assert after[CheckIn] - before[CheckIn] in (0, 1)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn).where(CheckIn.undone_at.is_(None))) <= 1


@SETTINGS
@given(body=st.one_of(json_value, st.fixed_dictionaries({"scans": st.lists(json_value, max_size=10)})),
       raw=st.one_of(st.none(), st.binary(max_size=200)))
def test_checkin_batch_api_answers_anything_cleanly(client, db, world, device, body, raw):
    data = raw if raw is not None else json.dumps(body)
    response = client.post("/api/v1/checkin/batch", data=data, content_type="application/json", headers=device)
    assert response.status_code in (200, 201, 207, 400, 404, 409, 413), response.status_code
    assert isinstance(response.get_json(), dict)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Scan)) >= 0


@pytest.mark.parametrize("path_field", [("/dang-nhap", "username"), ("/hoi-nghi/moi", "title"), ("/co-quan/them", "name")])
@pytest.mark.filterwarnings("ignore:Passing SelectField choices:DeprecationWarning")
def test_nul_characters_never_reach_the_database(organizer_client, db, world, path_field):
    """PostgreSQL refuses NUL in text: a NUL typed or pasted must give a clean answer, not a 500."""
    path, field = path_field
    data = {field: "Sở\x00Tài chính", "group_id": str(world["group_id"]), "kind": "tong_ket",
            "start_date": "05/03/2026", "start_time": "07:30", "end_date": "05/03/2026", "end_time": "11:00"}
    client = organizer_client if path != "/dang-nhap" else organizer_client.application.test_client()
    response = client.post(path, data=data)
    assert response.status_code == 400 and "Yêu cầu không hợp lệ" in response.get_data(as_text=True)


def test_nul_characters_in_the_api_and_the_query_get_a_clean_400(client, db, world, device):
    scans = db.session.scalar(sa.select(sa.func.count()).select_from(Scan))
    response = client.post("/api/v1/checkin", data=json.dumps({"code": "1-\u0000", "nonce": "a\x00"}),
                           content_type="application/json", headers=device)
    assert response.status_code == 400 and response.get_json()["result"] == "error"
    assert client.get("/moi/abc%00def").status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Scan)) == scans
