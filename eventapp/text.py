"""Vietnamese text helpers: normalisation, accent-free search, collation, phone, e-mail, money.

Pure standard library, so every layer (models, forms, templates, importers) can use it.
"""

import functools
import re
import unicodedata
from decimal import Decimal

# --- normalisation and search ---------------------------------------------------------------


def nfc(s):
    """Return `s` in Unicode NFC, stripped, with each run of whitespace collapsed to one space.

    None gives "". Store every piece of user text through this function.
    """
    if s is None:
        return ""
    return " ".join(unicodedata.normalize("NFC", str(s)).split())


def unaccent(s):
    """Return the accent-free, lower-case search form of `s`: "Nguyễn Văn Đức" -> "nguyen van duc".

    Combining marks are dropped after NFD; đ/Đ have no decomposition and are mapped to d explicitly.
    """
    text = nfc(s).replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def search_key(*parts):
    """Join the accent-free forms of the non-empty `parts` with spaces, to fill a search column."""
    return " ".join(key for key in (unaccent(part) for part in parts) if key)


def search_terms(query):
    """Split a user's query into distinct accent-free words, each to be matched with LIKE %word%.

    The caller must still escape the LIKE wildcards "%" and "_" in each word.
    """
    return list(dict.fromkeys(unaccent(query).split()))


# --- Vietnamese collation -------------------------------------------------------------------

# Vietnamese letter order, with the letters only foreign names use (f, j, w, z) at their Latin
# places. Digraphs (ch, gh, ng, nh, ...) are compared letter by letter, as in Unicode's CLDR.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {letter: rank for rank, letter in enumerate(_ALPHABET)}

# Tone marks in dictionary order: no tone (0) < huyền < hỏi < ngã < sắc < nặng.
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def _char_weight(ch):
    """Primary weight of one tone-less character: punctuation < digits < letters < other scripts."""
    rank = _LETTER_RANK.get(ch)
    if rank is not None:
        return (2, rank)
    if ch.isdigit():
        return (1, ord(ch))
    if ch.isalpha():
        return (3, ord(ch))
    return (0, ord(ch))


