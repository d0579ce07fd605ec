"""Downloading, editing and uploading offline workbooks (app/workbooks) in tests."""
import io
import re
from html.parser import HTMLParser

from openpyxl import load_workbook

from tests.helpers import overview_url

ANSWER_COLUMN = 4


def workbook_url(cycle, state="FRA"):
    return overview_url(cycle, state) + "workbook.xlsx"


def import_url(cycle, state="FRA"):
    return overview_url(cycle, state) + "workbook/import"


def download(client, cycle, state="FRA"):
    response = client.get(workbook_url(cycle, state))
    assert response.status_code == 200, response.text
    return load_workbook(io.BytesIO(response.data))


def row_of(workbook, key):
    """(sheet, row number) of the row whose hidden key is ``key``."""
    for sheet in workbook.worksheets:
        for row in range(1, sheet.max_row + 1):
            if sheet.cell(row, 1).value == key:
                return sheet, row
    raise KeyError(key)


def cell(workbook, key, offset=0):
    sheet, row = row_of(workbook, key)
    return sheet.cell(row, ANSWER_COLUMN + offset)


def edit(workbook, **answers):
    """Set the answer cell of each question given (``crim_law="Act 2"``); table cells are set
    with ``cell(workbook, "r:<id>:<row>", offset=<column>)``."""
    for key, value in answers.items():
        cell(workbook, f"q:{key}").value = value
    return workbook


def as_bytes(workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(client, cycle, *files, state="FRA"):
    """Post ``files`` ((name, bytes) pairs) to the import form."""
    data = {"files": [(io.BytesIO(content), name) for name, content in files]}
    return client.post(import_url(cycle, state), data=data, content_type="multipart/form-data")


class _Form(HTMLParser):
    def __init__(self):
        super().__init__()
        self.fields, self.action = {}, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and "confirm" in (attrs.get("action") or ""):
            self.action = attrs["action"]
        if tag == "input" and attrs.get("type") in ("hidden", None) and attrs.get("name"):
            self.fields[attrs["name"]] = attrs.get("value", "")


def confirm(client, preview_html, **choices):
    """Post the preview's confirm form, with ``resolve_<id>="theirs"|"mine"`` choices."""
    form = _Form()
    form.feed(preview_html)
    assert form.action, "the preview has no confirm form"
    return client.post(form.action, data={**form.fields, **choices})


def refusals(html: str) -> list[str]:
    block = re.search(r'class="workbook-refusals">(.*?)</ul>', html, re.S)
    return re.findall(r"<li>(.*?)</li>", block[1], re.S) if block else []
