"""Dates and times the Vietnamese way: display in Asia/Ho_Chi_Minh, storage in UTC, public
holidays and working days of state agencies.

Pure standard library, so every layer (models, forms, templates, mailers) can use it.
"""

import functools
import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Ho_Chi_Minh")

# --- time zones -------------------------------------------------------------------------------


def utcnow():
    """Return the current time as an aware datetime in UTC."""
    return datetime.now(UTC)


def to_local(dt):
    """Convert a datetime to Vietnam time; a naive datetime is taken as UTC. None gives None."""
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(TZ)


def local_to_utc(naive_local_dt):
    """Convert a naive datetime in Vietnam time (e.g. typed in a form) to an aware UTC datetime."""
    return naive_local_dt.replace(tzinfo=TZ).astimezone(UTC)


def _local_date(d):
    """The calendar date of `d` in Vietnam: datetimes are converted, dates pass through."""
    return to_local(d).date() if isinstance(d, datetime) else d


# --- formatting -------------------------------------------------------------------------------

_WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


def format_date(d):
    """Format a date (or a datetime, in Vietnam time) as "05/03/2021"; None gives ""."""
    if d is None:
        return ""
    return _local_date(d).strftime("%d/%m/%Y")


def format_time(dt):
    """Format a time (or a datetime, in Vietnam time) on the 24-hour clock, "07:30"; None gives ""."""
    if dt is None:
        return ""
    if isinstance(dt, datetime):
        dt = to_local(dt)
    return dt.strftime("%H:%M")


def format_datetime(dt):
    """Format a datetime in Vietnam time as "07:30 05/03/2021"; None gives ""."""
    if dt is None:
        return ""
    return f"{format_time(dt)} {format_date(dt)}"


def weekday_vn(d):
    """Return the Vietnamese name of the weekday of `d`: "Thứ Hai" ... "Thứ Bảy", "Chủ nhật"."""
    return _WEEKDAYS[_local_date(d).weekday()]


def long_date(place, d):
    """Return the place-and-date line of an administrative document (Decree 30/2020/NĐ-CP).

    Days below 10 and the months 1 and 2 take a leading zero, the other months do not:
    "Quảng Ngãi, ngày 05 tháng 3 năm 2021", "Quảng Ngãi, ngày 16 tháng 01 năm 2021".
    Without a place the line starts with "ngày".
    """
    d = _local_date(d)
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    line = f"ngày {d.day:02d} tháng {month} năm {d.year}"
    return f"{place}, {line}" if place else line


# --- parsing ----------------------------------------------------------------------------------

_DMY = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_TIME = re.compile(r"([0-9]{1,2})(?::([0-9]{2})|\s*(?:h|giờ)\s*(?:([0-9]{1,2})\s*(?:phút)?)?)")


def parse_date_vn(s):
    """Parse "05/03/2021", "5/3/2021" (also with "-" or ".") or ISO "2021-03-05" into a date.

    Raises ValueError with a Vietnamese message when the text is empty, malformed or not a real
    date.
    """
    text = (s or "").strip()
    if not text:
        raise ValueError("Chưa nhập ngày")
    if match := _DMY.fullmatch(text):
        day, month, year = match.groups()
    elif match := _ISO_DATE.fullmatch(text):
        year, month, day = match.groups()
    else:
        raise ValueError(f"Ngày không hợp lệ: “{text}” (cần dạng dd/mm/yyyy, ví dụ 05/03/2021)")
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise ValueError(f"Ngày không tồn tại: “{text}”") from None


def parse_time_vn(s):
    """Parse a 24-hour time, "07:30", "7:30", "7h30", "7h" or "7 giờ 30", into a time.

    Raises ValueError with a Vietnamese message when the text is empty, malformed or out of range.
    """
    text = (s or "").strip().lower()
    if not text:
        raise ValueError("Chưa nhập giờ")
    match = _TIME.fullmatch(text)
    if not match:
        raise ValueError(f"Giờ không hợp lệ: “{text}” (cần dạng hh:mm, ví dụ 07:30)")
    hour, minute = int(match[1]), int(match[2] or match[3] or 0)
    if hour > 23 or minute > 59:
        raise ValueError(f"Giờ không tồn tại: “{text}”")
    return time(hour, minute)


