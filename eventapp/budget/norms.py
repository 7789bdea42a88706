"""The national caps on conference spending, seeded as editable norms (each province sets its own rates)."""

from __future__ import annotations

CIRCULAR_40 = "Thông tư 40/2017/TT-BTC, Điều 12"
CIRCULAR_12 = "Thông tư 12/2025/TT-BTC sửa đổi Thông tư 40/2017/TT-BTC"

_FIELDS = ("category", "name", "unit", "max_unit_price", "source", "note", "verified")

#: (category, name, unit, max unit price in đồng, source, note, verified): used when the demo data set
#: (``eventapp.demo.data.SPENDING_NORMS``, same fields as dicts) is not installed.
_DEFAULTS: list[tuple[str, str, str, int, str, str, bool]] = [
    ("meals", "Hỗ trợ tiền ăn khách mời không hưởng lương — nội thành thành phố trực thuộc trung ương",
     "người/ngày", 200_000, CIRCULAR_40, "Mức tối đa; HĐND tỉnh quy định mức cụ thể.", True),
    ("meals", "Hỗ trợ tiền ăn khách mời không hưởng lương — thành phố, thị xã thuộc tỉnh",
     "người/ngày", 150_000, CIRCULAR_40, "Mức tối đa; HĐND tỉnh quy định mức cụ thể.", True),
    ("meals", "Hỗ trợ tiền ăn khách mời không hưởng lương — hội nghị do cấp xã tổ chức",
     "người/ngày", 100_000, CIRCULAR_40, "Mức tối đa; HĐND tỉnh quy định mức cụ thể.", True),
    ("meals", "Tổ chức ăn tập trung — thành phố, thị xã thuộc tỉnh (130% mức hỗ trợ)",
     "người/ngày", 195_000, CIRCULAR_40, "Khi tổ chức ăn tập trung được chi tối đa 130% mức hỗ trợ.", True),
    ("meals", "Phụ cấp lưu trú", "người/ngày", 300_000, CIRCULAR_12,
     "Mức phụ cấp lưu trú đã được nâng lên 300.000 đ/ngày.", True),
    ("water", "Nước uống phục vụ hội nghị", "người/ngày", 40_000, "Mức thường được áp dụng (chưa đối chiếu văn bản)",
     "Mặc định có thể chỉnh sửa: chưa xác minh với văn bản gốc.", False),
]


def default_norms() -> list[dict]:
    """The caps to seed: the demo data set's ``SPENDING_NORMS`` when present, else the ones above."""
    try:
        from ..demo.data import SPENDING_NORMS  # type: ignore[attr-defined]
    except (ImportError, AttributeError):
        return [dict(zip(_FIELDS, row, strict=True)) for row in _DEFAULTS]
    return [dict(n) for n in SPENDING_NORMS]
