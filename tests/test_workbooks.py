"""The offline workbook (app/workbooks): download the questionnaire with the State's answers,
edit it as a ministry would (openpyxl), upload it, see the preview, confirm: one revision with
exactly the edited answers. Workbooks of another State or cycle, or rearranged, are refused."""
import html
import io
import re
import zipfile
from datetime import date

import pytest
from sqlalchemy import select

from app.extensions import db
from app.responses import operations as ops
from app.responses.models import Response, Revision
from app.responses.workflow import Action
from tests import factories
from tests.conftest import count_queries
from tests.helpers import overview_url
from tests.test_page_languages import check_page
from tests.workbook_helpers import as_bytes, cell, confirm, download, edit, refusals, row_of, upload

LANGUAGES = ("en", "fr", "es", "ru", "zh", "ar")


def _answers(state="FRA"):
    db.session.rollback()
    return ops.answers_at(db.session.scalar(select(Response.id).filter_by(state_code=state)))


@pytest.fixture
def focal(app, cycle, login):
    factories.response("FRA", cycle, {"crim_offence": "yes", "crim_law": "Act 1", "crim_max_penalty": 5,
                                      "data_victims": {"2021": {"women": 3}}})
    return login(factories.user("focal_point", "FRA", name="Amélie Focal"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_download_edit_upload_preview_confirm_gives_exactly_the_edits(client, cycle, login, language):
    factories.response("FRA", cycle, {"crim_offence": "yes", "crim_law": "Act 1", "crim_max_penalty": 5,
                                      "data_victims": {"2021": {"women": 3}},
                                      "crim_forms": ["sexual"]})
    user = login(factories.user("focal_point", "FRA", locale=language))
    book = download(client, cycle)
    sheet, _row = row_of(book, "q:crim_law")
    assert sheet.sheet_view.rightToLeft == (language == "ar")
    assert cell(book, "q:crim_law").value == "Act 1"
    assert cell(book, "q:crim_max_penalty").value == 5
    assert cell(book, "r:data_victims:2021").value == 3
    edit(book, crim_law="Act 2 of 2024", crim_max_penalty=12, crim_in_force=date(2024, 3, 31), prot_budget=1250.5)
    cell(book, "r:data_victims:2022", offset=1).value = 7
    # An option chosen by its label in the interface language, as the drop-down offers it.
    yes = book["_lists"]["A1"].value  # the first list written: the options of the first choice question
    assert yes
    preview = upload(client, cycle, ("ministry.xlsx", as_bytes(book)))
    assert preview.status_code == 200, preview.text
    assert "Act 2 of 2024" in html.unescape(preview.text) and "crim_max_penalty" in preview.text
    done = confirm(client, preview.text)
    assert done.status_code == 302
    answers = _answers()
    assert answers["crim_law"] == "Act 2 of 2024" and answers["crim_max_penalty"] == 12
    assert answers["crim_in_force"] == "2024-03-31" and answers["prot_budget"] == "1250.5"
    assert answers["data_victims"] == {"2021": {"women": 3, "total": 3}, "2022": {"men": 7, "total": 7}}  # totals computed
    assert answers["crim_offence"] == "yes" and answers["crim_forms"] == ["sexual"]  # untouched
    revision = db.session.scalars(select(Revision).order_by(Revision.id.desc())).first()
    assert revision.author_id == user.id and revision.imported_from == "ministry.xlsx"
    assert revision.change_count == 5


def test_choices_are_read_by_their_labels_and_empty_cells_never_erase(client, focal, cycle):
    book = download(client, cycle)
    edit(book, crim_offence="Partly", crim_law=None, crim_forms="Forced labour or services; slavery")
    cell(book, "r:data_victims:2021").value = None  # the table's only figure: the table is left out
    preview = upload(client, cycle, ("a.xlsx", as_bytes(book)))
    assert preview.status_code == 200
    assert confirm(client, preview.text).status_code == 302
    answers = _answers()
    assert answers["crim_offence"] == "partly" and answers["crim_law"] == "Act 1"
    assert answers["crim_forms"] == ["forced_labour", "slavery"] and answers["data_victims"] == {"2021": {"women": 3}}


def test_a_workbook_is_read_in_its_own_language_whatever_the_importers(client, focal, cycle, login):
    book = edit(download(client, cycle), crim_offence="Partly", crim_forms="Forced labour or services")
    login(factories.user("focal_point", "FRA", locale="fr"))
    preview = upload(client, cycle, ("a.xlsx", as_bytes(book)))
    assert confirm(client, preview.text).status_code == 302
    assert _answers()["crim_offence"] == "partly" and _answers()["crim_forms"] == ["forced_labour"]


def test_invalid_cells_are_listed_with_the_web_forms_messages_and_left_out(client, focal, cycle):
    book = download(client, cycle)
    edit(book, crim_max_penalty=500, crim_offence="Perhaps", crim_law="Act 3")
    cell(book, "r:data_victims:2021").value = "many"
    preview = upload(client, cycle, ("a.xlsx", as_bytes(book)))
    text = html.unescape(preview.text)
    assert "Enter a number of at most 100." in text
    assert "Choose one of the options shown." in text
    assert "2021, Women: enter a whole number of 0 or more, not “many”." in text
    confirm(client, preview.text)
    answers = _answers()
    assert answers["crim_law"] == "Act 3" and answers["crim_max_penalty"] == 5 and answers["crim_offence"] == "yes"


def test_several_workbooks_one_per_ministry_make_one_revision(client, focal, cycle):
    first, second = download(client, cycle), download(client, cycle)
    edit(first, crim_law="Act of Justice")
    edit(second, prot_description="Shelters run by the Ministry of Social Affairs")
    preview = upload(client, cycle, ("justice.xlsx", as_bytes(first)), ("social.xlsx", as_bytes(second)))
    assert confirm(client, preview.text).status_code == 302
    answers = _answers()
    assert answers["crim_law"] == "Act of Justice"
    assert answers["prot_description"] == "Shelters run by the Ministry of Social Affairs"
    revision = db.session.scalars(select(Revision).order_by(Revision.id.desc())).first()
    assert revision.imported_from == "justice.xlsx, social.xlsx"
    history = client.get(overview_url(cycle) + "history").text
    assert "Imported from justice.xlsx, social.xlsx." in html.unescape(history)


def test_a_preview_writes_nothing(client, focal, cycle):
    book = edit(download(client, cycle), crim_law="Act 9")
    assert upload(client, cycle, ("a.xlsx", as_bytes(book))).status_code == 200
    assert _answers()["crim_law"] == "Act 1"


def test_a_workbook_of_another_state_is_refused(client, app, cycle, login):
    factories.response("DEU", cycle, {"crim_law": "Gesetz"})
    login(factories.user("focal_point", "DEU"))
    german = as_bytes(edit(download(client, cycle, state="DEU"), crim_law="Gesetz 2"))
    factories.response("FRA", cycle, {"crim_law": "Act 1"})
    login(factories.user("focal_point", "FRA"))
    refused = upload(client, cycle, ("deutschland.xlsx", german))
    assert refused.status_code == 422
    assert refusals(html.unescape(refused.text)) == ["deutschland.xlsx is the workbook of Germany, not of France."]
    assert _answers()["crim_law"] == "Act 1"


def test_a_workbook_of_another_cycle_is_refused(client, focal, cycle):
    book = as_bytes(download(client, cycle))
    other = factories.cycle("2028")
    refused = upload(client, other, ("a.xlsx", book))
    assert refused.status_code == 422
    assert refusals(html.unescape(refused.text)) == ["a.xlsx belongs to another reporting cycle, not to 2028."]


def test_a_renamed_sheet_is_refused(client, focal, cycle):
    book = download(client, cycle)
    book.worksheets[1].title = "Justice"
    refused = upload(client, cycle, ("a.xlsx", as_bytes(book)))
    assert refused.status_code == 422
    [message] = refusals(html.unescape(refused.text))
    assert message.startswith("a.xlsx has no sheet named “2. ") and "must not be renamed" in message


def test_a_moved_id_is_refused(client, focal, cycle):
    book = download(client, cycle)
    sheet, row = row_of(book, "q:crim_law")
    sheet.cell(row, 1).value, sheet.cell(row + 2, 1).value = sheet.cell(row + 2, 1).value, "q:crim_law"
    refused = upload(client, cycle, ("a.xlsx", as_bytes(book)))
    [message] = refusals(html.unescape(refused.text))
    assert "were moved, added or deleted" in message and sheet.title in message


def test_a_tampered_stamp_and_a_foreign_file_are_refused(client, focal, cycle):
    book = download(client, cycle)
    stamp = book["_stamp"]
    stamp["B2"].value = stamp["B2"].value.replace('"FRA"', '"DEU"')
    messages = refusals(html.unescape(upload(client, cycle, ("a.xlsx", as_bytes(book)),
                                             ("notes.xlsx", b"not a workbook")).text))
    assert messages == ["a.xlsx has been altered: its hidden identification does not match its signature.",
                        "notes.xlsx is not an Excel workbook (.xlsx) or it is damaged."]


def test_a_workbook_downloaded_before_a_web_edit_raises_a_conflict(client, focal, cycle, app):
    book = download(client, cycle)
    colleague = factories.user("contributor", "FRA", name="Bruno Contributor")
    response = db.session.scalar(select(Response).filter_by(state_code="FRA"))
    ops.save_answers(response, colleague, {"crim_law": "Act of Bruno", "crim_max_penalty": 8})
    db.session.commit()
    edit(book, crim_law="Act of the ministry", prot_description="New text")
    preview = upload(client, cycle, ("a.xlsx", as_bytes(book)))
    text = html.unescape(preview.text)
    assert "changed on the platform by <bdi>Bruno Contributor</bdi>" in text
    assert 'name="resolve_crim_law"' in text and 'name="resolve_crim_max_penalty"' not in text  # kept silently
    unsettled = confirm(client, preview.text)
    assert unsettled.status_code == 409 and _answers()["crim_law"] == "Act of Bruno"
    assert confirm(client, unsettled.text, resolve_crim_law="mine").status_code == 302
    answers = _answers()
    assert answers["crim_law"] == "Act of the ministry" and answers["crim_max_penalty"] == 8
    assert answers["prot_description"] == "New text"


def test_a_conflict_settled_for_their_answer_keeps_it(client, focal, cycle):
    book = download(client, cycle)
    response = db.session.scalar(select(Response).filter_by(state_code="FRA"))
    ops.save_answers(response, factories.user("contributor", "FRA"), {"crim_law": "Act of Bruno"})
    db.session.commit()
    preview = upload(client, cycle, ("a.xlsx", as_bytes(edit(book, crim_law="Act of the ministry"))))
    assert confirm(client, preview.text, resolve_crim_law="theirs").status_code == 302
    assert _answers()["crim_law"] == "Act of Bruno"


def test_reviewers_download_but_cannot_import(client, focal, cycle, login):
    login(factories.user("secretariat"))
    assert client.get(overview_url(cycle) + "workbook.xlsx").status_code == 200
    assert client.get(overview_url(cycle) + "workbook/import").status_code == 403


def test_another_states_user_gets_a_404(client, focal, cycle, login):
    login(factories.user("focal_point", "DEU"))
    for path in ("workbook.xlsx", "answers.csv", "workbook/import"):
        assert client.get(overview_url(cycle) + path).status_code == 404


def test_the_own_copy_as_csv(client, focal, cycle):
    text = client.get(overview_url(cycle) + "answers.csv").data.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == "Number,Question id,Question,Table row,Table column,Answer"
    assert any(line.startswith("2.2,crim_law,") and line.endswith(",,,Act 1") for line in lines)
    assert any(",data_victims," in line and line.endswith(",2021,women,3") for line in lines)


@pytest.mark.parametrize("language", LANGUAGES[1:])
def test_the_pages_and_messages_read_in_each_language(client, cycle, login, language):
    factories.response("FRA", cycle, {"crim_offence": "yes", "crim_law": "Act 1", "crim_max_penalty": 5})
    login(factories.user("focal_point", "FRA", locale=language))
    check_page(client.get(overview_url(cycle)), language)
    check_page(client.get(overview_url(cycle) + "workbook/import"), language)
    book = download(client, cycle)
    response = db.session.scalar(select(Response).filter_by(state_code="FRA"))
    ops.save_answers(response, factories.user("contributor", "FRA", name="Bruno"), {"crim_law": "Act 7"})
    db.session.commit()
    preview = upload(client, cycle, ("a.xlsx", as_bytes(edit(book, crim_law="Act 8", crim_max_penalty=500))))
    check_page(preview, language)
    check_page(confirm(client, preview.text), language, status=409)
    book.worksheets[0].title = "X"
    check_page(upload(client, cycle, ("a.xlsx", as_bytes(book))), language, status=422)


def test_the_upload_and_the_confirm_need_csrf_tokens(csrf_client, cycle):
    factories.response("FRA", cycle, {"crim_law": "Act 1"})
    focal = factories.user("focal_point", "FRA")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', csrf_client.get("/login").text)[1]
    csrf_client.post("/login", data={"email": focal.email, "password": factories.PASSWORD, "csrf_token": token})
    csrf_client.post("/login/two-factor", data={"code": factories.totp_code(focal), "csrf_token": token})
    book = as_bytes(edit(download(csrf_client, cycle), crim_law="Act 2"))
    assert upload(csrf_client, cycle, ("a.xlsx", book)).status_code == 400
    page = csrf_client.get(overview_url(cycle) + "workbook/import").text
    fresh = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)[1]
    preview = csrf_client.post(overview_url(cycle) + "workbook/import", content_type="multipart/form-data",
                               data={"csrf_token": fresh, "files": [(io.BytesIO(book), "a.xlsx")]})
    assert preview.status_code == 200
    without = {"plan": re.search(r'name="plan"[^>]*value="([^"]+)"', preview.text)[1]}
    assert csrf_client.post(overview_url(cycle) + "workbook/import/confirm", data=without).status_code == 400
    assert _answers()["crim_law"] == "Act 1"
    assert confirm(csrf_client, preview.text).status_code == 302
    assert _answers()["crim_law"] == "Act 2"


def test_law_lists_round_trip_and_keep_their_uploaded_texts(client, focal, cycle):
    law = {"title": "Penal Code", "article": "art. 225-4-1", "adopted": "2013-08-05", "status": "in_force",
           "url": None, "attachment": None}
    response = db.session.scalar(select(Response).filter_by(state_code="FRA"))
    ops.save_answers(response, focal, {"crim_laws": [law]})
    db.session.commit()
    book = download(client, cycle)
    assert cell(book, "r:crim_laws:1").value == "Penal Code"
    assert cell(book, "r:crim_laws:1", offset=3).value == "In force"
    new_law = ["Act 2019-12", None, date(2019, 6, 30), "Draft or bill", "https://example.org/act"]
    for offset, value in enumerate(new_law):
        cell(book, "r:crim_laws:2", offset=offset).value = value
    preview = upload(client, cycle, ("laws.xlsx", as_bytes(book)))
    assert confirm(client, preview.text).status_code == 302
    assert _answers()["crim_laws"] == [law, {"title": "Act 2019-12", "article": None, "adopted": "2019-06-30",
                                             "status": "draft", "url": "https://example.org/act", "attachment": None}]


def test_a_state_without_a_response_starts_it_by_importing(client, cycle, login):
    login(factories.user("focal_point", "FRA"))
    book = edit(download(client, cycle), crim_offence="Yes", crim_law="Act 1")
    preview = upload(client, cycle, ("a.xlsx", as_bytes(book)))
    assert confirm(client, preview.text).status_code == 302
    assert _answers() == {"crim_offence": "yes", "crim_law": "Act 1"}
    assert db.session.scalar(select(Revision.imported_from)) == "a.xlsx"


def test_a_submitted_response_takes_no_import(client, focal, cycle):
    book = as_bytes(edit(download(client, cycle), crim_law="Act 2"))
    preview = upload(client, cycle, ("a.xlsx", book))
    response = db.session.scalar(select(Response).filter_by(state_code="FRA"))
    ops.change_status(response, Action.SUBMIT, focal)
    db.session.commit()
    refused = confirm(client, preview.text)
    assert refused.status_code == 302 and refused.location.endswith(overview_url(cycle))
    assert _answers()["crim_law"] == "Act 1"
    page = client.get(overview_url(cycle) + "workbook/import", follow_redirects=True).text
    assert "This response cannot be changed in its current status." in html.unescape(page)


def test_the_preview_reads_the_database_a_fixed_number_of_times(client, focal, cycle):
    few, many = download(client, cycle), download(client, cycle)
    edit(few, crim_law="Act 2")
    edit(many, crim_law="Act 2", crim_max_penalty=9, prot_description="Text", prot_budget=12, data_body="Office")
    cell(many, "r:data_victims:2024").value = 5
    counts = []
    for book in (few, many):
        with count_queries() as statements:
            assert upload(client, cycle, ("a.xlsx", as_bytes(book))).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_other_spreadsheets_zip_bombs_and_broken_xml_are_refused(client, focal, cycle):
    from openpyxl import Workbook

    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"\0" * (101 * 1024 * 1024))
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(as_bytes(download(client, cycle)))) as source, \
            zipfile.ZipFile(broken, "w") as copy:
        for item in source.infolist():
            copy.writestr(item, b"<not xml" if item.filename == "xl/workbook.xml" else source.read(item))
    refused = upload(client, cycle, ("budget.xlsx", as_bytes(Workbook())), ("bomb.xlsx", bomb.getvalue()),
                     ("broken.xlsx", broken.getvalue()))
    assert refused.status_code == 422
    assert refusals(html.unescape(refused.text)) == [
        "budget.xlsx is not a workbook downloaded from this platform.", "bomb.xlsx is larger than 10 MB.",
        "broken.xlsx is not an Excel workbook (.xlsx) or it is damaged."]


