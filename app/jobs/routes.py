"""The files finished jobs made, for those who may follow the job."""
from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required

from app.extensions import db
from app.jobs import operations
from app.jobs.models import Job
from app.jobs.queue import backend

bp = Blueprint("jobs", __name__, url_prefix="/jobs", template_folder="templates")

#: How each kind of job hands out its file: ``FILES[kind](job)`` returns the response.
FILES = {}
#: How often the page of a job under way reloads itself.
REFRESH_SECONDS = 3


def job_page(title: str, job: Job | None, start_url: str, start_label: str, file_url: str | None = None):
    """The page of a job (or of none yet), with the button that starts it again once finished."""
    progress = operations.progress(job) if job is not None else None
    ready = job is not None and progress.finished and progress.done > 0
    stopped = job is not None and job.finished_at is None and backend().abandoned(job.created_at)
    return render_template("jobs/job.html", title=title, job=job, progress=progress, start_url=start_url,
                           start_label=start_label, file_url=file_url if ready else None, stopped=stopped,
                           refresh_seconds=REFRESH_SECONDS)


@bp.route("/<int:job_id>/file")
@login_required
def file(job_id):
    job = db.session.get(Job, job_id)
    if not operations.visible(job, current_user) or job.finished_at is None or job.kind not in FILES:
        abort(404)
    return FILES[job.kind](job)
