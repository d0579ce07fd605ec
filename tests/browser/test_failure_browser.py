"""In a real browser: while the database fails, autosave says the answers are not saved, keeps
them, and tries again later (after the reply's Retry-After), then saves them."""
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.responses import operations as ops
from app.responses.models import Response
from app.states.models import State
from tests import factories
from tests.browser.conftest import log_in
from tests.helpers import section_url


def test_autosave_tries_again_later_while_the_database_fails(page, cycle, inject, errors):  # noqa: F811
    focal = factories.user("focal_point", "FRA")
    ops.create_response(db.session.get(State, "FRA"), cycle, focal, {"crim_offence": "yes"})
    db.session.commit()
    log_in(page, focal)
    page.clock.install()  # the page's timers run when the test says
    page.goto(section_url(cycle, "criminalization"))
    status = page.locator(".save-status")
    fault = inject(errors["transient"], "INSERT INTO REVISIONS")  # the live server runs in this process
    page.fill("[name=q_crim_law]", "Typed while the database was down")
    page.clock.run_for(3_500)  # autosave waits three seconds after the last key
    expect(status).to_contain_text("Not saved yet: the database did not take your changes.")
    tries = len(fault.hits)
    page.clock.run_for(9_000)  # the reply asked for ten seconds
    assert len(fault.hits) == tries
    inject.stop()
    page.clock.run_for(2_000)
    expect(status).to_have_text("Saved")
    db.session.rollback()
    response_id = db.session.scalar(select(Response.id).where(Response.cycle_id == cycle.id))
    assert ops.answers_at(response_id)["crim_law"] == "Typed while the database was down"
