"""Probes for load balancers and orchestrators: ``/healthz`` (the process answers) and
``/readyz`` (it can serve: database reachable, schema at the newest migration, job queue
reachable). JSON, no login, no session, no cookie."""


def register(app) -> None:
    from app.health.routes import bp

    app.register_blueprint(bp)
