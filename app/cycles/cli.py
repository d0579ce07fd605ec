from datetime import date

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.cycles.operations import CycleError, open_cycle
from app.extensions import db
from app.questionnaires.models import QuestionnaireVersion
from app.questionnaires.operations import latest_versions
from app.questionnaires.scope import DEFAULT_SCOPE, Scope

cycles_cli = AppGroup("cycles", help="Reporting cycles.")


@cycles_cli.command("open")
@click.option("--name", required=True, help="e.g. 2026")
@click.option("--questionnaire", "code", required=True, help="Questionnaire id.")
@click.option("--version", "version_number", type=int, help="Default: the latest loaded version.")
@click.option("--deadline", type=click.DateTime(["%Y-%m-%d"]), required=True)
@click.option("--first-year", type=int, default=DEFAULT_SCOPE.first_year, show_default=True,
              help="First year of the reference period (the tables' year rows).")
@click.option("--last-year", type=int, default=DEFAULT_SCOPE.last_year, show_default=True,
              help="Last year of the reference period.")
@click.option("--core", "core", is_flag=True, help="Ask only the questions the definition marks as core.")
def open_command(name, code, version_number, deadline, first_year, last_year, core):
    """Open a reporting cycle for a questionnaire version."""
    if version_number is None:
        version = next((v for v in latest_versions() if v.code == code), None)
    else:
        version = db.session.scalar(select(QuestionnaireVersion).filter_by(code=code, version=version_number))
    if version is None:
        raise click.ClickException(f"No loaded questionnaire {code}; run `questionnaires load` first.")
    try:
        cycle = open_cycle(name, version, date.today(), deadline.date(),
                           scope=Scope(first_year, last_year, "core" if core else "full"))
    except CycleError as error:
        raise click.ClickException(str(error))
    db.session.commit()
    click.echo(f"Opened cycle {cycle.name}: {code} v{version.version}, deadline {cycle.closes_on}, "
               f"years {cycle.first_year}-{cycle.last_year}, {cycle.question_set} questionnaire.")