def test_two_workbooks_that_disagree_keep_the_first_and_say_so(client, focal, cycle):
    first = as_bytes(edit(download(client, cycle), crim_law="Act of Justice"))
    second = as_bytes(edit(download(client, cycle), crim_law="Act of Interior"))
    preview = upload(client, cycle, ("justice.xlsx", first), ("interior.xlsx", second))
    assert "This answer differs from the one in justice.xlsx, which is kept." in html.unescape(preview.text)
    assert confirm(client, preview.text).status_code == 302
    assert _answers()["crim_law"] == "Act of Justice"


def test_an_answer_changed_between_the_preview_and_the_confirm_is_a_conflict_too(client, focal, cycle):
    preview = upload(client, cycle, ("a.xlsx", as_bytes(edit(download(client, cycle), crim_law="Act 2",
                                                             prot_description="Text"))))
    assert 'name="resolve_crim_law"' not in preview.text
    response = db.session.scalar(select(Response).filter_by(state_code="FRA"))
    ops.save_answers(response, factories.user("contributor", "FRA"), {"crim_law": "Act of Bruno"})
    db.session.commit()
    again = confirm(client, preview.text)
    assert again.status_code == 409 and 'name="resolve_crim_law"' in again.text
    assert "prot_description" not in _answers()  # nothing saved until every conflict is settled
    assert confirm(client, again.text, resolve_crim_law="theirs").status_code == 302
    assert _answers()["crim_law"] == "Act of Bruno" and _answers()["prot_description"] == "Text"


