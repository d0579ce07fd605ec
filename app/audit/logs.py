"""Structured logs: one JSON object per line on stderr, for errors and security events, so a
log collector can search them by field (event, user, address) rather than by wording."""
import json
import logging
import sys
from datetime import datetime, timezone

from flask import has_request_context, request
from flask_login import current_user

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
            if current_user and current_user.is_authenticated:
                fields["user_id"] = current_user.id
            record.fields = {**fields, **getattr(record, "fields", {})}
        return True


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
