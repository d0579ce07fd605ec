import logging
import os

import click
from flask import current_app
from flask.cli import AppGroup

from app.jobs.queue import backend
from app.logs import APP_LOGGER

jobs_cli = AppGroup("jobs", help="The job queue.")


@jobs_cli.command("worker")
@click.option("--concurrency", type=click.IntRange(min=1), default=lambda: int(os.environ.get("JOBS_CONCURRENCY", 1)),
              show_default="JOBS_CONCURRENCY or 1",
              help="Jobs this worker runs at once. Rendering takes a core: start one worker per core instead.")
def worker_command(concurrency):
    """Run queued jobs until stopped (SIGTERM or Ctrl-C let the job under way finish). Start as
    many as you like, on any machine that reaches the database."""
    queue = backend()
    if not hasattr(queue, "run_worker"):
        raise click.ClickException("Jobs run inside the web process on SQLite; a worker needs PostgreSQL "
                                   "(DATABASE_URL=postgresql+psycopg://...).")
    # procrastinate's own lines (a job started, succeeded, failed) in the app's JSON log.
    queue_log = logging.getLogger("procrastinate")
    queue_log.setLevel(logging.INFO)
    queue_log.handlers = logging.getLogger(APP_LOGGER).handlers
    current_app.logger.info("job worker started", extra={"fields": {"event": "worker_started", "pid": os.getpid()}})
    queue.run_worker(concurrency)