def test_the_workbook_numbers_questions_explains_follow_ups_and_notes_provisions(client, focal, cycle):
    book = download(client, cycle)
    sheet, row = row_of(book, "q:crim_law")
    assert sheet.cell(row, 2).value == "2.2"
    assert sheet.cell(row, 3).value == "Which law and article establish the offence?"
    hint = sheet.cell(row_of(book, "h:crim_law")[1], 3).value
    assert hint.startswith("Only if the answer to 2.1 is Yes / Partly.")
    noted = [sheet.cell(r, 3).comment for r in range(1, sheet.max_row + 1) if sheet.cell(r, 3).comment]
    assert noted and all("Protocol" in comment.text or "000" in comment.text for comment in noted)
    assert sheet.protection.sheet and book.security.lockStructure
    assert sheet.column_dimensions["A"].hidden and book["_stamp"].sheet_state == "veryHidden"
    assert not cell(book, "q:crim_law").protection.locked and sheet.cell(row, 3).protection.locked
    choices = [v for v in sheet.data_validations.dataValidation if cell(book, "q:crim_offence").coordinate in v.sqref]
    assert [v.type for v in choices] == ["list"]


def test_a_workbook_whose_compressed_bytes_are_damaged_is_refused(client, focal, cycle):
    data = bytearray(as_bytes(download(client, cycle)))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        sheet = max(archive.infolist(), key=lambda item: item.compress_size)
    start = sheet.header_offset + 30 + len(sheet.filename.encode()) + len(sheet.extra)
    for offset in range(start + 20, start + sheet.compress_size - 20, 7):
        data[offset] ^= 0x5A  # inside the deflated bytes: zlib gives up, or the CRC no longer matches
    refused = upload(client, cycle, ("damaged.xlsx", bytes(data)))
    assert refused.status_code == 422
    assert refusals(html.unescape(refused.text)) == ["damaged.xlsx is not an Excel workbook (.xlsx) or it is damaged."]
