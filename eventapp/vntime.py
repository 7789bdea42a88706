"""Dates and times the Vietnamese way: display in Asia/Ho_Chi_Minh, storage in UTC, public
holidays and working days of state agencies.

The standard library and the `holidays` package only, so every layer (models, forms, templates, mailers) can use it.
"""

import functools
import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from holidays import country_holidays

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
# Days off of state agencies (Monday to Friday otherwise) come from the `holidays` package: the Labor Code's
# holidays (art. 112), Tết and Giỗ Tổ Hùng Vương by the Vietnamese lunar calendar, and the day made up when a
# holiday falls on a weekend (art. 111 §3), for any year. What the government decides year by year on top of the
# law is kept here, in SWAPPED_DAYS.

#: The days the government swaps for civil servants, decided each year (an official letter of the Ministry of
#: Home Affairs): {weekday given off (nghỉ bù): Saturday worked in exchange (làm bù)}. The `holidays` package
#: carries the decisions it knew of when it was released; this table has the last word, so a year's decision
#: counts as soon as it is added here. Years without an entry follow the package alone.
SWAPPED_DAYS = {
    date(2018, 12, 31): date(2019, 1, 5),
    date(2019, 4, 29): date(2019, 5, 4),
    date(2024, 4, 29): date(2024, 5, 4),
    date(2025, 5, 2): date(2025, 4, 26),
    date(2026, 8, 31): date(2026, 8, 22),
}

# The package's Vietnamese names, written as state agencies write them.
_RENAMED = {
    "Ngày Giỗ Tổ Hùng Vương": "Giỗ Tổ Hùng Vương",
    **dict.fromkeys(("Giao thừa Tết Nguyên Đán", "Tết Nguyên Đán", "Mùng hai Tết Nguyên Đán",
                     "Mùng ba Tết Nguyên Đán", "Mùng bốn Tết Nguyên Đán"), "Tết Nguyên đán"),
    # The days the Tết break is lengthened by, for the Tết days that fall on a weekend.
    **dict.fromkeys(("29 Tết", "Mùng năm Tết Nguyên Đán", "Mùng sáu Tết Nguyên Đán"), "Nghỉ bù Tết Nguyên đán"),
}
_OBSERVED = re.compile(r"(.+) \(nghỉ bù\)")
_SWAPPED = re.compile(r"Ngày nghỉ \(thay cho ngày (.+)\)")


def _name(package_name):
    """A day off as state agencies name it, from the package's Vietnamese name: "Nghỉ bù Giỗ Tổ Hùng Vương"."""
    if match := _OBSERVED.fullmatch(package_name):
        return f"Nghỉ bù {_name(match[1])}"
    if match := _SWAPPED.fullmatch(package_name):
        return f"Nghỉ hoán đổi (làm bù thứ Bảy {match[1]})"
    return _RENAMED.get(package_name, package_name)


@functools.cache
def _calendar(year):
    """({day off: Vietnamese name}, Saturdays worked) of `year`: the package's, then SWAPPED_DAYS."""
    package = country_holidays("VN", years=year, language="vi")
    days_off = {day: _name(name) for day, name in package.items()}
    saturdays = {day for day in package.weekend_workdays if day.year == year}
    for day_off, saturday in SWAPPED_DAYS.items():
        if day_off.year == year:
            days_off[day_off] = f"Nghỉ hoán đổi (làm bù thứ Bảy {format_date(saturday)})"
        if saturday.year == year:
            saturdays.add(saturday)
    return days_off, frozenset(saturdays)


def holidays(year):
    """Return the days off of state agencies in `year` besides weekends, as {date: name}.

    Includes the statutory holidays, the days made up for those on a weekend, and swapped bridge days.
    """
    return dict(sorted(_calendar(year)[0].items()))


def is_working_day(d):
    """True if state agencies work on `d`: Monday to Friday except days off, plus make-up Saturdays."""
    d = _local_date(d)
    days_off, saturdays = _calendar(d.year)
    if d in saturdays:
        return True
    return d.weekday() < 5 and d not in days_off


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
