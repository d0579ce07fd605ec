"""The platform as deployed: ``make serve`` (gunicorn and a job worker) on a fresh PostgreSQL
database driven over real HTTP; a job worker killed in the middle of a bulk build; an e-mail job
that rolls back with its transaction.

On PostgreSQL these run the real stack and procrastinate's queue. On SQLite there is no queue:
the stack is ``flask run`` with jobs in the process (the embedded default), and the e-mail test
runs in that form; the worker-kill test needs workers, which only the queue has."""
import io
import os
import re
import secrets
import signal
import subprocess
import threading
import time
import uuid
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from app import create_app
from app.extensions import db
from app.jobs.models import JobItem
from app.reports import documents
from tests import factories
from tests.conftest import FIXTURES
from tests.helpers import overview_url, page_form, pdf_text, section_url
from tests.live import Browser, free_port, wait_for
from tests.workflow_helpers import REQUIRED_ANSWERS, review_url

ROOT = Path(__file__).resolve().parents[1]
FLASK = [str(ROOT / ".venv" / "bin" / "flask"), "--app", "wsgi"]
QUEUE_TABLES = ("procrastinate_events", "procrastinate_periodic_defers", "procrastinate_jobs", "procrastinate_workers")


def _environment(database_url: str, port: int, tmp_path: Path, **extra) -> dict:
    environment = {name: value for name, value in os.environ.items() if name != "TEST_DATABASE_URL"}
    environment.update(DATABASE_URL=database_url, PORT=str(port), HOST="127.0.0.1",
                       QUESTIONNAIRE_DIR=str(FIXTURES / "questionnaires"), UPLOAD_DIR=str(tmp_path / "uploads"),
                       SECRET_KEY=secrets.token_urlsafe(48), MAIL_BACKEND="memory", LOG_LEVEL="INFO",
                       BASE_URL=f"https://127.0.0.1:{port}", JOBS_HEARTBEAT_SECONDS="1", **extra)
    return environment

#: Every test here starts the app in processes of its own.
pytestmark = [pytest.mark.subprocess, pytest.mark.slow]


@pytest.fixture
def fresh_database(database_url, tmp_path):
    """A new, empty database of the suite's kind (dropped afterwards on PostgreSQL)."""
    if not database_url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'stack.sqlite3'}"
        return
    name = f"tip_stack_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield sa.engine.make_url(database_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


