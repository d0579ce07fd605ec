"""The open-data API and its CSV are rate limited per caller with Flask-Limiter, on a store every
worker process shares: the database, or Redis when one is configured."""
import socket
import uuid

import pytest

from app import create_app
from app.ratelimit.models import RateLimitCounter
from app.extensions import db
from tests.conftest import fresh_globals_per_request


def test_the_anonymous_api_is_limited_per_address_with_a_json_429(app, client, cycle, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "3 per minute")
    assert [client.get("/api/v1/cycles").status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get("/api/v1/cycles/1")
    assert refused.status_code == 429 and refused.json["error"]["code"] == "too_many_requests"
    assert int(refused.headers["Retry-After"]) > 0
    other_address = client.get("/api/v1/cycles", environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other_address.status_code == 200
    assert db.session.query(RateLimitCounter).count() >= 2  # counted in the database


def test_answers_csv_has_a_tighter_limit_of_its_own(app, client, cycle, monkeypatch):
    monkeypatch.setitem(app.config, "API_CSV_RATE_LIMIT", "2 per minute")
    url = f"/api/v1/cycles/{cycle.id}/answers.csv"
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]
    assert client.get("/api/v1/cycles").status_code == 200  # the rest of the API is still open


def test_the_count_is_shared_by_every_worker_process(app, database_url, cycle, monkeypatch):
    """A second app on the same database (another worker) sees the first one's requests."""
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "4 per minute")
    other = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url, "API_RATE_LIMIT": "4 per minute"})
    fresh_globals_per_request(other)
    first, second = app.test_client(), other.test_client()
    statuses = [client.get("/api/v1/cycles").status_code for client in (first, second, first, second, first)]
    assert statuses == [200, 200, 200, 200, 429]


def _redis_is_running() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


def test_redis_holds_the_counts_when_it_is_configured(database_url, cycle):
    assert _redis_is_running(), "this machine runs Redis on 127.0.0.1:6379 (docs/deployment.md); start it"
    uri = "redis://127.0.0.1:6379/15"
    config = {"SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_STORAGE_URI": uri, "API_RATE_LIMIT": "2 per minute",
              "RATELIMIT_KEY_PREFIX": f"tip-test-{uuid.uuid4().hex}"}
    workers = [create_app("testing", config) for _ in range(2)]
    statuses = [worker.test_client().get("/api/v1/cycles").status_code for worker in (*workers, workers[0])]
    assert statuses == [200, 200, 429]
    assert db.session.query(RateLimitCounter).count() == 0