# --- public holidays and working days -----------------------------------------------------------
#
# Days off of state agencies (Monday to Friday otherwise), from the Labor Code 2019, art. 112
# (the Labor Code 2012, art. 115, for 2019-2020: the same days but one day for Quốc khánh).
#
# Gregorian dates of Tết (1st day of lunar month 1) and of Giỗ Tổ Hùng Vương (10th day of lunar
# month 3) in the Vietnamese lunar calendar, which is computed for UTC+7: in 2030 it puts Tết on
# 2 February where the Chinese calendar has 3 February. Computed with Hồ Ngọc Đức's algorithm and
# checked against the `holidays` package and the government's announcements for 2019-2026.
_LUNAR_NEW_YEAR = {
    2019: date(2019, 2, 5),
    2020: date(2020, 1, 25),
    2021: date(2021, 2, 12),
    2022: date(2022, 2, 1),
    2023: date(2023, 1, 22),
    2024: date(2024, 2, 10),
    2025: date(2025, 1, 29),
    2026: date(2026, 2, 17),
    2027: date(2027, 2, 6),
    2028: date(2028, 1, 26),
    2029: date(2029, 2, 13),
    2030: date(2030, 2, 2),
    2031: date(2031, 1, 23),
    2032: date(2032, 2, 11),
    2033: date(2033, 1, 31),
    2034: date(2034, 2, 19),
    2035: date(2035, 2, 8),
}
_HUNG_KINGS = {
    2019: date(2019, 4, 14),
    2020: date(2020, 4, 2),
    2021: date(2021, 4, 21),
    2022: date(2022, 4, 10),
    2023: date(2023, 4, 29),
    2024: date(2024, 4, 18),
    2025: date(2025, 4, 7),
    2026: date(2026, 4, 26),
    2027: date(2027, 4, 16),
    2028: date(2028, 4, 4),
    2029: date(2029, 4, 23),
    2030: date(2030, 4, 12),
    2031: date(2031, 4, 1),
    2032: date(2032, 4, 19),
    2033: date(2033, 4, 9),
    2034: date(2034, 4, 28),
    2035: date(2035, 4, 17),
}
FIRST_YEAR, LAST_YEAR = min(_LUNAR_NEW_YEAR), max(_LUNAR_NEW_YEAR)

# Bridge days the government gave civil servants in exchange for working a Saturday:
# {day off: Saturday worked instead}.
_SWAPPED_DAYS = {
    date(2018, 12, 31): date(2019, 1, 5),
    date(2019, 4, 29): date(2019, 5, 4),
    date(2024, 4, 29): date(2024, 5, 4),
    date(2025, 5, 2): date(2025, 4, 26),
    date(2026, 8, 31): date(2026, 8, 22),
}
_MAKE_UP_SATURDAYS = frozenset(_SWAPPED_DAYS.values())


def _is_weekend(d):
    """True on Saturdays and Sundays."""
    return d.weekday() >= 5


def _next_free_weekday(d, step, days_off):
    """The nearest weekday after (step=1) or before (step=-1) `d` that is not in `days_off`."""
    d += timedelta(days=step)
    while _is_weekend(d) or d in days_off:
        d += timedelta(days=step)
    return d


def _national_day_extra(year):
    """The second day off of Quốc khánh (since 2021): 1/9 or 3/9, as the Prime Minister decides.

    This rule (the weekday next to the weekend, else 1/9) reproduces the announced choices of
    2021-2026 (3/9, 1/9, 1/9, 3/9, 1/9, 1/9); later years are an estimate until announced.
    """
    first, third = date(year, 9, 1), date(year, 9, 3)
    if _is_weekend(third):
        return first
    if _is_weekend(first) or third.weekday() == 4:
        return third
    return first


