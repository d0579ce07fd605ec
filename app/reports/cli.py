from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from app.cycles.models import ReportingCycle
from app.cycles.operations import current_cycle
from app.extensions import db
from app.reports.operations import profile_filename, profile_pdf
from app.responses.models import Response

reports_cli = AppGroup("reports", help="Country profiles (PDF).")


def _cycle(name: str | None) -> ReportingCycle:
    cycle = db.session.scalar(select(ReportingCycle).filter_by(name=name)) if name else current_cycle()
    if cycle is None:
        raise click.ClickException(f"No reporting cycle {name}." if name else "No reporting cycle exists yet.")
    return cycle


@reports_cli.command("build")
@click.option("--state", "state_code", help="Alpha-3 code of one State.")
@click.option("--all", "all_states", is_flag=True, help="Every State that has a response.")
@click.option("--lang", default="en", show_default=True)
@click.option("--cycle", "cycle_name", help="Default: the current cycle.")
@click.option("--out", required=True, type=click.Path(path_type=Path),
              help="A PDF file with --state, a folder with --all.")
def build_command(state_code, all_states, lang, cycle_name, out):
    """Build country profiles from the latest revision of each response."""
    if bool(state_code) == all_states:
        raise click.UsageError("Give either --state ISO3 or --all.")
    if lang not in current_app.config["LANGUAGES"]:
        raise click.BadParameter(f"use one of {', '.join(current_app.config['LANGUAGES'])}", param_hint="--lang")
    cycle = _cycle(cycle_name)
    query = select(Response).where(Response.cycle_id == cycle.id).order_by(Response.state_code)
    if state_code:
        response = db.session.scalar(query.where(Response.state_code == state_code.upper()))
        if response is None:
            raise click.ClickException(f"{state_code.upper()} has no response in cycle {cycle.name}.")
        pdf, _ = profile_pdf(response, lang, response.revision_count)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(pdf)
        click.echo(f"{out} ({len(pdf)} bytes)")
        return
    out.mkdir(parents=True, exist_ok=True)
    responses = list(db.session.scalars(query))
    for response in responses:
        pdf, number = profile_pdf(response, lang, response.revision_count)
        path = out / profile_filename(response, number, lang)
        path.write_bytes(pdf)
        click.echo(f"{path} ({len(pdf)} bytes)")
    click.echo(f"{len(responses)} profile(s) built in {out}.")