@functools.lru_cache(maxsize=65536)
def _syllable_key(word):
    """Key of one word: its letters in Vietnamese order first, its tone second."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tone = max((_TONE_RANK.get(ch, 0) for ch in decomposed), default=0)
    letters = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONE_RANK))
    return (tuple(_char_weight(ch) for ch in letters), tone)


@functools.lru_cache(maxsize=100_000)
def vn_collate_key(text):
    """Sort key for any text (agency names, titles) in Vietnamese dictionary order.

    Words are compared one after another; within a word the letters decide first
    (a ă â b c d đ e ê ...), the tone second (none, huyền, hỏi, ngã, sắc, nặng). Case is ignored
    and NFC and NFD input give the same key.
    """
    return tuple(_syllable_key(word) for word in nfc(text).split())


@functools.lru_cache(maxsize=100_000)
def vn_sort_key(full_name):
    """Sort key for a person's name written family name first ("Nguyễn Văn An").

    People are ordered by given name (the last word), then middle names, then family name
    (the first word), each compared as in `vn_collate_key`. A one-word name is a given name.
    """
    words = nfc(full_name).split()
    if not words:
        return ((), (), ())
    given = _syllable_key(words[-1])
    middles = tuple(_syllable_key(word) for word in words[1:-1])
    family = (_syllable_key(words[0]),) if len(words) > 1 else ()
    return (given, middles, family)


# --- phone numbers ----------------------------------------------------------------------------

PHONE_ERROR = "Số điện thoại không hợp lệ: cần 10 số (di động) hoặc 11 số bắt đầu bằng 02 (cố định)"
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]+")
_MOBILE = re.compile(r"0[35789][0-9]{8}")
_LANDLINE = re.compile(r"02[0-9]{9}")
# Hà Nội (024) and Thành phố Hồ Chí Minh (028) have 3-digit area codes and 8-digit numbers.
_SHORT_AREA_CODES = ("024", "028")


def normalize_phone(s):
    """Return a Vietnamese phone number as bare digits in national form ("0912345678").

    Accepts "+84 912 345 678", "84912345678", dots, spaces, dashes and parentheses. A mobile has
    10 digits starting 03/05/07/08/09, a landline 11 digits starting 02. Empty input gives "";
    anything else raises ValueError with a Vietnamese message.
    """
    text = _PHONE_SEPARATORS.sub("", nfc(s))
    if not text:
        return ""
    if text.startswith("+84"):
        text = "0" + text[3:].removeprefix("0")
    elif text.startswith("84") and len(text) in (11, 12):
        text = "0" + text[2:]
    if _MOBILE.fullmatch(text) or _LANDLINE.fullmatch(text):
        return text
    raise ValueError(PHONE_ERROR)


def format_phone(s):
    """Format a phone number for display: "0912 345 678", "0255 3710 477", "024 3825 1234".

    Text that is not a valid number is returned normalised but otherwise unchanged, so that
    legacy data still shows.
    """
    try:
        digits = normalize_phone(s)
    except ValueError:
        return nfc(s)
    if not digits:
        return ""
    if len(digits) == 10:
        return f"{digits[:4]} {digits[4:7]} {digits[7:]}"
    if digits.startswith(_SHORT_AREA_CODES):
        return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    return f"{digits[:4]} {digits[4:8]} {digits[8:]}"


# --- e-mail -----------------------------------------------------------------------------------

EMAIL_ERROR = "Địa chỉ email không hợp lệ"
_EMAIL = re.compile(
    r"[^@\s]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+",
    re.ASCII,
)


def normalize_email(s):
    """Return `s` stripped and lower-cased, "" for empty input; raise ValueError if malformed.

    A valid address has one "@", no spaces, a domain with at least one dot, and ≤ 254 characters.
    """
    email = nfc(s).lower()
    if not email:
        return ""
    if len(email) > 254 or not _EMAIL.fullmatch(email):
        raise ValueError(EMAIL_ERROR)
    return email


# --- money ------------------------------------------------------------------------------------

MONEY_ERROR = "Số tiền không hợp lệ"
_MONEY_UNITS = {
    "nghìn": 1_000,
    "ngàn": 1_000,
    "triệu": 1_000_000,
    "tỷ": 1_000_000_000,
    "tỉ": 1_000_000_000,
}
# A whole number ("54000000", "54.000.000"), or with a unit a decimal with a comma ("1,5 triệu"),
# optionally followed by the currency ("đ", "đồng", "vnđ", "vnd").
_MONEY = re.compile(
    r"(?P<int>[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)"
    r"(?:,(?P<frac>[0-9]+))?"
    r"\s*(?P<unit>nghìn|ngàn|triệu|tỷ|tỉ)?"
    r"\s*(?:đồng|vnđ|vnd|đ)?"
)


def format_money(n):
    """Format an amount of đồng: 54000000 -> "54.000.000 đ", -1000 -> "-1.000 đ", None -> ""."""
    if n is None:
        return ""
    return f"{round(n):,} đ".replace(",", ".")


def parse_money(s):
    """Parse an amount of đồng typed by a user into a non-negative int.

    Accepts "54.000.000", "54000000", "54.000.000 đ", "54 triệu", "1,5 triệu", "2 tỷ",
    "300 nghìn" (or "ngàn"). Raises ValueError("Số tiền không hợp lệ") for anything else,
    including amounts that are not whole đồng.
    """
    match = _MONEY.fullmatch(nfc(s).lower())
    if not match or (match["frac"] and not match["unit"]):
        raise ValueError(MONEY_ERROR)
    number = Decimal(f"{match['int'].replace('.', '')}.{match['frac'] or 0}")
    amount = number * _MONEY_UNITS.get(match["unit"], 1)
    if amount != amount.to_integral_value():
        raise ValueError(MONEY_ERROR)
    return int(amount)


# --- file names -------------------------------------------------------------------------------

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def initials_slug(s, max_length=60):
    """Return an ASCII slug for file names: "Giấy mời số 12/GM-SKHCN" -> "giay-moi-so-12-gm-skhcn".

    Accents are removed, every run of other characters becomes "-", and the result is cut to
    `max_length` characters without a dash at either end.
    """
    slug = _NON_ALNUM.sub("-", unaccent(s)).strip("-")
    return slug[:max_length].rstrip("-")


def nfc_block(s):
    """Multi-line text (a plan's purpose, content...): NFC, trailing spaces cut, at most one blank line."""
    if not s:
        return ""
    lines = [unicodedata.normalize("NFC", line).rstrip() for line in str(s).replace("\r\n", "\n").split("\n")]
    text = "\n".join(lines).strip()
    return re.sub(r"\n{3,}", "\n\n", text)
