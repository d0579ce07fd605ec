"""The offline workbook in a real browser, with CSRF on: the overview's link downloads the
workbook, a file chosen in the upload form shows the preview, and the confirm imports it."""
import io

from openpyxl import load_workbook
from sqlalchemy import select

from app.extensions import db
from app.responses import operations as ops
from app.responses.models import Response
from tests import factories
from tests.browser.conftest import log_in, screenshot
from tests.helpers import overview_url
from tests.workbook_helpers import as_bytes, cell, edit


def test_download_upload_preview_and_confirm_in_a_browser(page, cycle, tmp_path):
    factories.response("FRA", cycle, {"crim_offence": "yes", "crim_law": "Act 1", "crim_max_penalty": 5})
    log_in(page, factories.user("focal_point", "FRA"))
    page.goto(overview_url(cycle))
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the workbook (Excel)").first.click()
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    edit(book, crim_law="Act 2 of 2024", crim_max_penalty=12)
    cell(book, "r:data_victims:2023").value = 41
    (tmp_path / "justice.xlsx").write_bytes(as_bytes(book))

    page.get_by_role("link", name="Upload completed workbooks").click()
    page.set_input_files("input[type=file]", str(tmp_path / "justice.xlsx"))
    page.get_by_role("button", name="Upload and preview").click()
    page.wait_for_selector("h1:has-text('Preview of the import')")
    assert page.locator(".import-change").count() == 3
    screenshot(page, "workbook-import-preview")
    page.get_by_role("button", name="Confirm the import").click()
    page.wait_for_selector("text=3 answers were imported.")
    db.session.rollback()
    answers = ops.answers_at(db.session.scalar(select(Response.id)))
    assert answers["crim_law"] == "Act 2 of 2024" and answers["crim_max_penalty"] == 12
    assert answers["data_victims"] == {"2023": {"women": 41, "total": 41}}
