"""The production stack under the deadline rush, and bulk profiles through the queue.

Needs PostgreSQL (``BENCH_DATABASE_URL``): it starts the stack of ``make serve`` (scripts/serve.sh:
gunicorn with two processes and one job worker) on the scratch database, with every State's
response filled in from the full Protocol questionnaire.

1. **The rush.** One focal point per State (193, each logged in with a session of its own)
   opens a section and autosaves one answer every second for ``BENCH_RUSH_SECONDS`` (60), all
   at once, over HTTP. Reports errors, p50 and p95 latency, and checks row by row that every
   acknowledged save is in the database afterwards.
2. **The rush while every profile is built.** The same, while the job worker builds the
   profiles of every State in every language.
3. **Bulk profiles.** ``BENCH_PROFILE_STATES`` States (193; 0 to skip) x 6 languages through the queue,
   with one worker and then two (``BENCH_BULK_WORKERS``), from an empty cache: the speed-up, and
   each worker's peak memory (the worker and the render children it forks); progress is
   printed every minute.

``BENCH_RUSH_SECONDS=0`` leaves out the rush (1 and 2).

The load comes from threads of this process, on the same machine as the stack: the figures
include the client's share of the two cores."""
import http.client
import os
import re
import secrets
import signal
import statistics
import subprocess
import threading
import time
import urllib.parse
from dataclasses import asdict
from datetime import date, timedelta
from pathlib import Path

import psutil
import pyotp
import sqlalchemy as sa

from app import create_app
from app.auth.operations import create_user
from app.cycles.operations import open_cycle
from app.database import utcnow
from app.demo.data import sample_answers
from app.extensions import db
from app.jobs import operations as jobs
from app.jobs.models import JobItem
from app.questionnaires.loader import load_definition
from app.questionnaires.models import QuestionnaireVersion
from app.questionnaires.operations import store_definition
from app.questionnaires.versions import questionnaire_for
from app.reports import documents
from app.reports.models import ProfilePdf
from app.responses import operations as ops
from app.responses.models import AnswerChange, Response
from app.states.models import State
from app.states.operations import sync_member_states

ROOT = Path(__file__).resolve().parent.parent
PROTOCOL = ROOT / "questionnaires" / "tip-protocol" / "questionnaire.yaml"
PASSWORD = "indigo lantern quarterly harbour 193"
RUSH_SECONDS = int(os.environ.get("BENCH_RUSH_SECONDS", 60))
PROFILE_STATES = int(os.environ.get("BENCH_PROFILE_STATES", 193))
#: The numbers of job workers the bulk build is timed with; "2" alone halves a full run's time.
BULK_WORKERS = [int(n) for n in os.environ.get("BENCH_BULK_WORKERS", "1,2").split(",")]
PORT = 5790


def _setup(app):
    """193 States with a focal point each and a draft response with every answer."""
    app.config["ARGON2_PARAMETERS"] = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}
    sync_member_states()
    store_definition(PROTOCOL, load_definition(PROTOCOL))
    version = db.session.scalar(sa.select(QuestionnaireVersion).filter_by(code="tip-protocol"))
    questionnaire = questionnaire_for(version)
    cycle = open_cycle("2027", version, date.today() - timedelta(days=30), date.today() + timedelta(days=2))
    question = next(q for s in questionnaire.sections for q in s.questions if q.type == "long_text" and not q.condition)
    users = {}
    for number, state in enumerate(db.session.scalars(sa.select(State).order_by(State.code)).all()):
        user = create_user(f"fp{state.code.lower()}@example.org", PASSWORD, "focal_point", state.code)
        # Production asks focal points for a second factor: each has enrolled its own app.
        user.totp_secret, user.totp_confirmed_at = pyotp.random_base32(), utcnow()
        ops.create_response(state, cycle, user, sample_answers(questionnaire, variant=number))
        users[state.code] = (user.email, user.totp_secret)
        db.session.commit()
    return cycle.id, question, users


