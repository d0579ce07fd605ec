from functools import lru_cache

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask import Blueprint, jsonify

from app.database import alembic_config
from app.extensions import db
from app.jobs.queue import backend

bp = Blueprint("health", __name__)


@lru_cache(maxsize=1)
def migration_head() -> str:
    """The newest migration this code knows (read once: the code does not change under a process)."""
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def _checks() -> dict[str, str]:
    """Each check in turn; the first that fails names its error and the rest are not tried."""
    checks = {}
    try:
        with db.engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
            checks["database"] = "ok"
            applied = connection.scalar(sa.text("SELECT version_num FROM alembic_version"))
            checks["migrations"] = "ok" if applied == migration_head() else \
                f"at {applied}, the code needs {migration_head()}"
            checks["queue"] = "ok" if backend().reachable(connection) else "stopped"
    except Exception as error:  # every failure is an answer here, never a 500
        failed = next(name for name in ("database", "migrations", "queue") if name not in checks)
        checks[failed] = f"{type(error).__name__}: {str(error).splitlines()[0][:200]}"
    return checks


@bp.route("/healthz")
def healthz():
    """The process is alive and answering."""
    return jsonify(status="ok")


@bp.route("/readyz")
def readyz():
    checks = _checks()
    ready = all(value == "ok" for value in checks.values())
    return jsonify(status="ready" if ready else "not ready", checks=checks), 200 if ready else 503
