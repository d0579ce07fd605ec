"""Country profiles: the platform's time against WeasyPrint alone on the same final HTML, a
150-question profile in English, Chinese and Arabic, how many Arabic words survive pdftotext,
and the bulk build with one worker against two."""
import http.cookiejar
import os
import re
import resource
import statistics
import subprocess
import tempfile
import threading
import time
import unicodedata
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import yaml
from flask import current_app
from weasyprint import HTML
from werkzeug.serving import WSGIRequestHandler, make_server

from app.auth.operations import create_user
from app.cycles.operations import open_cycle
from app.database import write_transaction
from app.extensions import db
from app.questionnaires.loader import load_definition
from app.questionnaires.models import QuestionnaireVersion
from app.questionnaires.operations import store_definition
from app.questionnaires.versions import questionnaire_for
from app.reports.bulk import build_profiles, jobs_for_cycle
from app.reports.models import ProfilePdf
from app.reports.operations import profile_data, profile_pdf
from app.reports.render import PDF_OPTIONS, STATIC_BASE_URL, StaticOnlyFetcher, profile_images, render_profile_html
from app.responses import operations as ops
from app.responses.models import Response
from app.states.models import State
from app.states.operations import sync_member_states
from benchmarks.accounts import current_code, enrolled

LANGUAGES = ("ar", "en", "es", "fr", "ru", "zh")
PASSWORD = "a long enough password"
#: Renders per measured figure.
RUNS = 5
STEMS = {
    "en": "Does your domestic law establish trafficking in persons, as defined in article 3 of the Protocol, "
          "as a criminal offence, and which measures apply",
    "fr": "Votre droit interne confère-t-il le caractère d'infraction pénale à la traite des personnes telle que "
          "définie à l'article 3 du Protocole, et quelles mesures s'appliquent",
    "es": "¿Tipifica su legislación nacional como delito la trata de personas tal como se define en el artículo 3 "
          "del Protocolo, y qué medidas se aplican",
    "ru": "Признаётся ли в вашем внутреннем законодательстве уголовно наказуемым деянием торговля людьми, как она "
          "определена в статье 3 Протокола, и какие меры применяются",
    "zh": "贵国国内法是否将议定书第3条所界定的人口贩运规定为刑事犯罪，适用哪些措施",
    "ar": "هل يجرّم قانونكم الداخلي الاتجار بالأشخاص على النحو المعرّف في المادة 3 من البروتوكول، وما هي التدابير المطبقة",
}
#: What a State writes, in its own language (Egypt in Arabic, China in Chinese, the rest in English).
PROSE = {
    "en": "The national committee coordinates the police, prosecutors, labour inspectors and civil society. "
          "Victims receive shelter, medical care and legal aid irrespective of their nationality or migration "
          "status, and a reflection period of ninety days.",
    "ar": "تنسّق اللجنة الوطنية عمل الشرطة والنيابة العامة ومفتشي العمل والمجتمع المدني. ويحصل الضحايا على المأوى "
          "والرعاية الطبية والمساعدة القانونية بصرف النظر عن جنسيتهم أو وضعهم من حيث الهجرة، وعلى فترة تفكير مدتها تسعون يوماً.",
    "zh": "国家委员会负责协调警察、检察官、劳动监察员和民间社会的工作。被害人不论国籍或移民身份如何，均可获得庇护、医疗和法律援助，并享有九十天的考虑期。",
}
SEX_AGE = [{"id": c, "label": {lang: f"{c} ({lang})" for lang in LANGUAGES}} for c in ("women", "men", "girls", "boys")]
SEX_AGE.append({"id": "total", "label": {lang: f"total ({lang})" for lang in LANGUAGES},
                "total_of": ["women", "men", "girls", "boys"]})
#: The mix of a 150-question profile: nine sections of questions, then the data section's tables.
MIX = {"yes_no_partly": 45, "single_choice": 10, "multiple_choice": 10, "short_text": 25, "long_text": 20,
       "integer": 10, "date": 5, "year": 5, "law_list": 5}
