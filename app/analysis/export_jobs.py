"""XLSX exports as jobs: a whole cycle takes seconds and a few hundred megabytes to write, which
a web worker must not spend. The page asks (POST), a job worker writes the workbook into the
job's row, the page offers it (app/jobs/routes.py)."""
import io
import json

from flask import send_file

from app.analysis.dataset import PUBLIC, decided_scope
from app.analysis.exports import Export
from app.analysis.workbook import write_workbook
from app.cycles.models import ReportingCycle, cycle_questionnaire
from app.extensions import db
from app.jobs import operations as jobs

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_key(params: dict) -> str:
    return "xlsx:" + json.dumps(params, sort_keys=True, separators=(",", ":"))


def request_export(params: dict, name: str, user):
    """Queue the workbook (the job already under way for the same choices, if there is one)."""
    job, _ = jobs.start("xlsx", export_key(params), user, [(name, params)], params={**params, "name": name},
                        shared=True)
    return job


@jobs.handler("xlsx")
def write_export(job, params: dict) -> dict:
    cycle = db.session.get(ReportingCycle, params["cycle_id"])
    scope = PUBLIC if params["public"] else decided_scope(params["include_submitted"])
    states = tuple(params["states"]) if params["states"] is not None else None
    export = Export(cycle, cycle_questionnaire(cycle), scope, states, params["lang"])
    spool = io.BytesIO()
    write_workbook(export, spool)
    return {"result": spool.getvalue(), "result_name": f"{job.params['name']}.xlsx"}


def export_file(job):
    return send_file(io.BytesIO(job.result), mimetype=XLSX_TYPE, as_attachment=True, download_name=job.result_name)
