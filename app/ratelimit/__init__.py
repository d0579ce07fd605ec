"""Rate limits of what anyone may ask for without an account (the open-data API and its CSV),
with Flask-Limiter. Counters live where every worker process sees them: in Redis when
``RATELIMIT_STORAGE_URI`` (or ``REDIS_URL``) names one, else in the database
(``storage.DatabaseStorage``, a ``limits`` storage on the ``rate_limit_counters`` table).

    from app.ratelimit import limiter, per_caller
    limiter.shared_limit(lambda: current_app.config["API_RATE_LIMIT"], "api", key_func=per_caller)(bp)
"""
import hashlib

from flask import request
from flask_limiter import Limiter

from app.ratelimit import storage  # noqa: F401  (registers the tip-database:// scheme)

limiter = Limiter(key_func=lambda: request.remote_addr or "unknown")


def per_caller() -> str:
    """A token holder counts on their token (a fingerprint of it), anyone else on their address:
    one address behind which many token holders sit does not starve them."""
    header = request.headers.get("Authorization", "").strip()
    if header:
        return "token:" + hashlib.sha256(header.encode()).hexdigest()[:32]
    return f"address:{request.remote_addr}"


def register(app) -> None:
    limiter.init_app(app)
