"""Tasks on procrastinate's queue in the app's PostgreSQL database.

Deferring inserts the job through the connection of the caller's SQLAlchemy session, inside its
transaction: the job exists exactly when the data that asked for it is committed (an e-mail is
never sent for a rolled-back change, never lost for a committed one), and there is no second
stateful service to run, back up or watch.

Workers (``flask --app wsgi jobs worker``, any number, on any machine that reaches the
database) take jobs with ``SELECT ... FOR UPDATE SKIP LOCKED``. Each sends a heartbeat; the jobs
of a worker whose heartbeat stops (killed, machine lost) are put back in the queue by the
other workers, so they run again."""
import asyncio
import logging

import procrastinate
import sqlalchemy as sa
from flask import Flask

from app.extensions import db
from app.jobs.queue import TASKS, Task, run_task

log = logging.getLogger(__name__)


def conninfo(url: str) -> str:
    """The libpq address of a SQLAlchemy URL (``postgresql+psycopg://...``)."""
    return sa.engine.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


class QueueBackend:
    def __init__(self, app: Flask):
        # Registering tasks is logged at INFO in every process: only the worker wants that detail.
        logging.getLogger("procrastinate").setLevel(logging.WARNING)
        self.app = app
        address = conninfo(app.config["SQLALCHEMY_DATABASE_URI"])
        #: Runs the jobs (an async connection pool, opened by the worker command only).
        self.worker_app = self._procrastinate(procrastinate.PsycopgConnector(conninfo=address))
        #: Defers jobs through the caller's connection; never opens a pool of its own.
        self.defer_app = self._procrastinate(procrastinate.SyncPsycopgConnector(conninfo=address))

    def _procrastinate(self, connector) -> procrastinate.App:
        queue = procrastinate.App(connector=connector)
        for task in TASKS.values():
            self._register(queue, task)
        return queue

    def _register(self, queue: procrastinate.App, task: Task) -> None:
        def run(context, **arguments):
            with self.app.app_context():
                run_task(task.name, arguments, context.job.attempts)

        retry = procrastinate.RetryStrategy(max_attempts=task.attempts - 1,
                                            exponential_wait=self.app.config["JOBS_RETRY_SECONDS"])
        registered = queue.task(name=task.name, pass_context=True, retry=retry)(run)
        if task.cron:
            queue.periodic(cron=self.app.config[task.cron], periodic_id=task.name)(registered)

    def defer(self, task: Task, arguments: dict) -> None:
        connection = db.session.connection().connection.driver_connection
        lock = task.lock(**arguments) if task.lock else None
        self.defer_app.tasks[task.name].configure(connection=connection, lock=lock).defer(**arguments)

    def abandoned(self, created_at) -> bool:
        """Never: the queue keeps every job until a worker has run it."""
        return False

    def reachable(self, connection) -> bool:
        """The queue's table answers (it lives in the database ``connection`` reached)."""
        connection.execute(sa.text("SELECT 1 FROM procrastinate_jobs LIMIT 1"))
        return True

    def run_worker(self, concurrency: int, wait: bool = True) -> None:
        """Run jobs until SIGINT or SIGTERM (the job under way is finished first); with
        ``wait=False``, until the queue is empty."""
        asyncio.run(self._work(concurrency, wait))

    async def _work(self, concurrency: int, wait: bool) -> None:
        config = self.app.config
        async with self.worker_app.open_async():
            worker = asyncio.create_task(self.worker_app.run_worker_async(
                concurrency=concurrency, wait=wait, update_heartbeat_interval=config["JOBS_HEARTBEAT_SECONDS"],
                stalled_worker_timeout=3 * config["JOBS_HEARTBEAT_SECONDS"]))
            rescuer = asyncio.create_task(self._rescue_stalled_jobs())
            await asyncio.wait([worker, rescuer], return_when=asyncio.FIRST_COMPLETED)
            rescuer.cancel()
            await worker

    async def _rescue_stalled_jobs(self) -> None:
        """Put the jobs of workers that stopped sending heartbeats back in the queue."""
        silence = 3 * self.app.config["JOBS_HEARTBEAT_SECONDS"]
        manager = self.worker_app.job_manager
        while True:
            try:
                for job in await manager.get_stalled_jobs(seconds_since_heartbeat=silence):
                    log.warning("job_stalled", extra={"fields": {"event": "job_stalled", "job": job.id,
                                                                 "task": job.task_name}})
                    await manager.retry_job(job)
            except Exception:  # the database may be restarting: try again at the next beat
                log.exception("Stalled jobs could not be looked up")
            await asyncio.sleep(self.app.config["JOBS_HEARTBEAT_SECONDS"])
