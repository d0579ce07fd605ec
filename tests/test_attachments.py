"""Uploaded texts of laws: checked by content, stored by hash outside static/, served as
downloads only to those who may read the State's response."""
import hashlib
import io
import zipfile
from pathlib import Path

import pytest

from app.attachments.filetypes import DOCX, JPEG, ODT, PDF, PNG, TEXT, clean_filename, sniff
from app.attachments.models import Attachment
from app.extensions import db
from app.responses.models import Response
from app.responses.operations import answers_at
from tests import factories
from tests.helpers import field_errors, plain_spaces, section_url

PDF_BYTES = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _upload(client, cycle, content: bytes, name: str, **extra):
    return client.post(section_url(cycle, "criminalization"), content_type="multipart/form-data", data={
        "q_crim_offence": "yes", "q_crim_law": "Penal Code", "q_crim_laws-0-title": "Code pénal",
        "q_crim_laws-0-file": (io.BytesIO(content), name), **extra})


def _laws():
    return answers_at(db.session.scalar(db.select(Response.id))).get("crim_laws")


@pytest.fixture
def focal(client, login, cycle):
    return login(factories.user("focal_point", "FRA"))


@pytest.mark.parametrize("content,expected", [
    (PDF_BYTES, PDF),
    (_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}), DOCX),
    (_zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"}), ODT),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", PNG),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", JPEG),
    ("Article 1. La traite des personnes est punie.\nالمادة 1\n第一条\n".encode("utf-8"), TEXT),
    ("Статья 1".encode("utf-16"), TEXT),
    (b"MZ\x90\x00\x03\x00\x00\x00", None),  # a Windows program
    (_zip({"xl/workbook.xml": b"<workbook/>", "[Content_Types].xml": b"<Types/>"}), None),  # a spreadsheet
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", None),  # a legacy .doc
    (b"plain\x00with a NUL", None),
    (b"", None),
])
def test_types_are_recognised_by_content(content, expected):
    assert sniff(content) == expected


@pytest.mark.parametrize("raw,file_type,expected", [
    ("Code pénal.pdf", PDF, "Code pénal.pdf"),
    ("C:\\Users\\me\\loi.PDF", PDF, "loi.pdf"),
    ("../../etc/passwd", TEXT, "passwd.txt"),
    ("law\u202eexe.pdf", PDF, "lawexe.pdf"),  # a right-to-left override that would disguise the name
    ("report.html", PDF, "report.html.pdf"),  # the extension follows the content, not the name
    ('a<b>:"c".docx', DOCX, "a_b___c_.docx"),
    ("قانون مكافحة الاتجار.pdf", PDF, "قانون مكافحة الاتجار.pdf"),
    ("  ...  ", PNG, "document.png"),
])
def test_file_names_are_cleaned_for_display_and_download(raw, file_type, expected):
    assert clean_filename(raw, file_type) == expected


def test_an_uploaded_text_is_stored_by_hash_outside_static_and_linked_to_its_law(client, focal, app, cycle):
    response = _upload(client, cycle, PDF_BYTES, "Code pénal (version consolidée).pdf")
    assert response.status_code == 302
    attachment = db.session.scalar(db.select(Attachment))
    assert _laws()[0]["attachment"] == attachment.id
    digest = hashlib.sha256(PDF_BYTES).hexdigest()
    stored = Path(app.config["UPLOAD_DIR"]) / digest[:2] / digest
    assert stored.read_bytes() == PDF_BYTES and attachment.sha256 == digest
    assert not str(stored).startswith(app.static_folder)
    page = client.get(section_url(cycle, "criminalization")).text
    assert "Code pénal (version consolidée).pdf" in page
    # Saving again keeps the text; identical content is stored once.
    _upload(client, cycle, PDF_BYTES, "copy.pdf")
    assert len(list(stored.parent.iterdir())) == 1