@functools.cache
def _days_off(year):
    """Holidays, compensatory days and bridge days of `year`, as {date: Vietnamese name}."""
    if year not in _LUNAR_NEW_YEAR:
        raise ValueError(f"Chưa có lịch nghỉ lễ cho năm {year} (chỉ có từ {FIRST_YEAR} đến {LAST_YEAR})")
    tet = _LUNAR_NEW_YEAR[year]
    # The last day of the lunar year and the first four days of the new one.
    tet_days = [tet + timedelta(days=offset) for offset in range(-1, 4)]
    days_off = dict.fromkeys(tet_days, "Tết Nguyên đán")
    others = {
        date(year, 1, 1): "Tết Dương lịch",
        _HUNG_KINGS[year]: "Giỗ Tổ Hùng Vương",
        date(year, 4, 30): "Ngày Chiến thắng",
        date(year, 5, 1): "Ngày Quốc tế Lao động",
        date(year, 9, 2): "Quốc khánh",
    }
    if year >= 2021:
        others[_national_day_extra(year)] = "Quốc khánh"
    if year >= 2026:
        # The Politburo's Resolution 80-NQ/TW (January 2026) chose 24/11, "Ngày Văn hóa Việt Nam",
        # as a paid day off; counted from 2026 as the `holidays` package does.
        others[date(year, 11, 24)] = "Ngày Văn hóa Việt Nam"
    days_off.update(others)

    # A holiday on a weekend is made up on the next working day (Labor Code 2019, art. 111 §3).
    # For Tết the government has made up a Saturday before the holidays and a Sunday after them
    # (2020, 2021, 2023, 2024, 2025), so this follows that practice.
    for d in tet_days:
        if _is_weekend(d):
            step = -1 if d.weekday() == 5 else 1
            edge = tet_days[0] if step == -1 else tet_days[-1]
            days_off[_next_free_weekday(edge, step, days_off)] = "Nghỉ bù Tết Nguyên đán"
    for d, name in sorted(others.items()):
        if _is_weekend(d):
            days_off[_next_free_weekday(d, 1, days_off)] = f"Nghỉ bù {name}"

    for day_off, saturday in _SWAPPED_DAYS.items():
        if day_off.year == year:
            days_off[day_off] = f"Nghỉ hoán đổi (làm bù thứ Bảy {format_date(saturday)})"
    return days_off


def holidays(year):
    """Return the days off of state agencies in `year` besides weekends, as {date: name}.

    Includes the statutory holidays, compensatory days and swapped bridge days. Raises ValueError
    for years outside FIRST_YEAR..LAST_YEAR, whose lunar dates are not tabulated.
    """
    return dict(sorted(_days_off(year).items()))


def is_working_day(d):
    """True if state agencies work on `d`: Monday to Friday except days off, plus make-up Saturdays."""
    d = _local_date(d)
    if d in _MAKE_UP_SATURDAYS:
        return True
    return not _is_weekend(d) and d not in _days_off(d.year)


def working_days_between(start_date, end_date):
    """Count the working days strictly after `start_date` and strictly before `end_date`.

    An invitation sent on S for a meeting on M is on time (Decision 45/2018/QĐ-TTg) iff
    working_days_between(S, M) >= 3.
    """
    start, end = _local_date(start_date), _local_date(end_date)
    return sum(is_working_day(start + timedelta(days=i)) for i in range(1, (end - start).days))


def add_working_days(d, n):
    """Return the n-th working day after `d` (before it if n < 0); `d` itself if n == 0."""
    d = _local_date(d)
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    while remaining:
        d += timedelta(days=step)
        if is_working_day(d):
            remaining -= 1
    return d


def invitation_deadline(meeting_date, n=3):
    """Return the latest working day on which an invitation may go out for a meeting on `meeting_date`.

    That is the latest working day S with working_days_between(S, meeting_date) >= n
    (Decision 45/2018/QĐ-TTg: n = 3). A letter dated on a day off just after S is also on time.
    """
    return add_working_days(meeting_date, -(n + 1))


def today():
    """Today's date in Vietnam."""
    return utcnow().astimezone(TZ).date()


def add_days(d, n):
    """The calendar date ``n`` days after ``d`` (before it for negative ``n``)."""
    return d + timedelta(days=n)
