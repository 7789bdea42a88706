"""Tests for eventapp.text: normalisation, search, collation, phone, e-mail, money, slugs."""

import random
import unicodedata

import pytest

from eventapp.text import (
    format_money,
    format_phone,
    initials_slug,
    nfc,
    normalize_email,
    normalize_phone,
    parse_money,
    search_key,
    search_terms,
    unaccent,
    vn_collate_key,
    vn_sort_key,
)


def nfd(s):
    return unicodedata.normalize("NFD", s)


# --- normalisation and search ---------------------------------------------------------------


def test_nfc_composes_strips_and_collapses_whitespace():
    assert nfc(nfd("  Nguyễn \t Văn\n\nĐức  ")) == "Nguyễn Văn Đức"
    assert nfc(nfd("Nguyễn")) != nfd("Nguyễn")
    assert nfc("Sở\u00a0KH&CN") == "Sở KH&CN"


def test_nfc_none_and_empty():
    assert nfc(None) == ""
    assert nfc("   ") == ""


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Nguyễn Văn Đức", "nguyen van duc"),
        (nfd("Nguyễn Văn Đức"), "nguyen van duc"),
        ("ĐẶNG THỊ ƯỚC", "dang thi uoc"),
        ("Sở Khoa học và Công nghệ  Quảng Ngãi", "so khoa hoc va cong nghe quang ngai"),
        ("Phòng Kế hoạch - Tài chính", "phong ke hoach - tai chinh"),
        (None, ""),
    ],
)
def test_unaccent(raw, expected):
    assert unaccent(raw) == expected


def test_search_without_accents_finds_the_person():
    stored = search_key("Nguyễn Văn Đức", "Phó Giám đốc", None, "", "Sở KH&CN Quảng Ngãi")
    assert stored == "nguyen van duc pho giam doc so kh&cn quang ngai"
    for query in ("nguyen van duc", "Nguyễn Văn Đức", "  ĐỨC   nguyen ", "duc quang ngai"):
        assert all(term in stored for term in search_terms(query))
    assert not all(term in stored for term in search_terms("nguyen van dung"))


def test_search_terms_splits_and_deduplicates():
    assert search_terms("  Nguyễn   ĐỨC nguyen ") == ["nguyen", "duc"]
    assert search_terms("") == []
    assert search_terms(None) == []


# --- collation --------------------------------------------------------------------------------

TEN_PEOPLE_SORTED = [
    "Nguyễn Văn An",
    "Lê Văn Anh",
    "Nguyễn Thị Ánh",
    "Trần Thị Ánh",
    "Phạm Thị Ân",
    "Võ Thị Dung",
    "Hoàng Văn Đức",
    "Bùi Thị Hiền",
    "Ngô Văn Hiển",
    "Đinh Văn Hiến",
]


def test_ten_people_sorted_by_given_name_in_vietnamese_order():
    shuffled = TEN_PEOPLE_SORTED[:]
    random.Random(2021).shuffle(shuffled)
    assert sorted(shuffled, key=vn_sort_key) == TEN_PEOPLE_SORTED
    # Neither code points nor accent-free text give this order.
    assert sorted(shuffled) != TEN_PEOPLE_SORTED
    assert sorted(shuffled, key=lambda name: unaccent(name.split()[-1])) != TEN_PEOPLE_SORTED


def test_sort_accepts_nfd_and_any_case():
    mixed = [nfd(name) if i % 2 else name.upper() for i, name in enumerate(TEN_PEOPLE_SORTED)]
    random.Random(7).shuffle(mixed)
    assert [nfc(name).lower() for name in sorted(mixed, key=vn_sort_key)] == [
        name.lower() for name in TEN_PEOPLE_SORTED
    ]
    assert vn_sort_key(nfd("Trần Thị Ánh")) == vn_sort_key("TRẦN THỊ ÁNH")


