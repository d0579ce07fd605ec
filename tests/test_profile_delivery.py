"""Getting profiles out: the cache, the bulk build on the command line, the secretariat's ZIP
and the printable blank questionnaire."""
import io
import time
import zipfile

from app.reports import bulk, cache, operations
from tests import factories
from tests.conftest import count_queries
from tests.helpers import overview_url, pdf_fonts, pdf_text, section_url


def test_a_profile_is_rendered_once_per_revision_language_and_template(client, login, cycle, monkeypatch):
    login(factories.user("focal_point", "FRA"))
    client.post(section_url(cycle, "data"), data={"q_data_body": "INSEE"})
    renders, render = [], operations.render_profile_pdf
    monkeypatch.setattr(operations, "render_profile_pdf",
                        lambda data: renders.append((data["locale"], data["revision"])) or render(data))
    url = overview_url(cycle) + "profile.pdf?lang="
    first = client.get(url + "en").data
    with count_queries() as queries:
        again = client.get(url + "en")
    assert again.data == first and again.mimetype == "application/pdf"
    # the user, the response, its revision, the cached PDF, and the user again once the request
    # commits (the session timers): a constant, whatever the size of the profile
    assert len(queries) <= 6, queries
    client.get(url + "fr")
    client.post(section_url(cycle, "data"), data={"q_data_body": "INSEE, Paris"})
    assert "INSEE, Paris" in pdf_text(client.get(url + "en").data)
    monkeypatch.setattr(cache, "template_version", lambda locale: "a new template")
    client.get(url + "en")
    client.get(url + "en")
    assert renders == [("en", 1), ("fr", 1), ("en", 2), ("en", 2)]


def test_build_all_profiles_in_every_language_in_worker_processes(runner, cycle, tmp_path):
    factories.response("FRA", cycle, {"data_body": "INSEE"}, "submitted")
    factories.response("KEN", cycle, {"data_body": "KNBS"})
    out = tmp_path / "profiles"
    result = runner.invoke(args=["reports", "build", "--all", "--lang", "all", "--out", str(out), "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert "12 profile(s) built" in result.output and "0 failed" in result.output
    names = sorted(path.name for path in out.glob("*.pdf"))
    assert len(names) == 12 and "profile-FRA-2026-r2-zh.pdf" in names and "profile-KEN-2026-r1-ar.pdf" in names
    assert "Noto-Sans-CJK-SC" in pdf_fonts((out / "profile-FRA-2026-r2-zh.pdf").read_bytes())


def test_a_failing_or_slow_document_is_reported_and_the_others_built(runner, cycle, tmp_path, monkeypatch):
    for state in ("DEU", "FRA", "KEN"):
        factories.response(state, cycle, {"data_body": "office"})

    def render(response, locale, number=None, public=False):
        if response.state_code == "DEU":
            raise RuntimeError("no font for this script")
        if response.state_code == "KEN":
            time.sleep(30)
        return b"%PDF-1.7 profile", 1

    monkeypatch.setattr(bulk, "profile_pdf", render)
    out = tmp_path / "profiles"
    result = runner.invoke(args=["reports", "build", "--all", "--lang", "en", "--out", str(out),
                                 "--workers", "2", "--time-limit", "0.5"])
    assert result.exit_code == 1
    assert "FAILED DEU en: RuntimeError: no font for this script" in result.output
    assert "FAILED KEN en: took longer than 0.5 s" in result.output
    assert "1 profile(s) built" in result.output and "2 failed" in result.output
    assert [path.name for path in out.glob("*.pdf")] == ["profile-FRA-2026-r1-en.pdf"]


def test_the_secretariat_downloads_a_cycles_profiles_as_one_zip(client, login, cycle):
    factories.response("FRA", cycle, {"data_body": "INSEE"}, "accepted")
    factories.response("DEU", cycle, {"data_body": "Destatis"})
    login(factories.user("secretariat"))
    response = client.get(f"/cycles/{cycle.id}/profiles-en.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip" and response.is_streamed
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert archive.namelist() == ["profile-DEU-2026-r1-en.pdf", "profile-FRA-2026-r3-en.pdf"]
    assert "Destatis" in pdf_text(archive.read("profile-DEU-2026-r1-en.pdf"))
    assert client.get(f"/cycles/{cycle.id}/profiles-xx.zip").status_code == 404
    assert client.get(f"/cycles/{cycle.id + 1}/profiles-en.zip").status_code == 404


def test_a_printable_blank_questionnaire_for_drafting_offline(client, cycle):
    response = client.get(f"/cycles/{cycle.id}/questionnaire.pdf?lang=fr")  # no login needed
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = " ".join(pdf_text(response.data).split())
    # Every question, including those that only apply under a condition, explained in words.
    assert "En quelle année votre État a-t-il ratifié le Protocole ou y a-t-il adhéré ?" in text
    assert "Ne répondez que si vous avez répondu « Ratifié » ou « Adhésion » à la question 1.1." in text
    assert "Ne répondez que si vous avez répondu « Oui » ou « En partie » à la question 2.1." in text
    # Choices as words to tick, and the grid of a table with its row and column labels.
    assert "Signé mais non ratifié" in text and "Cochez toutes les réponses applicables." in text
    assert "Femmes Hommes Filles Garçons" in text and "2021" in text and "2025" in text
    arabic = client.get(f"/cycles/{cycle.id}/questionnaire.pdf?lang=ar").data
    assert "Noto-Naskh-Arabic" in pdf_fonts(arabic)
    assert client.get(f"/cycles/{cycle.id}/questionnaire.pdf?lang=xx").status_code == 404


def test_arabic_and_chinese_are_never_slanted(client, cycle):
    """Arabic and Chinese have no italics: conditions and "No answer" stay upright, where Latin
    text is in italics (a slanted Naskh or CJK face is only a machine-made oblique)."""
    for language, face in (("ar", "Noto-Naskh-Arabic"), ("zh", "Noto-Sans-CJK-SC")):
        fonts = pdf_fonts(client.get(f"/cycles/{cycle.id}/questionnaire.pdf?lang={language}").data)
        assert face in fonts and f"{face}-Oblique" not in fonts and f"{face}-Italic" not in fonts, fonts