class Official:
    """One browser with a keep-alive connection: logged in, on one section, autosaving."""

    def __init__(self, account, url, question_id):
        email, totp_secret = account
        self.url, self.question, self.cookies = url, question_id, {}
        self.connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        login = self.request("GET", "/login")[1]
        token = re.search(r'name="csrf-token" content="([^"]+)"', login).group(1)
        self.request("POST", "/login", {"email": email, "password": PASSWORD, "csrf_token": token})
        second = self.request("GET", "/login/two-factor")[1]
        token = re.search(r'name="csrf-token" content="([^"]+)"', second).group(1)
        status, _ = self.request("POST", "/login/two-factor", {"code": pyotp.TOTP(totp_secret).now(), "csrf_token": token})
        if status != 302:
            raise RuntimeError(f"{email} could not complete the second factor (HTTP {status})")
        page = self.request("GET", url)[1]
        self.token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
        self.versions = dict(re.findall(r'name="v_([a-z0-9_]+)" value="(\d+)"', page))

    def request(self, method, path, fields=None, headers=None):
        sent = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), **(headers or {})}
        body = urllib.parse.urlencode(fields) if fields is not None else None
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.connection.request(method, path, body=body, headers=sent)
            reply = self.connection.getresponse()
        except (http.client.RemoteDisconnected, http.client.CannotSendRequest, BrokenPipeError,
                ConnectionResetError):
            # The server closed an idle keep-alive connection: a browser opens another and sends
            # the request again, before anything of it reached the app.
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
            self.connection.request(method, path, body=body, headers=sent)
            reply = self.connection.getresponse()
        for header in reply.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.partition(";")[0]
        return reply.status, reply.read().decode()

    def save(self, value: str) -> str:
        form = {f"v_{qid}": version for qid, version in self.versions.items()}
        form[f"q_{self.question}"] = value
        status, text = self.request("POST", self.url, form, {"Accept": "application/json", "X-CSRFToken": self.token})
        found = re.search(r'"status":\s*"(\w+)"', text)
        for qid, version in re.findall(r'"([a-z0-9_]+)":\s*(\d+)', text.partition('"versions"')[2]):
            self.versions[qid] = version
        return found.group(1) if status == 200 and found else f"HTTP {status}"


class CpuMeter:
    """CPU seconds spent by a family of processes over a stretch of time, counting processes
    that start (a web worker replaced after ``max_requests``) and those that end (up to their
    last sample): sampled every half second on a thread of its own."""

    def __init__(self, find: dict):
        self.find, self.first, self.last = find, {}, {}
        self.running = threading.Event()
        self._sample(initial=True)
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.running.set()
        self.thread.start()

    def _sample(self, initial=False):
        for name, finder in self.find.items():
            for process in finder():
                try:
                    times = process.cpu_times()
                except psutil.NoSuchProcess:
                    continue
                key = (name, process.pid)
                if initial:
                    self.first[key] = times.user + times.system
                self.first.setdefault(key, 0.0)
                self.last[key] = times.user + times.system

    def _loop(self):
        while self.running.is_set():
            time.sleep(0.5)
            self._sample()

    def stop(self) -> dict[str, float]:
        self.running.clear()
        self.thread.join()
        self._sample()
        spent = dict.fromkeys(self.find, 0.0)
        for (name, pid), seconds in self.last.items():
            spent[name] += seconds - self.first[(name, pid)]
        return spent


def _rush(officials: dict[str, Official], label: str, stack: subprocess.Popen):
    """Every official saves once a second; returns report lines, the acknowledged values and the
    p95 latency. Also says where the two cores went: the web processes, the job worker with
    the render children it forks, and this process (the clients)."""
    master = psutil.Process(stack.pid)

    def web():
        return [p for p in master.children(recursive=True) if "gunicorn" in " ".join(p.cmdline())]

    def workers():
        return [p for worker in _worker_memory(stack) for p in (worker, *worker.children(recursive=True))]

    meter = CpuMeter({"web": web, "jobs": workers, "clients": lambda: [psutil.Process()]})
    lines, acknowledged, p95, saved = _rush_threads(officials, label)
    spent = meter.stop()
    lines.append(f"  CPU over the {RUSH_SECONDS} s: web {spent['web']:.0f} s ({spent['web'] * 1000 / max(saved, 1):.0f} ms "
                 f"a save), job worker and its render children {spent['jobs']:.0f} s, clients {spent['clients']:.0f} s; "
                 f"load average {os.getloadavg()[0]:.1f}")
    return lines, acknowledged, p95


