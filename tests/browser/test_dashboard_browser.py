"""In a real browser: the dashboard's summary (statuses as one bar, by region, the States late or
at risk) and the tile map, in English and mirrored in Arabic, and the reminder button, which
queues one e-mail and writes one audit entry. Screenshots of both languages are written to
docs/screenshots/ with SAVE_SCREENSHOTS=1 (as for the README), else to test-artifacts/."""
import os
from datetime import timedelta
from pathlib import Path

from PIL import Image
from playwright.sync_api import expect

from app import mail
from app.audit.models import AuditEvent
from app.database import utcnow
from app.extensions import db
from app.responses import operations as ops
from app.responses.workflow import Action
from app.states.models import State
from tests import factories
from tests.browser.conftest import ARTIFACTS, log_in, screenshot

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _cycle_due_soon(cycle):
    """A cycle due in 5 days: France and Kenya drafts (France barely started), Chile, Japan and
    Brazil submitted or accepted, every other State not started."""
    focal = factories.user("focal_point", "FRA")
    reviewer = factories.user("secretariat")
    for code, values in (("FRA", {"crim_offence": "yes"}), ("KEN", {
            "crim_offence": "no", "prot_shelter": "no", "prot_description": "Shelters", "prot_budget": "3",
            "data_body": "Police", "ratification_status": "signed"}), ("CHL", {"crim_offence": "no"}),
            ("JPN", {"crim_offence": "yes"}), ("BRA", {"crim_offence": "partly"})):
        ops.create_response(db.session.get(State, code), cycle, focal, values)
    for code, actions in (("CHL", (Action.SUBMIT, Action.ACCEPT)), ("JPN", (Action.SUBMIT,)),
                          ("BRA", (Action.SUBMIT, Action.ACCEPT))):
        response = db.session.scalar(db.select(ops.Response).filter_by(state_code=code))
        for action in actions:
            ops.change_status(response, action, reviewer if action == Action.ACCEPT else focal)
    cycle.closes_on = utcnow().date() + timedelta(days=5)
    db.session.commit()
    return focal, reviewer


def _save(page, name):
    if os.environ.get("SAVE_SCREENSHOTS"):
        DOCS.mkdir(parents=True, exist_ok=True)
        path = DOCS / f"{name}.png"
        page.locator(".dashboard-summary").screenshot(path=str(path))
        Image.open(path).quantize(64).save(path, optimize=True)  # a small file for the repository
    else:
        screenshot(page, name, full_page=False)


def _tile_x(page, code, map_id="status-map"):
    """Where a tile starts, from the map's left edge, in pixels."""
    left = page.locator(f"#{map_id} svg").bounding_box()["x"]
    return page.locator(f"#{map_id} g[data-state={code}] rect").bounding_box()["x"] - left


def test_dashboard_summary_and_tile_map_in_english_and_arabic(page, cycle):
    _focal, reviewer = _cycle_due_soon(cycle)
    log_in(page, reviewer)
    page.goto("/analysis/")
    summary = page.locator(".dashboard-summary")
    expect(summary.locator(".summary-overall h3")).to_have_text("3 of 193 States have submitted")
    expect(summary.locator(".summary-overall li[data-status=accepted] .count")).to_have_text("2")
    expect(summary.locator("tr[data-region='002'] td.number")).to_have_text("0 of 54")
    expect(summary.locator("li[data-state=FRA].concern--risk")).to_be_visible()
    expect(summary.locator("li[data-state=KEN]")).to_have_count(0)  # 67% answered: not at risk
    expect(page.locator("th", has_text="Days to the deadline")).to_have_count(0)
    expect(page.locator("#status-map g[data-state]")).to_have_count(193)
    expect(page.locator("#status-map g[data-state=CHL]")).to_have_attribute("data-category", "accepted")
    english = {code: _tile_x(page, code) for code in ("USA", "FRA", "CHN", "AUS")}
    assert english["USA"] < english["FRA"] < english["CHN"]
    _save(page, "dashboard-en")

    page.click("button[name=lang][value=ar]")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(summary.locator(".summary-overall h3")).to_contain_text("193")
    arabic = {code: _tile_x(page, code) for code in english}
    assert arabic["USA"] > arabic["FRA"] > arabic["CHN"]  # east on the left, as Arabic reads
    # Each tile at the mirror image of its English place: English x + Arabic x (from the map's left edge) is the same for all.
    sums = {round(english[code] + arabic[code]) for code in english}
    assert max(sums) - min(sums) <= 1, sums
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    _save(page, "dashboard-ar")
    page.locator("#status-map summary").click()  # the text alternative: every State and its status
    expect(page.locator("#status-map tr[data-tile=FRA] th")).to_have_text("فرنسا")


def test_send_reminder_queues_one_email_and_writes_one_audit_entry(page, cycle, live_server):
    focal, reviewer = _cycle_due_soon(cycle)
    log_in(page, reviewer)
    live_app = live_server[1].wsgi_app.__self__  # the served app, whose memory outbox gets the e-mail
    with live_app.app_context():
        outbox = mail.outbox()
    outbox.clear()
    before = db.session.scalar(db.select(db.func.count()).select_from(AuditEvent)
                               .where(AuditEvent.event_type == "reminder_sent"))
    page.goto("/analysis/")
    page.locator("li[data-state=FRA] button", has_text="Send reminder").click()
    expect(page.locator(".flash--success")).to_contain_text("A reminder was sent to 1 user of France.")
    assert [(m.to, m.subject) for m in outbox] == [(focal.email, "Deadline approaching: France")]
    db.session.rollback()  # end this test's read transaction: see what the server committed
    events = db.session.scalars(db.select(AuditEvent).where(AuditEvent.event_type == "reminder_sent")).all()
    assert len(events) == before + 1 and events[-1].state_code == "FRA" and events[-1].user_id == reviewer.id


def test_question_page_map_coloured_by_answer_in_arabic(page, cycle):
    for code, offence in (("FRA", "yes"), ("KEN", "partly"), ("CHL", "no"), ("JPN", "yes")):
        factories.response(code, cycle, {"crim_offence": offence}, status="accepted")
    reviewer = factories.user("secretariat")
    reviewer.locale = "ar"
    db.session.commit()
    log_in(page, reviewer)
    page.goto(f"/analysis/cycles/{cycle.id}/questions/crim_offence")
    expect(page.locator("#answers-map g[data-state]")).to_have_count(193)
    expect(page.locator("#answers-map g[data-category=yes]")).to_have_count(2)
    assert _tile_x(page, "JPN", "answers-map") < _tile_x(page, "FRA", "answers-map") < _tile_x(page, "CHL", "answers-map")
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#answers-map").screenshot(path=str(ARTIFACTS / "question-map-ar.png"))