#: Spread evenly: each kind's n-th question sits at n/count of the way through.
KINDS = [kind for _, kind in sorted(((i + 0.5) / count, kind) for kind, count in MIX.items() for i in range(count))]
KINDS += ["number_table"] * 15
OPTIONS = [{"value": f"o{i}", "label": {lang: f"Option {i} ({lang})" for lang in LANGUAGES}} for i in range(5)]


def _texts(n: int) -> dict:
    return {lang: f"{STEMS[lang]} ({n})?" for lang in LANGUAGES}


def _question(n: int) -> dict:
    kind = KINDS[n]
    question = {"id": f"q{n}", "type": kind, "text": _texts(n), "sources": [f"Protocol art. {n % 20}"]}
    if kind in ("single_choice", "multiple_choice"):
        question["options"] = OPTIONS
    if kind == "number_table":
        question.update(rows=[2021, 2022, 2023, 2024, 2025], columns=SEX_AGE)
    return question


def _definition(path: Path, size: int = 150) -> None:
    sections = [{"id": f"s{s}", "title": {lang: f"Section {s} ({lang})" for lang in LANGUAGES},
                 "intro": {lang: STEMS[lang] + "." for lang in LANGUAGES},
                 "questions": [_question(n) for n in range(s * 15, s * 15 + 15)]} for s in range(size // 15)]
    documents = {"Protocol": {"name": {lang: f"Protocol ({lang})" for lang in LANGUAGES}, "title": _texts(0)}}
    path.write_text(yaml.safe_dump({"id": "bench-pdf", "version": 1, "title": _texts(0), "documents": documents,
                                    "sections": sections},
                                   allow_unicode=True), encoding="utf-8")
    store_definition(path, load_definition(path))


def _answer(question, prose: str, n: int):
    kind = question.type
    if kind == "number_table":
        rows = {str(y): {c: 10 + (y * 7 + i * 13 + n) % 90 for i, c in enumerate(("women", "men", "girls", "boys"))}
                for y in range(2021, 2026)}
        return {y: {**cells, "total": sum(cells.values())} for y, cells in rows.items()}
    values = {"yes_no_partly": "partly", "single_choice": "o2", "multiple_choice": ["o0", "o3"],
              "short_text": prose[:90], "long_text": f"{prose}\n\n{prose} {prose}", "integer": 1200 + n,
              "date": "2019-06-30", "year": 2019,
              "law_list": [{"title": f"Act No. {n} on trafficking in persons", "article": "Art. 3",
                            "adopted": "2019-06-30", "status": "in_force", "url": f"https://example.org/act-{n}"}]}
    return values[kind]


def _responses(cycle, questionnaire, states) -> None:
    for code, language in states:
        user = enrolled(create_user(f"focal.{code.lower()}@example.org", PASSWORD, "focal_point", code))
        answers = {q.id: _answer(q, PROSE[language], i) for i, q in enumerate(questionnaire.questions.values())}
        ops.create_response(db.session.get(State, code), cycle, user, answers)
    db.session.commit()


@dataclass
class Runs:
    """Wall-clock and CPU seconds of repeated calls. The wall clock is what a reader waits; the
    CPU time counts this process's own work only, so it hardly moves with the load that other
    processes put on a shared machine. Both are given as median and minimum."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def time(self, function, setup=lambda: None):
        """``function()``, timed after an untimed ``setup()``."""
        setup()
        wall, cpu = time.perf_counter(), time.process_time()
        result = function()
        self.wall.append(time.perf_counter() - wall)
        self.cpu.append(time.process_time() - cpu)
        return result

    def repeat(self, function, count: int, setup=lambda: None):
        for _ in range(count):
            result = self.time(function, setup)
        return result

    def __str__(self) -> str:
        return (f"wall median {statistics.median(self.wall):.2f} s, min {min(self.wall):.2f} s; "
                f"CPU median {statistics.median(self.cpu):.2f} s, min {min(self.cpu):.2f} s")


def _overhead_line(kind: str, platform: list[float], alone: list[float]) -> str:
    p, a = statistics.median(platform), statistics.median(alone)
    paired = statistics.median((pt - at) / at for pt, at in zip(platform, alone))
    return (f"overhead of the platform ({kind}): {(p - a) / a:+.1%} median against median, "
            f"{(min(platform) - min(alone)) / min(alone):+.1%} fastest against fastest, "
            f"{paired:+.1%} median of the runs side by side")


def _forget_profiles():
    """Empty the cache. The session's read transaction ends first: the cache is written through
    connections of its own, and on SQLite (WAL) a transaction whose snapshot predates their
    commits can never write ("database is locked")."""
    db.session.rollback()
    with write_transaction():
        db.session.execute(db.delete(ProfilePdf))
        db.session.commit()


def _render(response, locale):
    return profile_pdf(response, locale)[0]


class _Text(HTMLParser):
    """The visible text of the profile's HTML."""

    def __init__(self):
        super().__init__()
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("style", "title", "svg")

    def handle_endtag(self, tag):
        self.skip -= tag in ("style", "title", "svg")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def _arabic_words(text: str, marks: bool = True) -> list[str]:
    """Runs of letters and their vowel marks that contain Arabic (without the marks if not ``marks``)."""
    kept = "".join(c if unicodedata.category(c)[0] in "LM" else " " for c in text
                   if marks or not unicodedata.combining(c))
    return [word for word in kept.split() if re.search("[\u0600-\u06ff]", word)]


def _survival(html: str, pdf: bytes, marks: bool) -> tuple[int, int]:
    parser = _Text()
    parser.feed(html)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        extracted = subprocess.run(["pdftotext", file.name, "-"], capture_output=True, text=True).stdout
    source, found = _arabic_words(" ".join(parser.parts), marks), _arabic_words(extracted, marks)
    remaining = {}
    for word in found:
        remaining[word] = remaining.get(word, 0) + 1
    survived = 0
    for word in source:
        if remaining.get(word):
            remaining[word] -= 1
            survived += 1
    return survived, len(source)


class _Quiet(WSGIRequestHandler):
    def log_request(self, *args) -> None:
        pass


@contextmanager
def _served(app):
    """The app served over HTTP on a free local port, as a reader's browser reaches it."""
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()


def _logged_in(base: str, email: str):
    """A URL opener with the session cookie of ``email``, logged in through the login form."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    page = opener.open(f"{base}/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    opener.open(f"{base}/login", data=urlencode({"email": email, "password": PASSWORD, "csrf_token": token}).encode())
    opener.open(f"{base}/login/two-factor", data=urlencode({"code": current_code(), "csrf_token": token}).encode())
    return opener


def _cached_download(app, response, pdf: bytes) -> float:
    """The median time of downloading the profile just rendered, over HTTP: login, access check,
    the cache's lookup and the 200 kB reply, as the State's focal point gets it."""
    db.session.rollback()  # the server's connections must see what the renders committed
    url = f"/cycles/{response.cycle_id}/states/{response.state_code}/profile.pdf?lang=en"
    with _served(app) as base:
        opener = _logged_in(base, f"focal.{response.state_code.lower()}@example.org")
        runs = Runs()
        body = runs.repeat(lambda: opener.open(base + url).read(), 5)
    assert body == pdf, "the download was rendered again instead of coming from the cache"
    return statistics.median(runs.wall)


def _overhead(response, out_dir: Path) -> list[str]:
    """Platform and WeasyPrint alone, alternated so that both see the same machine load."""
    data = profile_data(response, "en", response.revision_count)
    html, fetcher = render_profile_html(data), StaticOnlyFetcher(current_app.static_folder, profile_images(data))
    _forget_profiles()
    _render(response, "en")  # warm fonts and caches
    platform, alone, untagged = Runs(), Runs(), Runs()
    document = lambda: HTML(string=html, base_url=STATIC_BASE_URL, url_fetcher=fetcher)  # noqa: E731
    for _ in range(RUNS):
        pdf = platform.time(lambda: _render(response, "en"), _forget_profiles)
        alone.time(lambda: document().write_pdf(**PDF_OPTIONS))
        untagged.time(lambda: document().write_pdf())
    (out_dir / "bench-profile-en.pdf").write_bytes(pdf)
    pages = re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True,
                                                         text=False).stdout.decode()).group(1)
    cached = _cached_download(current_app._get_current_object(), response, pdf)
    a, u = statistics.median(alone.cpu), statistics.median(untagged.cpu)
    return [f"150-question profile (en, {pages} pages, 15 tables with charts), {RUNS} runs each, alternated",
            f"  platform: {platform}",
            f"  WeasyPrint alone on the same HTML: {alone}",
            _overhead_line("wall clock", platform.wall, alone.wall),
            _overhead_line("CPU time", platform.cpu, alone.cpu),
            f"the same HTML without PDF/UA tagging: {untagged} (tagging costs {(a - u) / a:.0%} of WeasyPrint's CPU time)",
            f"cached download of the same profile over HTTP (login done): {cached * 1000:.1f} ms"]


def _languages(chinese, arabic, out_dir: Path) -> list[str]:
    lines = []
    for response, locale in ((chinese, "zh"), (arabic, "ar")):
        runs = Runs()
        pdf = runs.repeat(lambda: _render(response, locale), RUNS, _forget_profiles)
        (out_dir / f"bench-profile-{locale}.pdf").write_bytes(pdf)
        lines.append(f"150-question profile ({locale}), platform: {runs}; {len(pdf) // 1024} KiB")
    html = render_profile_html(profile_data(arabic, "ar", arabic.revision_count))
    pdf = (out_dir / "bench-profile-ar.pdf").read_bytes()
    exact, total = _survival(html, pdf, marks=True)
    bare, _ = _survival(html, pdf, marks=False)
    lines.append(f"Arabic words that pdftotext gives back: {exact}/{total} ({exact / total:.1%}) exactly, "
                 f"{bare}/{total} ({bare / total:.1%}) ignoring vowel marks")
    return lines


def _bulk(app, cycle, out_dir: Path) -> list[str]:
    jobs = jobs_for_cycle(cycle.id, ["en", "fr"])
    db.session.commit()  # no transaction of the parent's is inherited by the workers
    times, lines = {}, []
    for workers in (1, 2):
        _forget_profiles()
        started, children, machine = time.perf_counter(), _children_cpu(), _machine_cpu()
        failures = [o for o in build_profiles(app, jobs, out_dir / f"bulk-{workers}", workers, 120) if o.error]
        times[workers] = seconds = time.perf_counter() - started
        assert not failures, failures
        ours = _children_cpu() - children
        others = _machine_cpu() - machine - ours
        lines.append(f"  {workers} worker(s): {seconds:.1f} s; the workers used {ours / seconds:.2f} cores on "
                     f"average, other processes {max(others, 0) / seconds:.2f} of the machine's {os.cpu_count()}")
    return [f"bulk build of {len(jobs)} profiles: speed-up of 2 workers over 1: {times[1] / times[2]:.2f}x"] + lines


def _children_cpu() -> float:
    """CPU seconds of the finished child processes (the workers, once their pool has ended)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _machine_cpu() -> float:
    """CPU seconds all processes of the machine have used since it started (Linux)."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, idle, iowait, irq, softirq, steal = (int(value) for value in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def run(app, out_dir):
    sync_member_states()
    _definition(out_dir / "bench-pdf.yaml")
    version = db.session.scalar(db.select(QuestionnaireVersion).filter_by(code="bench-pdf"))
    cycle = open_cycle("bench", version, date(2026, 1, 1), date(2026, 12, 31))
    states = [("EGY", "ar"), ("CHN", "zh")] + [(code, "en") for code in ("FRA", "KEN", "ARG", "PHL", "DEU", "BRA")]
    _responses(cycle, questionnaire_for(version), states)
    response = {r.state_code: r for r in db.session.scalars(db.select(Response))}
    return (_overhead(response["FRA"], out_dir) + _languages(response["CHN"], response["EGY"], out_dir)
            + _bulk(app, cycle, out_dir))
