"""Structured logs: one JSON object per line on stderr, for errors and security events, so a
log collector can search them by field (event, user, address) rather than by wording."""
import json
import logging
import sys
from datetime import datetime, timezone

import sqlalchemy as sa
from flask import g, has_request_context, request

#: Every module logs under ``app.``; one handler on this logger formats them all.
APP_LOGGER = "app"
security_log = logging.getLogger("app.security")


class JsonLinesFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **getattr(record, "fields", {}),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class RequestFields(logging.Filter):
    """Adds where a log line comes from: method, path, client address and user."""

    def filter(self, record: logging.LogRecord) -> bool:
        if has_request_context():
            fields = {"method": request.method, "path": request.path, "ip": request.remote_addr}
            user_id = _loaded_user_id()
            if user_id is not None:
                fields["user_id"] = user_id
            record.fields = {**fields, **getattr(record, "fields", {})}
        return True


def _loaded_user_id() -> int | None:
    """The id of the request's user once Flask-Login has loaded it (in ``g._login_user``), read
    from the object's identity: a log line never queries the database, which may be unreachable
    (or the user left to be read again after a rollback) when an error is logged."""
    state = sa.inspect(g.get("_login_user"), raiseerr=False)
    return state.identity[0] if state is not None and state.identity else None


def log_security_event(event: str, level: int = logging.INFO, **fields) -> None:
    """A security event in the structured log (not in the audit table)."""
    security_log.log(level, event, extra={"fields": {"event": event, **fields}})


def init_app(app) -> None:
    logger = logging.getLogger(APP_LOGGER)
    logger.setLevel(app.config.get("LOG_LEVEL", "INFO"))
    if not any(isinstance(handler.formatter, JsonLinesFormatter) for handler in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonLinesFormatter())
        handler.addFilter(RequestFields())
        logger.addHandler(handler)
