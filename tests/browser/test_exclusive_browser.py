"""In a real browser: an exclusive option ("None of these") is ticked alone, and what autosave
stores is the boxes as the page shows them."""
from playwright.sync_api import expect

from app.extensions import db
from app.responses.models import Response
from app.responses.operations import answers_at
from tests import factories
from tests.browser.conftest import log_in
from tests.helpers import section_url
from tests.test_exclusive_options import exclusive_cycle

SAVED_WITHIN = 15_000  # ms


def test_ticking_an_exclusive_option_unticks_the_others_and_the_reverse(page, app):
    cycle = exclusive_cycle()
    focal = factories.user("focal_point", "FRA")
    log_in(page, focal)
    page.goto(section_url(cycle, "criminalization"))
    page.check("input[name=q_crim_offence][value=yes]")
    page.check("input[name=q_crim_forms][value=sexual]")
    page.check("input[name=q_crim_forms][value=organs]")
    page.check("input[name=q_crim_forms][value=none]")
    boxes = page.locator("input[name=q_crim_forms]:checked")
    expect(boxes).to_have_count(1)
    expect(page.locator("input[name=q_crim_forms][value=none]")).to_be_checked()
    expect(page.locator(".save-status")).to_have_text("Saved", timeout=SAVED_WITHIN)
    db.session.rollback()  # a new transaction: the one open since the login reads an older snapshot
    assert answers_at(db.session.scalar(db.select(Response.id)))["crim_forms"] == ["none"]
    page.check("input[name=q_crim_forms][value=slavery]")
    expect(page.locator("input[name=q_crim_forms][value=none]")).not_to_be_checked()
    expect(boxes).to_have_count(1)