def test_the_download_is_an_attachment_with_nosniff(client, focal, cycle):
    _upload(client, cycle, PDF_BYTES, "Code pénal.pdf")
    attachment_id = _laws()[0]["attachment"]
    download = client.get(f"/attachments/{attachment_id}")
    assert download.status_code == 200 and download.data == PDF_BYTES
    assert download.mimetype == "application/pdf"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=UTF-8''Code%20p%C3%A9nal.pdf" in disposition


@pytest.mark.parametrize("role,state,status", [
    ("focal_point", "FRA", 200), ("contributor", "FRA", 200), ("secretariat", None, 200), ("admin", None, 200),
    ("focal_point", "DEU", 404), ("contributor", "DEU", 404),
])
def test_only_those_who_may_read_the_response_get_the_file(client, focal, login, cycle, role, state, status):
    _upload(client, cycle, PDF_BYTES, "Code pénal.pdf")
    attachment_id = _laws()[0]["attachment"]
    login(factories.user(role, state))
    response = client.get(f"/attachments/{attachment_id}")
    assert response.status_code == status
    assert (PDF_BYTES in response.data) == (status == 200)


def test_anonymous_visitors_are_sent_to_log_in(client, focal, cycle):
    _upload(client, cycle, PDF_BYTES, "Code pénal.pdf")
    client.post("/logout")
    response = client.get(f"/attachments/{_laws()[0]['attachment']}")
    assert response.status_code == 302 and "/login" in response.location


def test_a_refused_file_loses_no_answer(client, focal, cycle):
    response = _upload(client, cycle, b"MZ\x90\x00 a program", "loi.pdf")
    assert response.status_code == 422
    assert field_errors(response.text) == [
        "Law 1: The file loi.pdf was not uploaded: upload a PDF, Word (DOCX), OpenDocument (ODT), plain text "
        "or image (PNG, JPEG, GIF, WebP, TIFF) file."]
    assert _laws() == [{"title": "Code pénal", "article": None, "adopted": None, "status": None, "url": None,
                        "attachment": None}]
    assert answers_at(db.session.scalar(db.select(Response.id)))["crim_law"] == "Penal Code"
    assert db.session.scalar(db.select(db.func.count()).select_from(Attachment)) == 0


def test_a_file_over_the_limit_is_refused_beside_its_law(client, focal, app, cycle, monkeypatch):
    monkeypatch.setitem(app.config, "ATTACHMENT_MAX_BYTES", 1024)
    response = _upload(client, cycle, PDF_BYTES + b" " * 2000, "big.pdf")
    assert response.status_code == 422
    assert [plain_spaces(e) for e in field_errors(response.text)] == [
        "Law 1: The file big.pdf is larger than 1 kB and was not uploaded."]
    assert _laws()[0]["title"] == "Code pénal"


def test_a_request_over_the_limit_gets_a_translated_413_page(client, login, app, cycle, monkeypatch):
    user = factories.user("focal_point", "FRA")
    user.locale = "fr"
    db.session.commit()
    login(user)
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 4096)
    response = _upload(client, cycle, PDF_BYTES + b" " * 8000, "big.pdf")
    assert response.status_code == 413
    assert "Fichier trop volumineux" in response.text
    assert "Rien n'a été enregistré sur cette page." in response.text.replace("&#39;", "'")
    assert "10 Mo" in plain_spaces(response.text)  # the limit of one file, in the user's language


def test_removing_the_uploaded_text_keeps_the_law(client, focal, cycle):
    _upload(client, cycle, PDF_BYTES, "Code pénal.pdf")
    attachment_id = _laws()[0]["attachment"]
    client.post(section_url(cycle, "criminalization"), data={
        "q_crim_offence": "yes", "q_crim_laws-0-title": "Code pénal",
        "q_crim_laws-0-attachment": str(attachment_id), "q_crim_laws-0-detach": "1"})
    assert _laws()[0]["attachment"] is None
    # The earlier revision still links to the file, which stays available.
    assert client.get(f"/attachments/{attachment_id}").status_code == 200


