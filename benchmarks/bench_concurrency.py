"""Concurrent saves through the app's own save path: N threads, each an official in a browser of
its own (a Flask test client: login, CSRF token, the autosave POST of a section form asking for
JSON, exactly as static/js/autosave.js sends it), save as fast as they can for a few seconds.

Two cases: everyone editing the same response (one State's officials, each on their own question:
the saves queue on the response's lock) and everyone on a response of their own (different
States). Reports saves per second, latency, and every reply that was not "saved" (errors,
conflicts, database busy). Threads share one Python process (the GIL), as in a threaded WSGI
server; several worker processes would add CPU but not database throughput."""
import re
import statistics
import threading
import time
from datetime import date

import yaml

from app.auth.operations import create_user
from app.cycles.operations import open_cycle
from app.extensions import db
from app.questionnaires.loader import load_definition
from app.questionnaires.models import QuestionnaireVersion
from app.questionnaires.operations import store_definition
from app.states.models import State
from app.states.operations import sync_member_states
from benchmarks.accounts import current_code, enrolled

LANGUAGES = ("ar", "en", "es", "fr", "ru", "zh")
PASSWORD = "a long enough benchmark password"
SECTIONS, PER_SECTION = 10, 15
THREADS = (1, 4, 8, 16)
SECONDS = 6
CHEAP_HASHING = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}


def _definition(path):
    texts = lambda word: {language: f"{word} {language}" for language in LANGUAGES}  # noqa: E731
    sections = [{"id": f"s{s}", "title": texts(f"Section {s}"),
                 "questions": [{"id": f"q{s}_{q}", "type": "short_text", "text": texts(f"Question {s}.{q}")}
                               for q in range(PER_SECTION)]} for s in range(SECTIONS)]
    path.write_text(yaml.safe_dump({"id": "bench-concurrency", "version": 1, "title": texts("Bench"),
                                    "sections": sections}))
    return store_definition(path, load_definition(path))


def _setup(app, out_dir):
    app.config["ARGON2_PARAMETERS"] = CHEAP_HASHING  # logins are set-up, not what is measured
    sync_member_states()
    _definition(out_dir / "bench-concurrency.yaml")
    version = db.session.scalar(db.select(QuestionnaireVersion).filter_by(code="bench-concurrency"))
    cycle = open_cycle("bench", version, date(2026, 1, 1), date(2026, 12, 31))
    states = db.session.scalars(db.select(State.code).order_by(State.code).limit(max(THREADS))).all()
    users = {(case, n): enrolled(create_user(f"{case}{n}@example.org", PASSWORD, "contributor",
                                             "FRA" if case == "same" else states[n])).email
             for case in ("same", "own") for n in range(max(THREADS))}
    db.session.commit()
    return cycle.id, {key: (email, "FRA" if key[0] == "same" else states[key[1]]) for key, email in users.items()}


class Official:
    """One browser: logged in, on one section, editing one question of it."""

    def __init__(self, app, email, url, question):
        self.client, self.url, self.question = app.test_client(), url, question
        login = self.client.get("/login").text
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login).group(1)
        self.client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
        self.client.post("/login/two-factor", data={"code": current_code(), "csrf_token": token})
        page = self.client.get(url).text
        self.token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
        self.versions = dict(re.findall(r'name="v_([a-z0-9_]+)" value="(\d+)"', page))

    def save(self, n: int) -> str:
        form = {f"v_{qid}": version for qid, version in self.versions.items()}
        form[f"q_{self.question}"] = f"answer {n} to {self.question}"
        reply = self.client.post(self.url, data=form, headers={"Accept": "application/json", "X-CSRFToken": self.token})
        body = reply.get_json(silent=True) or {}
        self.versions.update({qid: str(version) for qid, version in body.get("versions", {}).items()})
        return body.get("status", f"HTTP {reply.status_code}")


def _officials(app, cycle_id, users, case, count):
    officials = []
    for n in range(count):
        email, state = users[(case, n)]
        section, question = n % SECTIONS, n // SECTIONS
        url = f"/cycles/{cycle_id}/states/{state}/sections/s{section}"
        with app.app_context():  # requests get a context (and a user) of their own, as in a server
            officials.append(Official(app, email, url, f"q{section}_{question}"))
    return officials


def _measure(officials):
    """Every official saves in a loop for ``SECONDS``; returns (latencies, outcomes)."""
    latencies, outcomes, lock = [], {}, threading.Lock()
    barrier, stop = threading.Barrier(len(officials)), time.perf_counter() + SECONDS + 1

    def work(official):
        barrier.wait()
        n = 0
        while time.perf_counter() < stop:
            started = time.perf_counter()
            try:
                outcome = official.save(n)
            except Exception as error:  # counted and reported, never hidden
                outcome = type(error).__name__
            with lock:
                latencies.append(time.perf_counter() - started)
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
            n += 1

    threads = [threading.Thread(target=work, args=(official,)) for official in officials]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, latencies, outcomes


def run(app, out_dir):
    cycle_id, users = _setup(app, out_dir)
    lines = [f"database: {db.engine.dialect.name}; each thread autosaves one question, {SECONDS} s per run"]
    for case, label in (("same", "one response, every thread on its own question"),
                        ("own", "a response per thread")):
        for count in THREADS:
            officials = _officials(app, cycle_id, users, case, count)
            db.session.commit()
            elapsed, latencies, outcomes = _measure(officials)
            saved = outcomes.pop("saved", 0)
            p95 = statistics.quantiles(latencies, n=20)[-1] if len(latencies) > 1 else latencies[0]
            lines.append(f"{label}, {count:2d} threads: {saved / elapsed:6.1f} saves/s, "
                         f"median {statistics.median(latencies) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
                         f"not saved: {sum(outcomes.values())} {outcomes or ''}")
    return lines
