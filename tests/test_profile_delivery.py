"""Getting profiles out: the cache, the bulk build on the command line, the secretariat's ZIP
and the printable blank questionnaire."""
import io
import re
import time
import zipfile

from app.reports import bulk, cache, operations
from tests import factories
from tests.conftest import count_queries
from tests.helpers import job_file, made_by_job, overview_url, pdf_fonts, pdf_text, section_url


def _writes(statements: list[str]) -> list[str]:
    return [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


def test_a_profile_is_rendered_once_per_revision_language_and_template(client, login, cycle, monkeypatch, tmp_path):
    renders_file = tmp_path / "renders"
    renders_file.touch()

    def note(data):  # renders run in a child process: they are noted in a file
        with open(renders_file, "a") as noted:
            noted.write(f"{data['locale']} {data['revision']}\n")

    login(factories.user("focal_point", "FRA"))
    client.post(section_url(cycle, "data"), data={"q_data_body": "INSEE"})
    render = operations.render_profile_pdf
    monkeypatch.setattr(operations, "render_profile_pdf", lambda data: note(data) or render(data))
    url = overview_url(cycle) + "profile.pdf?lang="
    with count_queries() as queries:
        page = client.get(url + "en")  # a GET only reads: the page offers to prepare the profile
    assert page.status_code == 200 and "Prepare the profile" in page.text and not _writes(queries)
    first = made_by_job(client, url + "en").data
    with count_queries() as queries:
        again = client.get(url + "en")
    assert again.data == first and again.mimetype == "application/pdf"
    # the user, the response, its revision, the cached PDF, and the user again once the request
    # commits (the session timers): a constant, whatever the size of the profile
    assert len(queries) <= 6, queries
    made_by_job(client, url + "fr")
    client.post(section_url(cycle, "data"), data={"q_data_body": "INSEE, Paris"})
    assert "INSEE, Paris" in pdf_text(made_by_job(client, url + "en").data)
    # Alternating two revisions renders each once, then reads both from the cache (issue #14).
    for _ in range(2):
        for number in (1, 2):
            assert made_by_job(client, f"{url}en&revision={number}").mimetype == "application/pdf"
    monkeypatch.setattr(cache, "template_version", lambda locale: "a new template")
    made_by_job(client, url + "en")
    made_by_job(client, url + "en")
    assert renders_file.read_text().split("\n")[:-1] == ["en 1", "fr 1", "en 2", "en 2"]


def test_everything_that_shapes_a_profile_is_in_its_template_version(app, monkeypatch, tmp_path):
    """Any module of the app (the schema, texts, language rules...), template, stylesheet or
    compiled catalog, and the rendering libraries (issue #12); or a release's own name."""
    files = {path.relative_to(cache.APP_DIR).as_posix() for path in cache._source_files(
        app.static_folder, app.config["BABEL_TRANSLATION_DIRECTORIES"], "fr") if path.is_relative_to(cache.APP_DIR)}
    assert {"questionnaires/schema.py", "questionnaires/texts.py", "i18n.py", "reports/operations.py",
            "reports/templates/reports/profile.html", "reports/glance.py", "reports/key_facts.py", "reports/source.py",
            "reports/templates/reports/_glance.html"} <= files
    others = [path.name for path in cache._source_files(app.static_folder, app.config["BABEL_TRANSLATION_DIRECTORIES"],
                                                        "fr") if not path.is_relative_to(cache.APP_DIR)]
    assert "profile.css" in others and "messages.mo" in others
    assert "weasyprint=" in cache._library_versions() and "pydyf=" in cache._library_versions()
    with app.app_context():
        version = cache.template_version("fr")
        monkeypatch.setitem(app.config, "RELEASE_ID", "2027.1")
        assert cache.template_version("fr") != version
        assert cache.template_version("fr") == cache.template_version("fr") != cache.template_version("en")


class HeldJobs:
    """Jobs kept in the queue instead of run at once, until ``run()``."""

    def __init__(self, monkeypatch):
        from app.jobs.inprocess import InProcessBackend

        self.held, self.backend = [], InProcessBackend
        monkeypatch.setattr(InProcessBackend, "submit", lambda backend, name, arguments: self.held.append(
            (backend, name, arguments)))

    def run(self):
        held, self.held = self.held, []
        for backend, name, arguments in held:
            self.backend.run(backend, name, arguments)


def test_one_render_per_document_however_often_asked_and_a_reload_shows_it(client, login, cycle, monkeypatch):
    factories.response("FRA", cycle, {"data_body": "INSEE"}, "submitted")
    login(factories.user("secretariat"))
    held = HeldJobs(monkeypatch)
    url = overview_url(cycle) + "profile.pdf?lang=en"
    for _ in range(3):
        assert client.post(url).status_code == 303
    assert len(held.held) == 1
    page = client.get(url)
    assert "Waiting in the queue." in page.text and 'http-equiv="refresh"' in page.text
    held.run()
    assert client.get(url).mimetype == "application/pdf"


def test_renders_per_user_are_limited(client, login, cycle, monkeypatch):
    factories.response("FRA", cycle, {"data_body": "INSEE"}, "submitted")
    login(factories.user("secretariat"))
    HeldJobs(monkeypatch)
    monkeypatch.setitem(client.application.config, "PROFILE_RENDERS_PER_HOUR", 2)
    url = overview_url(cycle) + "profile.pdf?lang="
    assert [client.post(url + lang).status_code for lang in ("en", "fr", "en", "es")] == [303, 303, 303, 429]
    assert "try again later" in client.post(url + "es").text


def test_a_render_that_takes_too_long_or_too_much_memory_is_stopped_and_named(client, login, cycle, monkeypatch):
    factories.response("FRA", cycle, {"data_body": "INSEE"}, "submitted")
    login(factories.user("secretariat"))
    config = client.application.config
    monkeypatch.setitem(config, "PROFILE_RENDER_SECONDS", 0.5)
    monkeypatch.setattr(operations, "render_profile_pdf", lambda data: time.sleep(30))
    url = overview_url(cycle) + "profile.pdf?lang="
    page = made_by_job(client, url + "en").text
    assert "These could not be made:" in page and "FRA r2 en" in page and "took longer than 0.5 s" in page
    monkeypatch.setitem(config, "PROFILE_RENDER_SECONDS", 60)
    monkeypatch.setitem(config, "PROFILE_RENDER_MB", 300)
    monkeypatch.setattr(operations, "render_profile_pdf", lambda data: bytes(400 * 1024 * 1024))
    page = made_by_job(client, url + "fr").text
    assert "needed more than 300 MB" in page
    assert "Prepare the profile" in page  # and it can be asked for again


def test_a_failing_render_is_tried_again_then_named_with_its_error(client, login, cycle, monkeypatch, tmp_path):
    factories.response("FRA", cycle, {"data_body": "INSEE"}, "submitted")
    login(factories.user("secretariat"))
    tries = tmp_path / "tries"

    def fail(data):
        with open(tries, "a") as noted:
            noted.write("try\n")
        raise RuntimeError("no font for this script")

    monkeypatch.setattr(operations, "render_profile_pdf", fail)
    page = made_by_job(client, overview_url(cycle) + "profile.pdf?lang=en").text
    assert tries.read_text().count("try") == 3  # three tries, with back-off between them in production
    assert "These could not be made:" in page and "no font for this script" in page


def test_the_cache_keeps_within_its_bound_oldest_out_first(client, login, cycle, monkeypatch):
    factories.response("FRA", cycle, {"data_body": "INSEE"}, "submitted")
    login(factories.user("secretariat"))
    monkeypatch.setattr(operations, "render_profile_pdf", lambda data: b"%PDF-" + bytes(600 * 1024))
    monkeypatch.setitem(client.application.config, "PROFILE_CACHE_MB", 1)
    url = overview_url(cycle) + "profile.pdf?lang="
    made_by_job(client, url + "en")
    assert made_by_job(client, url + "fr").mimetype == "application/pdf"
    assert client.get(url + "fr").mimetype == "application/pdf"
    assert "Prepare the profile" in client.get(url + "en").text


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
    assert "Prepare the archive" in client.get(f"/cycles/{cycle.id}/profiles-en.zip").text
    response = job_file(client, f"/cycles/{cycle.id}/profiles-en.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip" and response.is_streamed
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert archive.namelist() == ["profile-DEU-2026-r1-en.pdf", "profile-FRA-2026-r3-en.pdf"]
    assert "Destatis" in pdf_text(archive.read("profile-DEU-2026-r1-en.pdf"))
    assert "2 of 2 done." in client.get(f"/cycles/{cycle.id}/profiles-en.zip").text  # a reload: the same job
    assert client.get(f"/cycles/{cycle.id}/profiles-xx.zip").status_code == 404
    assert client.get(f"/cycles/{cycle.id + 1}/profiles-en.zip").status_code == 404


def test_the_zip_of_every_language_and_one_whose_profiles_left_the_cache(client, login, cycle, monkeypatch):
    factories.response("FRA", cycle, {"data_body": "INSEE"}, "accepted")
    factories.response("DEU", cycle, {"data_body": "Destatis"})
    monkeypatch.setattr(operations, "render_profile_pdf", lambda data: f"%PDF {data['locale']}".encode())
    login(factories.user("secretariat"))
    response = job_file(client, f"/cycles/{cycle.id}/profiles-all.zip")
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert len(archive.namelist()) == 12 and archive.read("profile-FRA-2026-r3-zh.pdf") == b"%PDF zh"
    monkeypatch.setattr(cache, "template_version", lambda locale: "a new template")
    link = re.search(r'href="(/jobs/\d+/file)"', client.get(f"/cycles/{cycle.id}/profiles-all.zip").text).group(1)
    assert client.get(link).status_code == 410  # prepare it again
    login(factories.user("focal_point", "FRA"))
    assert client.get(link).status_code in (403, 404)


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