def test_a_long_form_without_files_is_not_taken_for_a_large_upload(client, focal, cycle):
    """Sections with a law list are sent as multipart forms, whose text fields Werkzeug limits."""
    response = client.post(section_url(cycle, "protection"), content_type="multipart/form-data",
                           data={"q_prot_description": "x" * 600_000})
    assert response.status_code == 422
    assert field_errors(response.text) == ["Use at most 20000 characters (you used 600000)."]


DOCX_PARTS = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}
ODT_PARTS = {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office:document-content/>"}
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
MACROS = "contains macros or ActiveX controls"


def _bomb(expanded: int) -> bytes:
    """A DOCX whose one part of zeros expands to ``expanded`` bytes (about a thousandth compressed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in DOCX_PARTS.items():
            archive.writestr(name, content)
        with archive.open("word/media/image1.bin", "w", force_zip64=True) as part:
            zeros = bytes(1024 * 1024)
            for _ in range(expanded // len(zeros)):
                part.write(zeros)
    return buffer.getvalue()


@pytest.mark.parametrize("content,name,complaint", [
    (_zip({**DOCX_PARTS, "word/vbaProject.bin": b"\xd0\xcf\x11\xe0 VBA"}), "loi.docx", MACROS),
    (_zip({**DOCX_PARTS, "[Content_Types].xml": b'<Types><Override ContentType="application/vnd.ms-word.document'
                                                b'.macroEnabled.main+xml"/></Types>'}), "loi.docx", MACROS),
    (_zip({**DOCX_PARTS, "word/activeX/activeX1.xml": b"<ax:ocx/>"}), "loi.docx", MACROS),
    (_zip({**DOCX_PARTS, "word/_rels/settings.xml.rels": b'<Relationship Type="http://schemas.openxmlformats.org/'
                                                         b'officeDocument/2006/relationships/attachedTemplate" Target='
                                                         b'"https://evil.example/t.dotm" TargetMode="External"/>'}),
     "loi.docx", MACROS),
    (_zip({**ODT_PARTS, "Basic/Standard/Module1.xml": b"<script:module/>"}), "loi.odt", MACROS),
    (_zip({**ODT_PARTS, "content.xml": b'<script:event-listener xlink:href="vnd.sun.star.script:Standard.M.Run"/>'}),
     "loi.odt", MACROS),
    (EICAR, "eicar.txt", "signature of a malware test file"),
    (_zip({**DOCX_PARTS, "word/media/eicar.txt": EICAR}), "loi.docx", "signature of a malware test file"),
])
def test_macros_activex_and_the_eicar_string_are_refused(client, focal, cycle, content, name, complaint):
    response = _upload(client, cycle, content, name)
    assert response.status_code == 422 and any(complaint in error for error in field_errors(response.text))
    assert _laws()[0]["title"] == "Code pénal"  # the answers are saved all the same
    assert db.session.scalar(db.select(db.func.count()).select_from(Attachment)) == 0


def test_a_small_docx_that_expands_to_200_mb_is_refused(client, focal, cycle):
    bomb = _bomb(200 * 1024 * 1024)
    assert len(bomb) < 250 * 1024
    response = _upload(client, cycle, bomb, "loi.docx")
    assert response.status_code == 422 and any("expands to far more" in e for e in field_errors(response.text))
    assert db.session.scalar(db.select(db.func.count()).select_from(Attachment)) == 0


def test_an_ordinary_docx_with_a_picture_is_kept(client, focal, cycle):
    picture = bytes(range(256)) * 40  # barely compressible, like a real image
    response = _upload(client, cycle, _zip({**DOCX_PARTS, "word/media/image1.png": picture,
                                            "word/styles.xml": b"<w:styles/>" * 500}), "loi.docx")
    assert response.status_code == 302
    assert db.session.scalar(db.select(Attachment.media_type)) == DOCX.media_type
