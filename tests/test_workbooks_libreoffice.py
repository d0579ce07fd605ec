"""A workbook opened and saved again by LibreOffice (as a ministry without Excel would) imports
the same: its hidden identification, sheets and cells survive the round trip. LibreOffice Calc
comes from Debian's packages (``make test-system-packages``)."""
import html
import shutil
import subprocess
from datetime import date

import pytest
from sqlalchemy import select

from app.extensions import db
from app.responses import operations as ops
from app.responses.models import Response
from tests import factories
from tests.workbook_helpers import as_bytes, cell, confirm, download, edit, upload

pytestmark = [pytest.mark.subprocess, pytest.mark.slow]


def resaved_by_libreoffice(content: bytes, tmp_path) -> bytes:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is missing: run make test-system-packages"
    source, out = tmp_path / "in" / "ministry.xlsx", tmp_path / "out"
    source.parent.mkdir()
    source.write_bytes(content)
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(out), str(source)],
                   check=True, capture_output=True, timeout=180)
    return (out / "ministry.xlsx").read_bytes()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_workbook_resaved_by_libreoffice_imports_the_same(client, cycle, login, tmp_path, language):
    factories.response("FRA", cycle, {"crim_offence": "yes", "crim_law": "Act 1", "crim_max_penalty": 5,
                                      "data_victims": {"2021": {"women": 3}}})
    login(factories.user("focal_point", "FRA", locale=language))
    book = edit(download(client, cycle), crim_law="Act 2", crim_max_penalty=12, crim_in_force=date(2024, 3, 31),
                prot_budget=1250.5, crim_forms="slavery")
    cell(book, "r:data_victims:2022", offset=1).value = 7
    resaved = resaved_by_libreoffice(as_bytes(book), tmp_path)
    preview = upload(client, cycle, ("ministry.xlsx", resaved))
    assert preview.status_code == 200, html.unescape(preview.text)
    assert confirm(client, preview.text).status_code == 302
    db.session.rollback()
    answers = ops.answers_at(db.session.scalar(select(Response.id)))
    assert answers == {"crim_offence": "yes", "crim_law": "Act 2", "crim_max_penalty": 12,
                       "crim_in_force": "2024-03-31", "prot_budget": "1250.5", "crim_forms": ["slavery"],
                       "data_victims": {"2021": {"women": 3, "total": 3}, "2022": {"men": 7, "total": 7}}}  # totals computed