def test_same_given_name_then_middle_then_family():
    names = ["Trần Văn Hùng", "Lê Văn Hùng", "Trần Đức Hùng", "Lê Hùng", "Hùng"]
    assert sorted(names, key=vn_sort_key) == [
        "Hùng",
        "Lê Hùng",
        "Trần Đức Hùng",
        "Lê Văn Hùng",
        "Trần Văn Hùng",
    ]


def test_one_word_and_empty_names():
    assert sorted(["Trần An", "Bình", "An"], key=vn_sort_key) == ["An", "Trần An", "Bình"]
    assert vn_sort_key("") == vn_sort_key(None) == ((), (), ())


@pytest.mark.parametrize(
    "ordered",
    [
        ["Lê An", "Lê Ăn", "Lê Ân", "Lê Bảo"],
        ["Lê Dung", "Lê Dũng", "Lê Đào", "Lê Đức"],
        ["Lê Em", "Lê Ên", "Lê Giang"],
        ["Lê Oanh", "Lê Ôn", "Lê Ơn", "Lê Phúc"],
        ["Lê Uyên", "Lê Ưng", "Lê Ước", "Lê Vân", "Lê Xuân", "Lê Yến"],
    ],
)
def test_vietnamese_letter_order(ordered):
    # Sorting the list reversed checks the key itself, not the stability of the sort.
    backwards = list(reversed(ordered))
    assert sorted(backwards, key=vn_sort_key) == ordered


def test_tone_order_is_secondary():
    syllables = ["ma", "mà", "mả", "mã", "má", "mạ"]
    backwards = list(reversed(syllables))
    assert sorted(backwards, key=vn_collate_key) == syllables
    # Letters decide before tones: "mạ" < "man" even though ạ has the last tone.
    assert vn_collate_key("mạ") < vn_collate_key("man")


def test_agency_names_in_vietnamese_order():
    agencies = [
        "Ban Dân tộc tỉnh",
        "Báo Quảng Ngãi",
        "Đài Phát thanh và Truyền hình tỉnh",
        "Sở Công Thương",
        "Sở Giáo dục và Đào tạo",
        "Sở Khoa học và Công nghệ",
        "Sở Tài chính",
        "Sở Tư pháp",
        "Sở Y tế",
        "Ủy ban nhân dân tỉnh Quảng Ngãi",
    ]
    shuffled = agencies[:]
    random.Random(4).shuffle(shuffled)
    assert sorted(shuffled, key=vn_collate_key) == agencies


# --- phone numbers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("0912345678", "0912345678"),
        ("0912 345 678", "0912345678"),
        ("0912.345.678", "0912345678"),
        ("0912-345-678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("+84912345678", "0912345678"),
        ("(+84) 912 345 678", "0912345678"),
        ("+84 (0) 912 345 678", "0912345678"),
        ("84912345678", "0912345678"),
        ("0387 654 321", "0387654321"),
        ("058.123.4567", "0581234567"),
        ("0255.3710.477", "02553710477"),
        ("(0255) 3710 477", "02553710477"),
        ("+84 255 3710 477", "02553710477"),
        ("842553710477", "02553710477"),
        ("024 3825 1234", "02438251234"),
        ("", ""),
        ("   ", ""),
        (None, ""),
    ],
)
def test_normalize_phone_accepts_common_forms(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "091234567",  # 9 digits
        "09123456789",  # 11 digits, not a landline
        "0112345678",  # 01x is no mobile prefix
        "0612345678",  # nor 06x
        "0255371047",  # 10 digits starting 02
        "912345678",
        "+1 202 555 0100",
        "0912 345 abc",
        "0912/345/678",
    ],
)
def test_normalize_phone_rejects_with_vietnamese_message(raw):
    with pytest.raises(ValueError, match="Số điện thoại không hợp lệ: cần 10 số"):
        normalize_phone(raw)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("+84912345678", "0912 345 678"),
        ("055.3710.477", "0553 710 477"),
        ("0255.3710.477", "0255 3710 477"),
        ("02438251234", "024 3825 1234"),
        ("0283 822 9999", "028 3822 9999"),
        ("", ""),
        ("số cũ: 3710477", "số cũ: 3710477"),
    ],
)
def test_format_phone(raw, expected):
    assert format_phone(raw) == expected