def _rush_threads(officials: dict[str, Official], label: str):
    latencies, outcomes, acknowledged, lock = [], {}, {code: [] for code in officials}, threading.Lock()
    start = time.monotonic() + 1
    stop = start + RUSH_SECONDS

    def work(code, official):
        tick = start + (hash(code) % 1000) / 1000  # spread across the second, as people are
        n = 0
        while tick < stop:
            time.sleep(max(0.0, tick - time.monotonic()))
            value = f"{code} {label} save {n}"
            began = time.monotonic()
            try:
                outcome = official.save(value)
            except Exception as error:  # counted, never hidden
                outcome = type(error).__name__
            with lock:
                latencies.append(time.monotonic() - began)
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
                if outcome == "saved":
                    acknowledged[code].append(value)
            n += 1
            tick = max(tick + 1, time.monotonic())

    threads = [threading.Thread(target=work, args=item) for item in officials.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    saved = outcomes.pop("saved", 0)
    p50, p95 = statistics.median(latencies), statistics.quantiles(latencies, n=20)[-1]
    line = (f"{label}: {len(officials)} focal points x {RUSH_SECONDS} s, {saved} saves acknowledged "
            f"({saved / RUSH_SECONDS:.0f}/s), errors {sum(outcomes.values())} {outcomes or ''}, "
            f"p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")
    return [line], acknowledged, p95, saved


def _lost(cycle_id: int, question_id: str, acknowledged: dict[str, list[str]]) -> int:
    """Acknowledged saves not in the database, checked row by row."""
    db.session.rollback()
    stored = set(db.session.execute(
        sa.select(Response.state_code, AnswerChange.value).join(Response, Response.id == AnswerChange.response_id)
        .where(Response.cycle_id == cycle_id, AnswerChange.question_id == question_id)).all())
    return sum(1 for code, values in acknowledged.items() for value in values if (code, value) not in stored)


def _environment(url: str, workers: int) -> dict:
    environment = dict(os.environ, APP_CONFIG="production", DATABASE_URL=url, SECRET_KEY=secrets.token_urlsafe(48),
                       HOST="127.0.0.1", PORT=str(PORT), WEB_CONCURRENCY="2", JOB_WORKERS=str(workers),
                       BASE_URL=f"https://127.0.0.1:{PORT}", MAIL_BACKEND="memory", LOG_LEVEL="WARNING")
    environment.pop("BENCH_DATABASE_URL", None)
    return environment


def _start(url: str, workers: int, log) -> subprocess.Popen:
    process = subprocess.Popen([str(ROOT / "scripts" / "serve.sh")], cwd=ROOT, env=_environment(url, workers),
                               stdout=log, stderr=log, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            connection.request("GET", "/readyz")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the stack did not become ready")


def _stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(60)


def _start_bulk(url: str, cycle_id: int, states: list[str] | None) -> int:
    """Queue the profiles of ``states`` (or of every State) in every language, as one job."""
    queue = create_app("development", {"SQLALCHEMY_DATABASE_URI": url, "JOBS_BACKEND": "queue"})
    with queue.app_context():
        query = sa.select(Response).where(Response.cycle_id == cycle_id).order_by(Response.state_code)
        if states is not None:
            query = query.where(Response.state_code.in_(states))
        items = [(document.label, asdict(document)) for response in db.session.scalars(query)
                 for document in (documents.document_of(response, locale) for locale in queue.config["LANGUAGES"])]
        job, _ = jobs.start("profiles", f"bench:{time.time()}", None, items, lock=documents.document_lock)
        db.session.commit()
        job_id = job.id
        db.engine.dispose()
    return job_id


def _pending(job_id: int) -> int:
    db.session.rollback()
    return db.session.scalar(sa.select(sa.func.count()).select_from(JobItem).where(
        JobItem.job_id == job_id, JobItem.status == "pending"))


def _worker_memory(stack: subprocess.Popen) -> list[psutil.Process]:
    return [child for child in psutil.Process(stack.pid).children() if "jobs" in " ".join(child.cmdline())]


def _bulk(url: str, cycle_id: int, workers: int, states: list[str], log) -> tuple[float, int, int]:
    """(seconds, documents, peak MB of one worker with its render children) from an empty cache."""
    db.session.execute(sa.delete(ProfilePdf))
    db.session.execute(sa.text("DELETE FROM procrastinate_jobs"))
    db.session.commit()
    stack = _start(url, workers, log)
    try:
        job_id = _start_bulk(url, cycle_id, states)
        total = len(states) * 6
        started, peak, reported = time.monotonic(), 0, time.monotonic()
        while pending := _pending(job_id):
            if time.monotonic() - reported >= 60:
                reported = time.monotonic()
                print(f"   ... {workers} worker(s): {total - pending} of {total} PDFs in {reported - started:.0f} s, "
                      f"peak {peak // 2**20} MB", flush=True)
            for worker in _worker_memory(stack):
                try:
                    family = [worker, *worker.children(recursive=True)]
                    peak = max(peak, sum(p.memory_info().rss for p in family))
                except psutil.NoSuchProcess:
                    pass
            time.sleep(0.2)
        return time.monotonic() - started, total, peak // (1024 * 1024)
    finally:
        _stop(stack)


def run(app, out_dir):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("postgresql"):
        return ["skipped: the production stack needs PostgreSQL (set BENCH_DATABASE_URL)"]
    cycle_id, question, users = _setup(app)
    lines = [f"machine: {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB; "
             f"gunicorn 2 processes x 4 threads, 1 job worker, PostgreSQL"]
    with open(out_dir / "deadline-stack.log", "wb") as log:
        if RUSH_SECONDS:
            lines += _rushes(url, cycle_id, question, users, log)
        states = sorted(users)[:PROFILE_STATES]
        if not states:  # BENCH_PROFILE_STATES=0: the rush alone
            return lines
        built = {workers: _bulk(url, cycle_id, workers, states, log) for workers in BULK_WORKERS}
    for workers, (seconds, total, peak) in built.items():
        lines.append(f"bulk profiles, {len(states)} States x 6 languages ({total} PDFs), {workers} worker(s): "
                     f"{seconds:.0f} s ({total / seconds:.2f}/s), peak {peak} MB per worker")
    if {1, 2} <= set(built):
        lines.append(f"  speed-up of two workers over one: {built[1][0] / built[2][0]:.2f}x")
    return lines


def _rushes(url, cycle_id, question, users, log) -> list[str]:
    """The rush on a quiet stack, then while the worker builds every profile."""
    lines = []
    stack = _start(url, 1, log)
    try:
        section = question.section_id
        officials = {code: Official(account, f"/cycles/{cycle_id}/states/{code}/sections/{section}", question.id)
                     for code, account in users.items()}
        report, acknowledged, quiet_p95 = _rush(officials, "quiet", stack)
        lines += report + [f"  lost saves: {_lost(cycle_id, question.id, acknowledged)}"]
        job_id = _start_bulk(url, cycle_id, None)
        time.sleep(5)
        report, acknowledged, busy_p95 = _rush(officials, "during the bulk build", stack)
        lines += report + [f"  lost saves: {_lost(cycle_id, question.id, acknowledged)}; "
                           f"p95 {busy_p95 / quiet_p95:.2f}x the quiet p95; "
                           f"profiles built meanwhile: {_done(job_id)}"]
    finally:
        _stop(stack)
    return lines


def _done(job_id: int) -> int:
    db.session.rollback()
    return db.session.scalar(sa.select(sa.func.count()).select_from(JobItem).where(
        JobItem.job_id == job_id, JobItem.status == "done"))
