"""A killed server process loses no acknowledged save.

The app runs in a process of its own (Werkzeug's server on a free port from 5600, CSRF on as
in production) on the suite's database: a SQLite file, or TEST_DATABASE_URL. A client logs in
and saves over HTTP as a browser would (cookies, the CSRF token read from the form), and the
process is killed with SIGKILL as soon as a save is acknowledged (the Save button's 302,
autosave's 200), or while a save is still on its way. Restarted, the server shows every
acknowledged answer, and every revision is whole.

Why this holds on SQLite: a commit returns only after its pages are written to the WAL file,
so the kernel holds them whatever happens to the process, in any ``synchronous`` mode; a
transaction cut off before its commit record is ignored when the database is next opened.
(``synchronous`` matters for power loss, which a test cannot cause: see app/database.py.)
On PostgreSQL the server commits to its own log before it answers; killing its client is a
closed connection, whose open transaction the server rolls back."""
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.responses.models import AnswerChange, Revision
from tests import factories
from tests.conftest import FIXTURES
from tests.helpers import input_value, page_form, section_url
from tests.live import Browser, free_port

ROOT = Path(__file__).resolve().parents[1]
SERVER = """
import sys
from werkzeug.serving import make_server
from app import create_app

url, port, questionnaires, uploads = sys.argv[1:]
app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": True,
                             "QUESTIONNAIRE_DIR": questionnaires, "UPLOAD_DIR": uploads})
make_server("127.0.0.1", int(port), app, threaded=True).serve_forever()
"""

#: A real server in a process of its own, killed and started again.
pytestmark = [pytest.mark.subprocess, pytest.mark.slow]


class Server:
    """The app in a process of its own, which the test kills and starts again."""

    def __init__(self, database_url, upload_dir, log):
        self.args = [sys.executable, "-c", SERVER, database_url, str(free_port()),
                     str(FIXTURES / "questionnaires"), str(upload_dir)]
        self.port, self.log, self.process = int(self.args[4]), log, None

    def start(self) -> None:
        self.process = subprocess.Popen(self.args, cwd=ROOT, stdout=self.log, stderr=self.log)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                assert self.process.poll() is None, "the server did not start: see its log"
                time.sleep(0.05)
        raise TimeoutError("the server did not start listening")

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush, no rollback by the process itself."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()


@pytest.fixture
def server(database_url, tmp_path):
    with open(tmp_path / "server.log", "wb") as log:
        running = Server(database_url, tmp_path / "uploads", log)
        running.start()
        yield running
        if running.process.poll() is None:
            running.kill()


def test_a_killed_server_loses_no_acknowledged_save(server, cycle):
    user = factories.user("focal_point", "FRA")
    url = section_url(cycle, "criminalization")
    browser = Browser(server.port)
    browser.log_in(user.email, user.totp_secret)
    acknowledged = {}

    # The Save button: acknowledged by the redirect, then the process dies at once.
    form = page_form(browser.request("GET", url)[1], q_crim_offence="yes", q_crim_law="Penal Code, art. 1")
    assert browser.request("POST", url, form)[0] == 302
    server.kill()
    acknowledged["q_crim_law"] = "Penal Code, art. 1"
    server.start()

    # Autosave: acknowledged by its JSON reply; the session cookie outlives the process.
    form = page_form(browser.request("GET", url)[1], q_crim_law="Penal Code, art. 2", q_crim_max_penalty="12")
    status, reply = browser.request("POST", url, form, headers={"Accept": "application/json"})
    assert status == 200 and '"status":"saved"' in reply.replace(" ", "")
    server.kill()
    acknowledged.update(q_crim_law="Penal Code, art. 2", q_crim_max_penalty="12")
    server.start()

    # A save still on its way when the process dies: it is stored whole or not at all.
    form = page_form(browser.request("GET", url)[1], q_crim_law="Never acknowledged", q_crim_max_penalty="20")
    browser.request("POST", url, form, wait=False)
    time.sleep(0.05)
    server.kill()
    server.start()

    html = browser.request("GET", url)[1]
    if input_value(html, "q_crim_law") == "Never acknowledged":
        acknowledged.update(q_crim_law="Never acknowledged", q_crim_max_penalty="20")
    assert {name: input_value(html, name) for name in acknowledged} == acknowledged
    db.session.rollback()  # a fresh look at what the server stored
    counted = dict(db.session.execute(select(AnswerChange.revision_number, func.count())
                                      .group_by(AnswerChange.revision_number)).all())
    assert {r.number: r.change_count for r in db.session.scalars(select(Revision))} == counted


def test_each_commit_is_synced_so_a_power_loss_loses_none_either():
    """Killing the process is tested above; a power cut cannot be, so check the settings that
    make a commit reach the disk before it is acknowledged."""
    with db.engine.connect() as connection:
        if db.engine.dialect.name == "sqlite":
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        else:
            assert connection.exec_driver_sql("SHOW synchronous_commit").scalar() == "on"
            assert connection.exec_driver_sql("SHOW fsync").scalar() == "on"