# --- e-mail -----------------------------------------------------------------------------------


def test_normalize_email():
    assert normalize_email("  VanPhong@SKHCN.QuangNgai.gov.vn ") == "vanphong@skhcn.quangngai.gov.vn"
    assert normalize_email("nguyen.van-duc+hn@gmail.com") == "nguyen.van-duc+hn@gmail.com"
    assert normalize_email("") == ""
    assert normalize_email(None) == ""


@pytest.mark.parametrize(
    "raw",
    [
        "vanphong",
        "vanphong@skhcn",
        "van phong@skhcn.gov.vn",
        "a@b@c.vn",
        "@skhcn.gov.vn",
        "vanphong@.gov.vn",
        "vanphong@skhcn..gov.vn",
        "vanphong@-skhcn.gov.vn",
        "a" * 250 + "@b.vn",
    ],
)
def test_normalize_email_rejects(raw):
    with pytest.raises(ValueError, match="Địa chỉ email không hợp lệ"):
        normalize_email(raw)


# --- money ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "amount, expected",
    [
        (54_000_000, "54.000.000 đ"),
        (300_000, "300.000 đ"),
        (999, "999 đ"),
        (0, "0 đ"),
        (-1000, "-1.000 đ"),
        (1_234_567_890, "1.234.567.890 đ"),
        (None, ""),
    ],
)
def test_format_money(amount, expected):
    assert format_money(amount) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("54.000.000", 54_000_000),
        ("54000000", 54_000_000),
        ("54.000.000 đ", 54_000_000),
        ("54.000.000đ", 54_000_000),
        ("54.000.000 đồng", 54_000_000),
        ("54.000.000 VNĐ", 54_000_000),
        ("54 triệu", 54_000_000),
        ("54 Triệu đồng", 54_000_000),
        ("1,5 triệu", 1_500_000),
        ("2 tỷ", 2_000_000_000),
        ("1,25 tỉ", 1_250_000_000),
        ("300 nghìn", 300_000),
        ("150 ngàn đ", 150_000),
        ("1.500 triệu", 1_500_000_000),
        ("0", 0),
        (nfd("54 triệu"), 54_000_000),
    ],
)
def test_parse_money(raw, expected):
    assert parse_money(raw) == expected
    assert isinstance(parse_money(raw), int)


@pytest.mark.parametrize(
    "raw",
    [
        "",
        None,
        "abc",
        "-1000",
        "54,000,000",
        "1,5",
        "54.00.000",
        "1.5 triệu",
        "54 trieu",
        "1,2345 nghìn",
        "5 đô",
    ],
)
def test_parse_money_rejects(raw):
    with pytest.raises(ValueError, match="Số tiền không hợp lệ"):
        parse_money(raw)


def test_money_round_trip():
    assert parse_money(format_money(54_000_000)) == 54_000_000


# --- file names -------------------------------------------------------------------------------


def test_initials_slug():
    assert initials_slug("Giấy mời số 12/GM-SKHCN") == "giay-moi-so-12-gm-skhcn"
    assert initials_slug("  Hội nghị tổng kết (2016–2020)!  ") == "hoi-nghi-tong-ket-2016-2020"
    assert initials_slug("Đặng Thị Ước") == "dang-thi-uoc"
    assert initials_slug("") == ""


def test_initials_slug_is_cut_to_60_without_trailing_dash():
    slug = initials_slug("Kế hoạch tổ chức Hội nghị tổng kết Chương trình KH&CN nông thôn miền núi")
    assert len(slug) <= 60
    assert not slug.endswith("-")
    assert slug.startswith("ke-hoach-to-chuc-hoi-nghi-tong-ket-chuong-trinh-kh-cn")
    # The 60th character is a dash here: it is dropped, not kept at the end.
    assert initials_slug("ư" * 59 + " đ") == "u" * 59
