"""In a real browser: a table's totals add up as the State types, and autosave shows the table's
checks on the figures it stored, without a reload."""
from playwright.sync_api import expect

from app.extensions import db
from app.responses.models import Response
from app.responses.operations import answers_at
from tests import factories
from tests.browser.conftest import log_in
from tests.helpers import section_url

SAVED_WITHIN = 15_000  # ms


def test_totals_add_up_live_and_autosave_shows_the_checks(page, cycle):
    log_in(page, factories.user("focal_point", "FRA"))
    page.goto(section_url(cycle, "data"))
    total = page.locator("#q_data_victims-2024-total")
    expect(total).to_have_text("")
    page.fill("[name=q_data_victims-2024-women]", "100")
    page.fill("[name=q_data_victims-2024-men]", "5")
    expect(total).to_have_text("105")  # before any save
    page.fill("[name=q_data_victims-2023-women]", "10")
    expect(page.locator(".save-status")).to_have_text("Saved", timeout=SAVED_WITHIN)
    checks = page.locator("#q-data_victims .question__findings")
    expect(checks).to_contain_text("Women: 10 in 2023, 100 in 2024")
    db.session.rollback()  # a new transaction: the one open since the login reads an older snapshot
    assert answers_at(db.session.scalar(db.select(Response.id)))["data_victims"]["2024"]["total"] == 105
    page.fill("[name=q_data_victims-2023-women]", "90")
    expect(checks).to_have_text("", timeout=SAVED_WITHIN)
