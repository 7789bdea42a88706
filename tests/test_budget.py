"""The budget estimate: computed amounts, totals, norm and over-budget warnings, the appendix workbook."""

from __future__ import annotations

import io

import openpyxl
import sqlalchemy as sa

from eventapp import spreadsheets
from eventapp.budget import services
from eventapp.budget.norms import default_norms
from eventapp.documents.layout import amount_in_words
from eventapp.models import AuditEntry, BudgetCategory, BudgetLine, SpendingNorm


def line_data(prefix="new", **fields):
    data = {"category": "water", "content": "Nước uống đại biểu", "unit": "người", "quantity": "150",
            "days": "1", "unit_price": "40.000", "funding_source": "Ngân sách Sở năm 2021", "norm_id": "0",
            "actual_amount": "", "note": ""}
    data.update(fields)
    return {f"{prefix}-{k}": v for k, v in data.items()}


def add(client, conference, **fields):
    return client.post(f"/hoi-nghi/{conference.id}/kinh-phi/them", data=line_data(**fields))


def test_amount_is_computed_and_totals_by_category(db, organizer_client, make_conference):
    conference = make_conference()
    assert add(organizer_client, conference).status_code == 303
    add(organizer_client, conference, category="hall", content="Thuê hội trường, âm thanh", unit="ngày",
        quantity="1", unit_price="12.000.000")
    add(organizer_client, conference, category="documents", content="Tài liệu hội nghị", unit="bộ",
        quantity="150", unit_price="50.000", days="")
    lines = db.session.scalars(sa.select(BudgetLine).order_by(BudgetLine.position)).all()
    assert [line.amount for line in lines] == [6_000_000, 12_000_000, 7_500_000]
    sheet = services.budget_sheet(conference)
    assert sheet.total == 25_500_000
    assert {g.category: g.amount for g in sheet.categories} == {"hall": 12_000_000, "documents": 7_500_000,
                                                                "water": 6_000_000}
    assert not sheet.over_budget and sheet.remaining == 28_500_000
    page = organizer_client.get(f"/hoi-nghi/{conference.id}/kinh-phi").get_data(as_text=True)
    assert "25.500.000 đ" in page and "còn lại 28.500.000 đ" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "budget.create")) == 3


