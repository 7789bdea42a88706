"""The national caps on conference spending (Circular 40/2017/TT-BTC, amended by Circular 12/2025/TT-BTC), loaded
as editable norms: each province sets its own rates within them by a resolution of its People's Council."""

from __future__ import annotations

_TT40 = "Thông tư 40/2017/TT-BTC, Điều 12"
#: Each cap with its source; ``verified`` is False for a figure not checked against the text.
DEFAULT_NORMS = [
    {"category": "meals", "name": "Hỗ trợ tiền ăn khách mời không hưởng lương — nội thành thành phố trực thuộc trung ương",
     "unit": "người/ngày", "max_unit_price": 200_000, "source": _TT40,
     "note": "Mức tối đa; tổ chức ăn tập trung được chi tối đa 130% mức này. HĐND tỉnh quy định mức cụ thể.",
     "verified": True},
    {"category": "meals", "name": "Hỗ trợ tiền ăn khách mời không hưởng lương — thành phố, thị xã thuộc tỉnh, huyện",
     "unit": "người/ngày", "max_unit_price": 150_000, "source": _TT40,
     "note": "Mức tối đa; tổ chức ăn tập trung được chi tối đa 130% mức này. HĐND tỉnh quy định mức cụ thể.",
     "verified": True},
    {"category": "meals", "name": "Hỗ trợ tiền ăn khách mời không hưởng lương — hội nghị do cấp xã tổ chức",
     "unit": "người/ngày", "max_unit_price": 100_000, "source": _TT40,
     "note": "Mức tối đa; tổ chức ăn tập trung được chi tối đa 130% mức này. HĐND tỉnh quy định mức cụ thể.",
     "verified": True},
    {"category": "other", "name": "Phụ cấp lưu trú (công tác phí)", "unit": "người/ngày", "max_unit_price": 300_000,
     "source": "Thông tư 12/2025/TT-BTC sửa đổi Thông tư 40/2017/TT-BTC",
     "note": "Mức phụ cấp lưu trú được nâng lên 300.000 đ/ngày.", "verified": True},
    {"category": "water", "name": "Nước uống phục vụ hội nghị", "unit": "người/ngày", "max_unit_price": 40_000,
     "source": "Mức tham khảo, chưa đối chiếu văn bản",
     "note": "Mức tham khảo, chưa đối chiếu văn bản: kiểm tra Nghị quyết HĐND tỉnh trước khi áp dụng.",
     "verified": False},
]


def default_norms() -> list[dict]:
    """The caps to load, each labelled with its source (category, name, unit, max_unit_price, source, note,
    verified)."""
    return [dict(n) for n in DEFAULT_NORMS]
