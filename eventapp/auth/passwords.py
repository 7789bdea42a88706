"""How strong a staff password must be: at least 12 characters, or a passphrase of at least four words; not one of
the common passwords shipped with the app (``common-passwords.txt``), not a common one with digits or signs
added, not built from the account's own name. No rules on character classes (NIST SP 800-63B): length and
not being guessable first are what matter."""

from __future__ import annotations

import re
import string
from functools import cache
from pathlib import Path

from .. import text
from ..errors import UserError

MIN_LENGTH = 12
PASSPHRASE_WORDS = 4
MAX_LENGTH = 200
COMMON_PASSWORDS = Path(__file__).with_name("common-passwords.txt")

RULE = (f"Mật khẩu cần ít nhất {MIN_LENGTH} ký tự, hoặc là một câu gồm ít nhất {PASSPHRASE_WORDS} từ "
        "(ví dụ «mùa thu lá vàng rơi»), và không phải mật khẩu phổ biến.")

_WORD = re.compile(r"[^\W\d_]{2,}")
_EDGES = string.digits + string.punctuation + " "


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list, lowercased (lines starting with # are comments)."""
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _plain(value: str) -> str:
    """Lowercase, without accents (đ → d), without spaces: how passwords are compared with the list."""
    return re.sub(r"\s+", "", text.unaccent(text.nfc(value)).lower())


def is_passphrase(password: str) -> bool:
    """At least four words of two letters or more, three of them different, ten letters in all."""
    words = [w.lower() for w in _WORD.findall(password)]
    return (len(words) >= PASSPHRASE_WORDS and len(set(words)) >= PASSPHRASE_WORDS - 1
            and sum(map(len, words)) >= 10)


def check_password(password: str, username: str = "", full_name: str = "") -> None:
    """Raise UserError (on the field ``password``) unless ``password`` is strong enough for a staff account."""
    password = password or ""
    if len(password) > MAX_LENGTH:
        raise UserError(f"Mật khẩu dài tối đa {MAX_LENGTH} ký tự.", field="password")
    if len(password) < MIN_LENGTH and not is_passphrase(password):
        raise UserError(RULE, field="password")
    plain = _plain(password)
    if len(set(plain)) < 5:
        raise UserError("Mật khẩu lặp lại quá ít ký tự khác nhau (như «111111111111»); vui lòng chọn mật khẩu khác.",
                        field="password")
    common = common_passwords()
    if {plain, plain.strip(_EDGES), plain.rstrip(_EDGES), plain.lstrip(_EDGES)} & common:
        raise UserError("Mật khẩu này nằm trong danh sách mật khẩu phổ biến mà kẻ gian thử trước tiên; "
                        "vui lòng chọn mật khẩu khác.", field="password")
    rest = plain
    for part in [_plain(username), *(_plain(w) for w in full_name.split()), _plain(full_name)]:
        if len(part) >= 3:
            rest = rest.replace(part, "")
    if len(rest.strip(_EDGES)) < 6:
        raise UserError("Mật khẩu không được dựa trên tên đăng nhập hoặc họ tên của tài khoản.", field="password")
