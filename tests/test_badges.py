"""Badges: in the order the host chooses (agency group, then Vietnamese name order, by default), names never
broken inside a word, and a single badge printed on a page of its own size."""

import io

import pytest
import sqlalchemy as sa

from eventapp.models import Delegate, User

from .conftest import browser_login, screenshot


@pytest.fixture()
def badge_scene(db, make_conference, make_agency):
    conference = make_conference()
    health = make_agency("Sở Y tế")
    finance = make_agency("Sở Tài chính")
    press = make_agency("Báo Quảng Ngãi", group="Báo chí")  # the second group: after the Sở
    people = [("Trần Văn Bình", health, 10), ("Nguyễn Thị Ánh", health, 50), ("Lê Văn An", finance, 90),
              ("Phạm Thị Hoa", press, 1), ("Võ Thị Minh Thư Hoàng Phương", finance, 70)]
    for name, agency, precedence in people:
        db.session.add(Delegate(conference_id=conference.id, kind="walk_in", full_name=name, agency_id=agency.id,
                                agency_name=agency.name, precedence=precedence))
    db.session.commit()
    return conference


def _names(html: str) -> list[str]:
    return [part.split(">", 1)[1].split("</p>")[0] for part in html.split('<p class="badge-name')[1:]]


def test_badges_go_by_agency_group_then_given_name(reception_client, badge_scene):
    html = reception_client.get(f"/hoi-nghi/{badge_scene.id}/the-dai-bieu").get_data(as_text=True)
    # Sở Tài chính before Sở Y tế (Vietnamese order); in each, by given name: An before Phương, Ánh before Bình.
    assert _names(html) == ["Lê Văn An", "Võ Thị Minh Thư Hoàng Phương", "Nguyễn Thị Ánh", "Trần Văn Bình",
                            "Phạm Thị Hoa"]
    assert 'class="badge-name badge-name-long">Võ Thị Minh Thư Hoàng Phương' in html
    leaders = reception_client.get(f"/hoi-nghi/{badge_scene.id}/the-dai-bieu?thu-tu=uu-tien").get_data(as_text=True)
    assert _names(leaders)[:2] == ["Phạm Thị Hoa", "Trần Văn Bình"]
    assert 'aria-current="true">Lãnh đạo trước' in leaders


@pytest.mark.browser
def test_a_single_badge_prints_on_its_own_size(db, badge_scene, live_server, browser, make_user):
    from pypdf import PdfReader

    user = make_user("reception")
    delegate = db.session.scalar(sa.select(Delegate).filter_by(full_name="Võ Thị Minh Thư Hoàng Phương"))
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    browser_login(page, live_server.url, db.session.get(User, user.id))
    page.goto(f"{live_server.url}/hoi-nghi/{badge_scene.id}/the-dai-bieu")
    screenshot(page, "checkin-badges")
    page.goto(f"{live_server.url}/hoi-nghi/{badge_scene.id}/the-dai-bieu/{delegate.id}")
    page.emulate_media(media="print")
    box = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True))).pages
    assert len(box) == 1
    width_mm, height_mm = (float(v) * 25.4 / 72 for v in (box[0].mediabox.width, box[0].mediabox.height))
    assert abs(width_mm - 105) < 1 and abs(height_mm - 74) < 1
    # The name wraps between its words: every line of it starts a word.
    lines = page.locator(".badge-name").evaluate("""el => {
        const range = document.createRange(); const text = el.firstChild; const starts = [];
        let top = null;
        for (let i = 0; i < text.length; i++) {
            range.setStart(text, i); range.setEnd(text, i + 1);
            const y = Math.round(range.getBoundingClientRect().top);
            if (top === null || y > top + 2) { starts.push(i); top = y; }
        }
        return starts.map(i => text.data[i - 1] || ' ');
    }""")
    assert len(lines) >= 2 and all(before == " " for before in lines)
    screenshot(page, "checkin-badge-single-print")
    page.close()
