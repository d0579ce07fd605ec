"""Probes for load balancers: /healthz (alive) and /readyz (database, migrations, job queue),
JSON, without a login, a session or a cookie."""
from app.health import routes as health


def test_healthz_and_readyz_answer_json_without_a_session(client):
    for path in ("/healthz", "/readyz"):
        response = client.get(path)
        assert response.status_code == 200 and response.is_json, response.text
        assert "Set-Cookie" not in response.headers
    assert client.get("/readyz").get_json() == {
        "status": "ready", "checks": {"database": "ok", "migrations": "ok", "queue": "ok"}}


def test_readyz_names_what_is_not_ready(client, monkeypatch):
    monkeypatch.setattr(health, "migration_head", lambda: "a_newer_migration")
    reply = client.get("/readyz")
    assert reply.status_code == 503 and reply.get_json()["status"] == "not ready"
    assert reply.get_json()["checks"]["migrations"].endswith("the code needs a_newer_migration")
    assert client.get("/healthz").status_code == 200  # alive all the same