def test_over_budget_warning(db, organizer_client, make_conference):
    conference = make_conference(approved_budget=54_000_000)
    add(organizer_client, conference, category="hall", content="Thuê hội trường", quantity="1",
        unit_price="50.000.000")
    page = organizer_client.get(f"/hoi-nghi/{conference.id}/kinh-phi").get_data(as_text=True)
    assert "Vượt kinh phí được duyệt" not in page
    response = organizer_client.post(f"/hoi-nghi/{conference.id}/kinh-phi/them",
                                     data=line_data(quantity="150", unit_price="40.000"),
                                     headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body
    assert "Vượt kinh phí được duyệt" in body
    assert "56.000.000 đ vượt 54.000.000 đ được duyệt là 2.000.000 đ" in body


def test_norm_warning_names_the_rule(db, organizer_client, make_conference):
    assert services.ensure_default_norms() == len(default_norms())
    db.session.commit()
    assert services.ensure_default_norms() == 0
    water = db.session.scalar(sa.select(SpendingNorm).where(SpendingNorm.category == "water"))
    assert water.max_unit_price == 40_000 and not water.verified
    meals = db.session.scalar(sa.select(SpendingNorm).where(SpendingNorm.max_unit_price == 150_000))
    conference = make_conference()
    add(organizer_client, conference, category="meals", content="Hỗ trợ tiền ăn khách mời", quantity="30",
        unit_price="180.000", norm_id=str(meals.id))
    add(organizer_client, conference, unit_price="40.000", norm_id=str(water.id))
    sheet = services.budget_sheet(conference)
    assert len(sheet.warnings) == 1
    warning = next(iter(sheet.warnings.values()))
    assert "180.000 đ vượt định mức 150.000 đ" in warning and "Thông tư 40/2017/TT-BTC" in warning
    page = organizer_client.get(f"/hoi-nghi/{conference.id}/kinh-phi").get_data(as_text=True)
    assert "vượt định mức 150.000 đ/người/ngày" in page


def test_bad_input_gets_vietnamese_messages(db, organizer_client, make_conference):
    conference = make_conference()
    response = add(organizer_client, conference, content="", quantity="abc", unit_price="mười nghìn", days="999")
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Vui lòng nhập nội dung chi." in body and "Số tiền không hợp lệ" in body
    assert "Số ngày phải từ 1 đến 366." in body
    assert db.session.scalar(sa.select(sa.func.count()).select_from(BudgetLine)) == 0


def test_edit_actual_amount_and_delete(db, organizer_client, make_conference):
    conference = make_conference()
    add(organizer_client, conference)
    line = db.session.scalar(sa.select(BudgetLine))
    form = organizer_client.get(f"/hoi-nghi/{conference.id}/kinh-phi/{line.id}/sua").get_data(as_text=True)
    assert "Sửa khoản chi" in form and 'value="40.000"' in form
    response = organizer_client.post(f"/hoi-nghi/{conference.id}/kinh-phi/{line.id}/sua",
                                     data=line_data(f"l{line.id}", actual_amount="5.400.000"))
    assert response.status_code == 303
    db.session.expire_all()
    sheet = services.budget_sheet(conference)
    assert sheet.actual_total == 5_400_000 and sheet.difference == -600_000
    other = make_conference(title="Hội nghị khác")
    assert organizer_client.post(f"/hoi-nghi/{other.id}/kinh-phi/{line.id}/xoa").status_code == 404
    assert organizer_client.post(f"/hoi-nghi/{conference.id}/kinh-phi/{line.id}/xoa").status_code == 303
    assert db.session.scalar(sa.select(sa.func.count()).select_from(BudgetLine)) == 0


def test_appendix_xlsx_has_formulas(db, organizer_client, make_conference):
    conference = make_conference()
    add(organizer_client, conference, category="hall", content="Thuê hội trường", quantity="1",
        unit_price="12.000.000")
    add(organizer_client, conference)
    add(organizer_client, conference, category="water", content="Giải lao", quantity="150", unit_price="20.000")
    response = organizer_client.get(f"/hoi-nghi/{conference.id}/kinh-phi/phu-luc.xlsx")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    ws = openpyxl.load_workbook(io.BytesIO(response.data)).active
    cells = {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}
    assert "DỰ TOÁN KINH PHÍ" in cells.values()
    header = next(r for r, v in cells.items() if v == "Thành tiền (đồng)")
    assert header[0] == "G"
    amounts = [(coord, v) for coord, v in cells.items() if isinstance(v, str) and v.startswith("=D")]
    assert len(amounts) == 3
    for coord, formula in amounts:
        row = coord[1:]
        assert formula == f"=D{row}*E{row}*F{row}"
        assert ws[f"G{row}"].number_format == "#,##0"
    total_row = next(c[1:] for c, v in cells.items() if v == "TỔNG CỘNG")
    assert cells[f"G{total_row}"].startswith("=G")
    # evaluate the formulas the way a spreadsheet would
    values = {}
    for coord, v in cells.items():
        values[coord] = v
    def value(coord):
        v = values.get(coord)
        if isinstance(v, str) and v.startswith("=SUM("):
            a, b = v[5:-1].split(":")
            return sum(value(f"G{r}") or 0 for r in range(int(a[1:]), int(b[1:]) + 1))
        if isinstance(v, str) and v.startswith("=D"):
            r = coord[1:]
            return values[f"D{r}"] * values[f"E{r}"] * values[f"F{r}"]
        if isinstance(v, str) and v.startswith("=G"):
            return sum(value(part) for part in v[1:].split("+"))
        return v
    assert value(f"G{total_row}") == 12_000_000 + 6_000_000 + 3_000_000
    assert "Hai mươi mốt triệu đồng" in " ".join(str(v) for v in cells.values())


def test_appendix_figures_show_in_viewers_that_do_not_compute(db, organizer_client, make_conference):
    """Each formula is stored with its result: a phone's preview (or python-calamine) shows every figure."""
    conference = make_conference(approved_budget=30_000_000)
    add(organizer_client, conference, category="hall", content="Thuê hội trường", quantity="1",
        unit_price="12.000.000", actual_amount="11.500.000")
    add(organizer_client, conference)  # water 150 × 40.000, not spent yet
    add(organizer_client, conference, category="water", content="Giải lao", quantity="150", unit_price="20.000",
        actual_amount="2.800.000")
    data = organizer_client.get(f"/hoi-nghi/{conference.id}/kinh-phi/phu-luc.xlsx?loai=quyet-toan").data
    formulas = openpyxl.load_workbook(io.BytesIO(data)).active
    results = openpyxl.load_workbook(io.BytesIO(data), data_only=True).active
    figures = {}
    for row in formulas.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                figures[cell.value] = results[cell.coordinate].value
    total_row = next(c.row for row in formulas.iter_rows() for c in row if c.value == "TỔNG CỘNG")
    assert figures[f"=D{total_row - 1}*E{total_row - 1}*F{total_row - 1}"] == 3_000_000
    assert sorted(v for f, v in figures.items() if f.startswith("=SUM(G")) == [9_000_000, 12_000_000]
    assert sorted(v for f, v in figures.items() if f.startswith("=SUM(H")) == [2_800_000, 11_500_000]
    assert results[f"G{total_row}"].value == 21_000_000 and results[f"H{total_row}"].value == 14_300_000
    assert results[f"I{total_row}"].value == -6_700_000
    assert results[f"G{total_row + 2}"].value == 15_700_000  # còn lại: 30.000.000 - 14.300.000 spent
    line = next(c.row for row in formulas.iter_rows() for c in row if c.value == "Nước uống đại biểu")
    assert results[f"I{line}"].value is None  # no difference for a line not spent yet
    assert results[f"I{line + 1}"].value == -200_000
    shown = spreadsheets.read_rows(data, "quyet-toan.xlsx").rows
    assert ["", "TỔNG CỘNG", "", "", "", "", "21000000", "14300000", "-6700000", ""] in shown


def test_appendix_print_page(db, organizer_client, make_conference):
    conference = make_conference()
    add(organizer_client, conference)
    page = organizer_client.get(f"/hoi-nghi/{conference.id}/kinh-phi/in").get_data(as_text=True)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page and "Độc lập - Tự do - Hạnh phúc" in page
    assert "DỰ TOÁN KINH PHÍ" in page and "6.000.000" in page
    assert "Bằng chữ: Sáu triệu đồng chẵn." in page


def test_amount_in_words():
    assert amount_in_words(54_000_000) == "Năm mươi tư triệu đồng chẵn"
    assert amount_in_words(1_015_000) == "Một triệu không trăm mười lăm nghìn đồng chẵn"
    assert amount_in_words(21_500_000) == "Hai mươi mốt triệu năm trăm nghìn đồng chẵn"
    assert amount_in_words(52_580_250) == "Năm mươi hai triệu năm trăm tám mươi nghìn hai trăm năm mươi đồng"
    assert amount_in_words(1_000_005) == "Một triệu không trăm linh năm đồng"
    assert amount_in_words(0) == "Không đồng"


def test_default_norms_are_the_national_caps_with_their_sources():
    norms = default_norms()
    assert {n["category"] for n in norms} <= {c.value for c in BudgetCategory}
    meals = {n["max_unit_price"] for n in norms if n["category"] == "meals"}
    assert meals == {200_000, 150_000, 100_000}  # Circular 40/2017, Điều 12
    assert all("Thông tư 40/2017/TT-BTC" in n["source"] for n in norms if n["category"] == "meals")
    per_diem = next(n for n in norms if "lưu trú" in n["name"])
    assert per_diem["max_unit_price"] == 300_000 and "12/2025/TT-BTC" in per_diem["source"]
    water = next(n for n in norms if n["category"] == "water")
    assert water["max_unit_price"] == 40_000 and water["verified"] is False and "chưa đối chiếu" in water["source"]
    norms[0]["max_unit_price"] = 1
    assert default_norms()[0]["max_unit_price"] == 200_000  # a copy each time


def test_norms_page_organizers_read(db, organizer_client):
    services.ensure_default_norms()
    db.session.commit()
    page = organizer_client.get("/dinh-muc-chi").get_data(as_text=True)
    assert "Thông tư 40/2017/TT-BTC" in page and "150.000 đ" in page and "Chưa đối chiếu văn bản" in page
    assert "Nạp định mức mặc định" not in page
    assert organizer_client.post("/dinh-muc-chi/mac-dinh").status_code == 403


def test_norms_admin_seeds_and_edits(db, admin_client):
    assert admin_client.post("/dinh-muc-chi/mac-dinh").status_code == 303
    assert "Nạp định mức mặc định" in admin_client.get("/dinh-muc-chi").get_data(as_text=True)
    norm = db.session.scalar(sa.select(SpendingNorm).where(SpendingNorm.category == "water"))
    data = {f"n{norm.id}-{k}": v for k, v in {"category": "water", "name": norm.name, "unit": "người/ngày",
                                               "max_unit_price": "30.000", "source": "Nghị quyết 15/2022/NQ-HĐND",
                                               "note": "", "verified": "y"}.items()}
    assert admin_client.post(f"/dinh-muc-chi/{norm.id}/sua", data=data).status_code == 303
    db.session.refresh(norm)
    assert norm.max_unit_price == 30_000 and norm.verified
    bad = dict(data, **{f"n{norm.id}-max_unit_price": "ba mươi"})
    response = admin_client.post(f"/dinh-muc-chi/{norm.id}/sua", data=bad)
    assert response.status_code == 422 and "Số tiền không hợp lệ" in response.get_data(as_text=True)


def test_budget_page_query_count_is_constant(db, organizer_client, make_conference, app):
    from tests.conftest import count_queries

    services.ensure_default_norms()
    db.session.commit()
    norm_id = db.session.scalar(sa.select(SpendingNorm.id).limit(1))
    counts = []
    for n in (10, 1000):
        conference = make_conference(title=f"Hội nghị {n}")
        db.session.execute(sa.insert(BudgetLine), [
            {"conference_id": conference.id, "position": i, "category": "water", "content": f"Khoản {i}",
             "quantity": 10, "days": 1, "unit_price": 1000 + i, "norm_id": norm_id if i % 2 else None}
            for i in range(n)])
        db.session.commit()
        organizer_client.get("/dinh-muc-chi")  # warm the per-request caches (signed-in user, host agency)
        with count_queries() as queries:
            response = organizer_client.get(f"/hoi-nghi/{conference.id}/kinh-phi")
        assert response.status_code == 200
        counts.append(queries())
    assert counts[0] == counts[1], counts