class Stack:
    """The app's servers in a process group of their own, stopped (all of them) at the end."""

    def __init__(self, command: list[str], environment: dict, log_path: Path, port: int):
        self.command, self.environment, self.log_path, self.port = command, environment, log_path, port
        self.log = open(log_path, "ab")
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.environment, stdout=self.log,
                                        stderr=self.log, start_new_session=True)

    def kill(self) -> None:
        """SIGKILL to every process of the stack: no shutdown of any kind."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


@pytest.fixture
def stack(fresh_database, tmp_path):
    """PostgreSQL: ``make serve`` (two gunicorn processes, one job worker), which migrates the
    fresh database and loads States and questionnaires itself. SQLite: the same set-up, then
    ``flask run`` with jobs in the process, as ``make run`` does."""
    port = free_port(5700)
    postgres = fresh_database.startswith("postgresql")
    environment = _environment(fresh_database, port, tmp_path, APP_CONFIG="production" if postgres else "development",
                               WEB_CONCURRENCY="2", JOB_WORKERS="1")
    if postgres:
        command = ["make", "--no-print-directory", "serve"]
    else:
        for step in (["db", "upgrade"], ["states", "load"], ["questionnaires", "load"]):
            subprocess.run(FLASK + step, cwd=ROOT, env=environment, check=True, capture_output=True)
        command = FLASK + ["run", "--host", "127.0.0.1", "--port", str(port)]
    running = Stack(command, environment, tmp_path / "stack.log", port)
    try:
        wait_for(port, running.process, seconds=180, path="/readyz")
        yield running
    finally:
        running.stop()


@pytest.mark.sqlite  # on PostgreSQL the queue keeps the jobs: test_a_worker_killed_in_the_middle...
def test_a_server_killed_in_the_middle_of_a_build_gives_every_profile_when_asked_again(stack, fresh_database):
    """SQLite's form of the worker-kill test: jobs run in the web process, so they die with it;
    the page says so, and asking again makes what is missing (what was made is kept)."""
    other = create_app("testing", {"SQLALCHEMY_DATABASE_URI": fresh_database})
    with other.app_context():
        cycle = factories.cycle()
        for state in ("DEU", "KEN"):  # 12 profiles: the server is killed after 3
            factories.response(state, cycle, {"data_body": f"Statistics office of {state}"}, "submitted")
        secretariat, cycle_id = factories.user("secretariat").email, cycle.id
        db.engine.dispose()
    archive_url = f"/cycles/{cycle_id}/profiles-all.zip"
    reviewer = Browser(stack.port)
    reviewer.log_in(secretariat, factories.TOTP_SECRET)
    assert reviewer.post(archive_url, token_from=archive_url)[0] == 303
    _poll(reviewer, archive_url, r"([3-9]|1[01]) of 12 done")
    stack.kill()
    stack.start()
    wait_for(stack.port, stack.process, seconds=60, path="/readyz")
    page = reviewer.request("GET", archive_url)[1]
    assert "This work stopped with the server" in page and 'http-equiv="refresh"' not in page
    assert reviewer.post(archive_url, token_from=archive_url)[0] == 303
    link = _poll(reviewer, archive_url, r'href="(/jobs/\d+/file)"')
    status, data, _ = reviewer.request("GET", link, raw=True)
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert status == 200 and len(names) == 12 and "profile-KEN-2026-r2-zh.pdf" in names


def _people(database_url: str) -> tuple[str, str, int]:
    """A focal point of France, the secretariat and the cycle, made in the stack's database:
    (focal point's e-mail, secretariat's e-mail, cycle id)."""
    other = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url})
    with other.app_context():
        people = factories.user("focal_point", "FRA").email, factories.user("secretariat").email, factories.cycle().id
        db.engine.dispose()
    return people


def _poll(browser: Browser, path: str, pattern: str, seconds: float = 180) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status, text = browser.request("GET", path)
        found = re.search(pattern, text)
        if found:
            return found.group(1)
        time.sleep(0.5)
    raise AssertionError(f"{path} never showed {pattern!r}: {text[:2000]}")


def test_the_stack_serves_a_real_flow_over_http(stack, fresh_database):
    status, text = Browser(stack.port).request("GET", "/readyz")
    assert status == 200 and '"queue":"ok"' in text.replace(" ", "") and '"migrations":"ok"' in text.replace(" ", "")
    focal, secretariat, cycle_id = _people(fresh_database)
    cycle = type("Cycle", (), {"id": cycle_id})

    state = Browser(stack.port)
    state.log_in(focal, factories.TOTP_SECRET)
    for section, answers in REQUIRED_ANSWERS.items():
        url = section_url(cycle, section)
        assert state.request("POST", url, page_form(state.request("GET", url)[1], **answers))[0] == 302
    assert state.post(overview_url(cycle) + "submit", token_from=overview_url(cycle))[0] == 302

    reviewer = Browser(stack.port)
    reviewer.log_in(secretariat, factories.TOTP_SECRET)
    assert reviewer.post(review_url(cycle) + "/accept", token_from=review_url(cycle))[0] == 302
    assert reviewer.post(review_url(cycle) + "/publish", token_from=review_url(cycle))[0] == 302

    archive_url = f"/cycles/{cycle_id}/profiles-en.zip"
    assert reviewer.post(archive_url, token_from=archive_url)[0] == 303
    link = _poll(reviewer, archive_url, r'href="(/jobs/\d+/file)"')
    status, data, headers = reviewer.request("GET", link, raw=True)
    assert status == 200 and headers["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None and archive.namelist() == ["profile-FRA-2026-r5-en.pdf"]
    assert "Act 12" in pdf_text(archive.read(archive.namelist()[0]))
    # Published: the public profile was queued with the publication, and is served from the cache.
    public = f"/profiles/{cycle_id}/FRA/fr.pdf"
    deadline = time.monotonic() + 120
    while (reply := Browser(stack.port).request("GET", public, raw=True))[2]["Content-Type"] != "application/pdf":
        assert time.monotonic() < deadline, reply[1][:500]
        time.sleep(0.5)
    assert reply[1].startswith(b"%PDF")
    if fresh_database.startswith("postgresql"):
        access_lines = [line for line in stack.log_path.read_text().splitlines() if '"http_request"' in line]
        assert access_lines and all(line.startswith("{") for line in access_lines)


@pytest.fixture
def queue_app(database_url):
    """The suite's database with jobs on procrastinate's queue (PostgreSQL only: the tests using
    it are marked ``postgresql``; on SQLite jobs run in the process, and tests/test_profile_delivery.py,
    tests/test_mail.py and the e-mail test here cover that form)."""
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url, "JOBS_BACKEND": "queue",
                                 "QUESTIONNAIRE_DIR": str(FIXTURES / "questionnaires")})
    yield app
    with app.app_context():
        with db.engine.begin() as connection:
            for table in QUEUE_TABLES:
                connection.execute(sa.text(f"DELETE FROM {table}"))
        db.engine.dispose()


def _items(job_id: int) -> dict[str, int]:
    db.session.rollback()
    rows = db.session.execute(sa.select(JobItem.status, sa.func.count()).where(JobItem.job_id == job_id)
                              .group_by(JobItem.status)).all()
    return dict(rows)


def _worker(database_url: str, tmp_path: Path, name: str):
    environment = _environment(database_url, 0, tmp_path, APP_CONFIG="development")
    log = open(tmp_path / f"{name}.log", "wb")
    return subprocess.Popen(FLASK + ["jobs", "worker"], cwd=ROOT, env=environment, stdout=log, stderr=log)


@pytest.mark.postgresql
def test_a_worker_killed_in_the_middle_of_a_bulk_build_loses_no_profile(queue_app, database_url, cycle, tmp_path):
    for state in ("DEU", "KEN"):  # 12 profiles: the worker is killed after 3
        factories.response(state, cycle, {"data_body": f"Statistics office of {state}"}, "submitted")
    secretariat = factories.user("secretariat")
    with queue_app.app_context():
        job = documents.request_archive(cycle.id, list(queue_app.config["LANGUAGES"]), "all", secretariat)
        db.session.commit()
        job_id = job.id
    first = _worker(database_url, tmp_path, "first")
    try:
        deadline = time.monotonic() + 120
        while _items(job_id).get("done", 0) < 3:
            assert time.monotonic() < deadline and first.poll() is None, "the worker made no progress"
            time.sleep(0.1)
        doing = db.session.scalar(sa.text("SELECT count(*) FROM procrastinate_jobs WHERE status = 'doing'"))
        first.kill()  # SIGKILL in the middle of a render: no clean-up of any kind
        first.wait()
    finally:
        if first.poll() is None:
            first.kill()
    assert doing >= 1 and _items(job_id).get("pending", 0) > 0
    second = _worker(database_url, tmp_path, "second")
    try:
        deadline = time.monotonic() + 240
        while _items(job_id).get("pending", 0):
            assert time.monotonic() < deadline and second.poll() is None, (tmp_path / "second.log").read_text()[-3000:]
            time.sleep(0.2)
    finally:
        second.terminate()
        second.wait(30)
    assert _items(job_id) == {"done": 12}
    with queue_app.app_context():
        entries = documents.archive_entries(db.session.get(documents.jobs.Job, job_id))
        assert len(entries) == 12 and not documents.missing_from_cache(entries)


@pytest.mark.parametrize("backend", ["inprocess", pytest.param("queue", marks=pytest.mark.postgresql)])
def test_a_password_reset_mail_is_not_sent_when_its_transaction_rolls_back(backend, database_url, inject, errors):
    """The job that sends the link is committed with the link's token, or not at all."""
    from app import mail

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url, "JOBS_BACKEND": backend})
    client = app.test_client()
    with app.app_context():
        user = factories.user("focal_point", "FRA")
        email = user.email
        outbox = mail.outbox()
        fault = inject(errors["lasting"], "COMMIT", times=1)
        assert client.post("/password/forgot", data={"email": email}).status_code >= 500
        assert fault.hits and outbox == [] and _queued_reset_links(backend) == []
        assert client.post("/password/forgot", data={"email": email}).status_code == 302
        if backend == "queue":
            assert _queued_reset_links(backend) == [email]
            # A worker that stops once the queue is empty, in a thread: the browser tests leave
            # an event loop running in this one.
            worker = threading.Thread(target=app.extensions["jobs_backend"].run_worker, args=(1, False))
            worker.start()
            worker.join(120)
        assert [message.to for message in outbox] == [email] and "/password/reset/" in outbox[0].body
        if backend == "queue":
            with db.engine.begin() as connection:
                for table in QUEUE_TABLES:
                    connection.execute(sa.text(f"DELETE FROM {table}"))
        db.engine.dispose()


def _queued_reset_links(backend: str) -> list[str]:
    if backend != "queue":
        return []
    db.session.rollback()
    return list(db.session.scalars(sa.text(
        "SELECT args->>'email' FROM procrastinate_jobs WHERE task_name = 'send_reset_link'")))
