"""Housekeeping of jobs."""

def test_workers_forget_jobs_finished_long_ago(app, client, login, cycle, monkeypatch):
    from datetime import timedelta

    from app.database import utcnow
    from app.extensions import db
    from app.jobs.models import Job
    from app.jobs.operations import forget_old_jobs
    from tests import factories
    from tests.helpers import job_file

    factories.response("FRA", cycle, {"data_body": "INSEE"}, "accepted")
    monkeypatch.setattr("app.reports.operations.render_profile_pdf", lambda data: b"%PDF stand-in")
    login(factories.user("secretariat"))
    job_file(client, f"/cycles/{cycle.id}/profiles-en.zip")
    job_file(client, f"/cycles/{cycle.id}/profiles-fr.zip")
    old, recent = db.session.scalars(db.select(Job).order_by(Job.id)).all()
    old.finished_at = utcnow() - timedelta(days=8)
    db.session.commit()
    forget_old_jobs()
    assert db.session.scalars(db.select(Job.id)).all() == [recent.id]
