"""gunicorn's settings for the platform (``make serve`` and deploy/tip-web.service), from the
environment: HOST, PORT, WEB_CONCURRENCY (processes, default two per core), WEB_THREADS
(threads per process), WEB_TIMEOUT. Logs are JSON lines on stderr, like the app's."""
import logging
import multiprocessing
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * multiprocessing.cpu_count())
#: Threads, so that a slow client or a long download holds a thread, not a whole process.
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", 4))
#: No page renders or builds anything long any more (jobs do): a request still running after
#: this long is stuck, and its process is replaced.
timeout = int(os.environ.get("WEB_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5
#: Each process is replaced after this many requests (plus jitter), so that no slow growth of
#: memory lasts.
max_requests = 5000
max_requests_jitter = 500
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)s'


class AccessFields(logging.Filter):
    """The fields of an access line, searchable by name in the JSON."""

    def filter(self, record):
        atoms = record.args if isinstance(record.args, dict) else {}
        if atoms:
            record.fields = {"event": "http_request", "method": atoms.get("m"), "path": atoms.get("U"),
                             "status": atoms.get("s"), "bytes": atoms.get("B"), "ms": atoms.get("M"),
                             "ip": atoms.get("h")}
        return True


logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "app.logs.JsonLinesFormatter"}},
    "filters": {"access": {"()": AccessFields}},
    "handlers": {
        "error": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"},
        "access": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["access"],
                   "stream": "ext://sys.stdout"},
    },
    "root": {"level": "INFO", "handlers": ["error"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["error"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["access"], "propagate": False},
    },
}
