"""Long work (profiles, archives, exports, e-mail, reminders) as jobs on a queue: procrastinate
on PostgreSQL, in this process on SQLite. A new kind of job: a ``@task`` (app/jobs/queue.py),
or for work a page follows, a ``@handler(kind)`` of items (app/jobs/operations.py) and, if it
makes a file, an entry in ``FILES`` (app/jobs/routes.py). The task module is imported by its
feature's ``register``."""


def register(app) -> None:
    from app.jobs import operations  # noqa: F401  (registers the job_item task)
    from app.jobs.cli import jobs_cli
    from app.jobs.routes import bp

    app.register_blueprint(bp)
    app.cli.add_command(jobs_cli)
