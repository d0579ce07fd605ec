from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from app.extensions import db
from app.questionnaires.loader import DefinitionError
from app.questionnaires.models import QuestionnaireVersion
from app.questionnaires.operations import latest_versions, load_directory, validate_directory
from app.questionnaires.registry import canonical_json

questionnaires_cli = AppGroup("questionnaires", help="Questionnaire definitions.")

directory_option = click.option(
    "--dir", "directory", type=click.Path(file_okay=False, path_type=Path),
    help="Folder of definitions (default: QUESTIONNAIRE_DIR, i.e. questionnaires/).",
)


def _directory(directory: Path | None) -> Path:
    return directory or Path(current_app.config["QUESTIONNAIRE_DIR"])


@questionnaires_cli.command("validate")
@directory_option
def validate_command(directory):
    """Check every definition; print each problem with its file and question."""
    definitions, problems = validate_directory(_directory(directory))
    for path, canonical in definitions:
        count = sum(len(s["questions"]) for s in canonical["sections"])
        click.echo(f"ok  {path}: {canonical['id']} v{canonical['version']}, {count} questions")
    if problems:
        for problem in problems:
            click.echo(f"error  {problem}", err=True)
        raise click.ClickException(f"{len(problems)} problem(s) found.")


@questionnaires_cli.command("load")
@directory_option
def load_command(directory):
    """Validate and store every definition (new versions are added; nothing half-loads)."""
    try:
        results = load_directory(_directory(directory))
    except DefinitionError as error:
        db.session.rollback()
        for problem in error.problems:
            click.echo(f"error  {problem}", err=True)
        raise click.ClickException("Nothing was loaded.")
    db.session.commit()
    for result in results:
        click.echo(f"{result.status}  {result.code} v{result.version} ({result.path})")


@questionnaires_cli.command("export")
@click.argument("code", required=False)
@click.option("--version", "version_number", type=int, help="Default: the latest version.")
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json")
def export_command(code, version_number, fmt):
    """Print the canonical JSON of a loaded definition; without CODE, list them all."""
    if code is None:
        listing = [{"id": v.code, "version": v.version, "title": v.definition["title"]}
                   for v in db.session.scalars(select(QuestionnaireVersion).order_by(
                       QuestionnaireVersion.code, QuestionnaireVersion.version))]
        click.echo(canonical_json(listing, indent=2))
        return
    query = select(QuestionnaireVersion).filter_by(code=code)
    if version_number is not None:
        version = db.session.scalar(query.filter_by(version=version_number))
    else:
        version = next((v for v in latest_versions() if v.code == code), None)
    if version is None:
        raise click.ClickException(f"No loaded questionnaire {code}" +
                                   (f" v{version_number}" if version_number else "") +
                                   "; run `questionnaires load` first.")
    click.echo(canonical_json(version.definition, indent=2))
