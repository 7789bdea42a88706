"""Tests for eventapp.vntime: time zones, Vietnamese formats, holidays and working days."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from eventapp import vntime
from eventapp.vntime import (
    SWAPPED_DAYS,
    TZ,
    add_working_days,
    format_date,
    format_datetime,
    format_time,
    holidays,
    invitation_deadline,
    is_working_day,
    local_to_utc,
    long_date,
    parse_date_vn,
    parse_time_vn,
    to_local,
    utcnow,
    weekday_vn,
    working_days_between,
)

# --- time zones -------------------------------------------------------------------------------


def test_utcnow_is_aware_utc():
    now = utcnow()
    assert now.utcoffset() == timedelta(0)
    assert abs(now - datetime.now(UTC)) < timedelta(seconds=5)


def test_to_local_treats_naive_as_utc():
    local = to_local(datetime(2021, 3, 5, 0, 30))
    assert local.tzinfo is TZ
    assert (local.date(), local.time()) == (date(2021, 3, 5), time(7, 30))
    assert to_local(datetime(2021, 3, 5, 0, 30, tzinfo=UTC)) == local
    assert to_local(None) is None


def test_local_to_utc_round_trip():
    utc = local_to_utc(datetime(2021, 4, 8, 7, 30))
    assert utc == datetime(2021, 4, 8, 0, 30, tzinfo=UTC)
    assert utc.utcoffset() == timedelta(0)
    assert to_local(utc).replace(tzinfo=None) == datetime(2021, 4, 8, 7, 30)


# --- formatting -------------------------------------------------------------------------------


def test_format_date_time_and_datetime():
    stored = datetime(2021, 3, 5, 0, 30, tzinfo=UTC)
    assert format_date(date(2021, 3, 5)) == "05/03/2021"
    assert format_time(time(7, 30)) == "07:30"
    assert format_time(stored) == "07:30"
    assert format_datetime(stored) == "07:30 05/03/2021"
    assert format_time(datetime(2021, 3, 5, 6, 0)) == "13:00"


def test_format_uses_the_local_date_across_midnight():
    late_utc = datetime(2021, 3, 4, 18, 0)  # 01:00 on 05/03 in Vietnam
    assert format_date(late_utc) == "05/03/2021"
    assert format_datetime(late_utc) == "01:00 05/03/2021"
    assert weekday_vn(late_utc) == "Thứ Sáu"


def test_format_none_is_empty():
    assert format_date(None) == format_time(None) == format_datetime(None) == ""


@pytest.mark.parametrize(
    "day, name",
    [
        (date(2021, 3, 1), "Thứ Hai"),
        (date(2021, 3, 2), "Thứ Ba"),
        (date(2021, 3, 3), "Thứ Tư"),
        (date(2021, 3, 4), "Thứ Năm"),
        (date(2021, 3, 5), "Thứ Sáu"),
        (date(2021, 3, 6), "Thứ Bảy"),
        (date(2021, 3, 7), "Chủ nhật"),
    ],
)
def test_weekday_vn(day, name):
    assert weekday_vn(day) == name


@pytest.mark.parametrize(
    "day, expected",
    [
        (date(2021, 3, 5), "Quảng Ngãi, ngày 05 tháng 3 năm 2021"),
        (date(2021, 1, 16), "Quảng Ngãi, ngày 16 tháng 01 năm 2021"),
        (date(2021, 12, 25), "Quảng Ngãi, ngày 25 tháng 12 năm 2021"),
        (date(2021, 2, 2), "Quảng Ngãi, ngày 02 tháng 02 năm 2021"),
        (date(2021, 3, 16), "Quảng Ngãi, ngày 16 tháng 3 năm 2021"),
        (date(2020, 10, 9), "Quảng Ngãi, ngày 09 tháng 10 năm 2020"),
    ],
)
def test_long_date_follows_decree_30(day, expected):
    assert long_date("Quảng Ngãi", day) == expected


def test_long_date_without_place_and_from_a_datetime():
    assert long_date("", date(2021, 3, 5)) == "ngày 05 tháng 3 năm 2021"
    assert long_date("Bắc Giang", datetime(2020, 7, 27, 20, 0, tzinfo=UTC)) == (
        "Bắc Giang, ngày 28 tháng 7 năm 2020"
    )


# --- parsing ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw", ["05/03/2021", "5/3/2021", " 05/03/2021 ", "2021-03-05", "05-03-2021", "5.3.2021"]
)
def test_parse_date_vn(raw):
    assert parse_date_vn(raw) == date(2021, 3, 5)


@pytest.mark.parametrize(
    "raw, message",
    [
        ("", "Chưa nhập ngày"),
        (None, "Chưa nhập ngày"),
        ("05/03/21", "Ngày không hợp lệ"),
        ("hôm nay", "Ngày không hợp lệ"),
        ("2021/03/05", "Ngày không hợp lệ"),
        ("31/02/2021", "Ngày không tồn tại"),
        ("05/13/2021", "Ngày không tồn tại"),
    ],
)
def test_parse_date_vn_rejects(raw, message):
    with pytest.raises(ValueError, match=message):
        parse_date_vn(raw)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("07:30", time(7, 30)),
        ("7:30", time(7, 30)),
        ("13:05", time(13, 5)),
        ("7h30", time(7, 30)),
        ("7h", time(7, 0)),
        ("14 giờ 30", time(14, 30)),
        ("00:00", time(0, 0)),
    ],
)
def test_parse_time_vn(raw, expected):
    assert parse_time_vn(raw) == expected


@pytest.mark.parametrize(
    "raw, message",
    [
        ("", "Chưa nhập giờ"),
        ("7", "Giờ không hợp lệ"),
        ("7:3", "Giờ không hợp lệ"),
        ("sáng", "Giờ không hợp lệ"),
        ("24:00", "Giờ không tồn tại"),
        ("07:60", "Giờ không tồn tại"),
    ],
)
def test_parse_time_vn_rejects(raw, message):
    with pytest.raises(ValueError, match=message):
        parse_time_vn(raw)


# --- the lunar tables -------------------------------------------------------------------------

# Well-known dates of Tết (mùng 1 tháng Giêng) and Giỗ Tổ Hùng Vương (10 tháng 3 âm lịch).
KNOWN_TET = {
    2019: date(2019, 2, 5),
    2020: date(2020, 1, 25),
    2021: date(2021, 2, 12),
    2022: date(2022, 2, 1),
    2023: date(2023, 1, 22),
    2024: date(2024, 2, 10),
    2025: date(2025, 1, 29),
    2026: date(2026, 2, 17),
    2030: date(2030, 2, 2),  # Vietnamese calendar (UTC+7); the Chinese one has 3 February
}
KNOWN_HUNG_KINGS = {
    2019: date(2019, 4, 14),
    2020: date(2020, 4, 2),
    2021: date(2021, 4, 21),
    2022: date(2022, 4, 10),
    2023: date(2023, 4, 29),  # after a leap second month
    2024: date(2024, 4, 18),
    2025: date(2025, 4, 7),
    2026: date(2026, 4, 26),
}


@pytest.mark.parametrize("year, tet", KNOWN_TET.items())
def test_tet_dates(year, tet):
    days_off = holidays(year)
    tet_days = [d for d, name in days_off.items() if name == "Tết Nguyên đán"]
    assert tet_days == [tet + timedelta(days=offset) for offset in range(-1, 4)]


@pytest.mark.parametrize("year, day", KNOWN_HUNG_KINGS.items())
def test_hung_kings_dates(year, day):
    assert holidays(year)[day] == "Giỗ Tổ Hùng Vương"


@pytest.mark.parametrize("year", range(2019, 2061))
def test_lunar_dates_are_plausible(year):
    days_off = holidays(year)
    tet = min(d for d, name in days_off.items() if name == "Tết Nguyên đán") + timedelta(days=1)
    hung_kings = next(d for d, name in days_off.items() if name == "Giỗ Tổ Hùng Vương")
    assert date(year, 1, 21) <= tet <= date(year, 2, 20)
    # Two lunar months (three with a leap month) and nine days later.
    assert (hung_kings - tet).days in (*range(67, 70), *range(96, 99))
    assert sum(name == "Tết Nguyên đán" for name in days_off.values()) == 5


def test_later_years_have_their_holidays_too():
    # Tết 2036 is on Monday 28/01: off from Sunday 27/01 (the eve) to Friday 01/02 (the weekend's two days made up).
    assert [d.day for d, name in holidays(2036).items() if d.month < 3] == [1, 27, 28, 29, 30, 31, 1]
    assert holidays(2036)[date(2036, 1, 28)] == "Tết Nguyên đán"
    assert not is_working_day(date(2036, 1, 29)) and is_working_day(date(2036, 2, 4))
    # 01/01/2040 is a Sunday: Monday 02/01 is off; a meeting on Thursday 05/01 needs its letter out by Thursday
    # 29/12/2039 (Monday to Friday alone would give Friday 30/12).
    assert holidays(2040)[date(2040, 1, 2)] == "Nghỉ bù Tết Dương lịch"
    assert working_days_between(date(2039, 12, 29), date(2040, 1, 4)) == 2
    assert invitation_deadline(date(2040, 1, 5)) == date(2039, 12, 29)
    assert add_working_days(date(2099, 12, 31), 1) == date(2100, 1, 4)


def test_every_swapped_day_in_the_table_is_off_and_its_saturday_worked():
    for day_off, saturday in SWAPPED_DAYS.items():
        assert saturday.weekday() == 5 and day_off.weekday() < 5
        assert not is_working_day(day_off) and is_working_day(saturday)
        assert holidays(day_off.year)[day_off] == f"Nghỉ hoán đổi (làm bù thứ Bảy {format_date(saturday)})"


@pytest.fixture()
def fresh_calendar():
    vntime._calendar.cache_clear()
    yield
    vntime._calendar.cache_clear()


def test_a_new_decision_counts_once_added_to_the_table(monkeypatch, fresh_calendar):
    # Were the government to give Friday 03/05/2030 off against Saturday 11/05/2030:
    assert is_working_day(date(2030, 5, 3)) and not is_working_day(date(2030, 5, 11))
    vntime._calendar.cache_clear()
    monkeypatch.setitem(SWAPPED_DAYS, date(2030, 5, 3), date(2030, 5, 11))
    assert not is_working_day(date(2030, 5, 3)) and is_working_day(date(2030, 5, 11))
    assert holidays(2030)[date(2030, 5, 3)] == "Nghỉ hoán đổi (làm bù thứ Bảy 11/05/2030)"
    assert working_days_between(date(2030, 5, 2), date(2030, 5, 6)) == 0


# --- holidays and working days ----------------------------------------------------------------


def test_holidays_2021_as_announced():
    assert holidays(2021) == {
        date(2021, 1, 1): "Tết Dương lịch",
        date(2021, 2, 10): "Nghỉ bù Tết Nguyên đán",
        date(2021, 2, 11): "Tết Nguyên đán",
        date(2021, 2, 12): "Tết Nguyên đán",
        date(2021, 2, 13): "Tết Nguyên đán",
        date(2021, 2, 14): "Tết Nguyên đán",
        date(2021, 2, 15): "Tết Nguyên đán",
        date(2021, 2, 16): "Nghỉ bù Tết Nguyên đán",
        date(2021, 4, 21): "Giỗ Tổ Hùng Vương",
        date(2021, 4, 30): "Ngày Chiến thắng",
        date(2021, 5, 1): "Ngày Quốc tế Lao động",
        date(2021, 5, 3): "Nghỉ bù Ngày Quốc tế Lao động",
        date(2021, 9, 2): "Quốc khánh",
        date(2021, 9, 3): "Quốc khánh",
    }


def test_tet_2021_working_days():
    # Civil servants were off from Wednesday 10/02 (29 Tết) to Tuesday 16/02 (mùng 5).
    days_off = [day for day in range(8, 19) if not is_working_day(date(2021, 2, day))]
    assert days_off == [10, 11, 12, 13, 14, 15, 16]
    assert working_days_between(date(2021, 2, 9), date(2021, 2, 17)) == 0
    assert working_days_between(date(2021, 2, 5), date(2021, 2, 22)) == 5
    assert add_working_days(date(2021, 2, 9), 1) == date(2021, 2, 17)
    assert add_working_days(date(2021, 2, 17), -1) == date(2021, 2, 9)
    # A meeting on Thursday 18/02 needs its invitation out by Friday 05/02.
    assert invitation_deadline(date(2021, 2, 18)) == date(2021, 2, 5)
    assert working_days_between(date(2021, 2, 5), date(2021, 2, 18)) == 3
    assert working_days_between(date(2021, 2, 8), date(2021, 2, 18)) == 2


def test_working_days_in_2021():
    weekdays = sum((date(2021, 1, 1) + timedelta(days=i)).weekday() < 5 for i in range(365))
    assert weekdays == 261
    # Less 11 weekdays off: 01/01, 10-12/02, 15-16/02, 21/04, 30/04, 03/05, 02/09, 03/09.
    assert working_days_between(date(2020, 12, 31), date(2022, 1, 1)) == 250


def test_compensatory_day_for_a_holiday_on_a_weekend():
    # 01/05/2021 was a Saturday: Monday 03/05 is off instead.
    assert not is_working_day(date(2021, 5, 3))
    assert is_working_day(date(2021, 5, 4))
    assert working_days_between(date(2021, 4, 29), date(2021, 5, 5)) == 1
    # 2023: Giỗ Tổ on Saturday 29/04 and 30/04 on Sunday, 01/05 on Monday: off until Wednesday 03/05.
    assert holidays(2023)[date(2023, 5, 2)] == "Nghỉ bù Giỗ Tổ Hùng Vương"
    assert holidays(2023)[date(2023, 5, 3)] == "Nghỉ bù Ngày Chiến thắng"
    assert add_working_days(date(2023, 4, 28), 1) == date(2023, 5, 4)
    # 2022: Tết Dương lịch on Saturday 01/01, off on Monday 03/01.
    assert holidays(2022)[date(2022, 1, 3)] == "Nghỉ bù Tết Dương lịch"


@pytest.mark.parametrize(
    "year, first_off, last_off",
    [
        (2020, date(2020, 1, 23), date(2020, 1, 29)),
        (2021, date(2021, 2, 10), date(2021, 2, 16)),
        (2023, date(2023, 1, 20), date(2023, 1, 26)),
        (2024, date(2024, 2, 8), date(2024, 2, 14)),
        (2025, date(2025, 1, 25), date(2025, 2, 2)),
        (2026, date(2026, 2, 14), date(2026, 2, 22)),
    ],
)
def test_tet_breaks_as_announced(year, first_off, last_off):
    assert is_working_day(first_off - timedelta(days=1))
    assert is_working_day(last_off + timedelta(days=1))
    assert working_days_between(first_off - timedelta(days=1), last_off + timedelta(days=1)) == 0


@pytest.mark.parametrize(
    "year, days",
    [
        (2019, [date(2019, 9, 2)]),
        (2020, [date(2020, 9, 2)]),
        (2021, [date(2021, 9, 2), date(2021, 9, 3)]),
        (2022, [date(2022, 9, 1), date(2022, 9, 2)]),
        (2023, [date(2023, 9, 1), date(2023, 9, 2)]),
        (2024, [date(2024, 9, 2), date(2024, 9, 3)]),
        (2025, [date(2025, 9, 1), date(2025, 9, 2)]),
    ],
)
def test_national_day(year, days):
    assert [d for d, name in holidays(year).items() if name == "Quốc khánh"] == days


def test_swapped_bridge_days():
    # 2024: Monday 29/04 off, worked back on Saturday 04/05.
    assert not is_working_day(date(2024, 4, 29))
    assert is_working_day(date(2024, 5, 4))
    assert working_days_between(date(2024, 4, 26), date(2024, 5, 2)) == 0
    assert add_working_days(date(2024, 5, 3), 1) == date(2024, 5, 4)
    # 2025: Friday 02/05 off, worked back on Saturday 26/04.
    assert holidays(2025)[date(2025, 5, 2)] == "Nghỉ hoán đổi (làm bù thứ Bảy 26/04/2025)"
    assert is_working_day(date(2025, 4, 26))


def test_is_working_day_on_a_datetime_uses_local_date():
    # 18:00 UTC on Tuesday 09/02/2021 is already Wednesday 10/02 (a Tết day) in Vietnam.
    assert is_working_day(date(2021, 2, 9))
    assert not is_working_day(datetime(2021, 2, 9, 18, 0, tzinfo=UTC))


def test_working_days_between_is_strict_and_empty_when_reversed():
    monday, friday = date(2021, 3, 8), date(2021, 3, 12)
    assert working_days_between(monday, friday) == 3
    assert working_days_between(monday, monday) == 0
    assert working_days_between(friday, monday) == 0
    assert working_days_between(monday, monday + timedelta(days=1)) == 0


def test_add_working_days():
    friday = date(2021, 4, 9)
    assert add_working_days(friday, 0) == friday
    assert add_working_days(friday, 1) == date(2021, 4, 12)
    assert add_working_days(friday, -1) == date(2021, 4, 8)
    # Across Giỗ Tổ Hùng Vương on Wednesday 21/04/2021.
    assert add_working_days(date(2021, 4, 20), 1) == date(2021, 4, 22)
    assert add_working_days(date(2021, 4, 22), -1) == date(2021, 4, 20)
    # A notice of conclusions within 5 working days of a meeting on Thursday 08/04/2021.
    assert add_working_days(date(2021, 4, 8), 5) == date(2021, 4, 15)


def test_invitation_deadline_for_the_2021_review_conference():
    # 004: hội nghị tổng kết, Thursday 08/04/2021: invitations out by Friday 02/04.
    meeting = date(2021, 4, 8)
    assert invitation_deadline(meeting) == date(2021, 4, 2)
    assert working_days_between(date(2021, 4, 2), meeting) >= 3
    assert working_days_between(date(2021, 4, 5), meeting) < 3
    assert invitation_deadline(meeting, n=5) == date(2021, 3, 31)


def test_invitation_deadline_is_the_latest_on_time_working_day():
    day = date(2021, 1, 4)
    while day.year == 2021:
        deadline = invitation_deadline(day)
        assert is_working_day(deadline)
        assert working_days_between(deadline, day) >= 3
        assert working_days_between(add_working_days(deadline, 1), day) < 3
        day += timedelta(days=1)
