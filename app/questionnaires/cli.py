from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from app.extensions import db
from app.questionnaires.coverage import TIP_REQUIRED, as_markdown, coverage, required_paragraphs
from app.questionnaires.loader import DefinitionError
from app.questionnaires.models import QuestionnaireVersion
from app.questionnaires.operations import latest_versions, load_directory, validate_directory
from app.questionnaires.versions import canonical_json, questionnaire_for

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
    for path, questionnaire in definitions:
        click.echo(f"ok  {path}: {questionnaire.id} v{questionnaire.version}, {len(questionnaire.questions)} questions")
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
        listing = [{"id": v.code, "version": v.version, "title": questionnaire_for(v).title}
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


@questionnaires_cli.command("coverage")
@click.argument("code", required=False)
@directory_option
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True)
@click.option("--require", "required", multiple=True, metavar="PARAGRAPHS",
              help="Paragraphs that must be covered, e.g. '000 §3-24' or 'Protocol art. 5-13' (repeatable; "
                   "default: those of the TIP Protocol questionnaire).")
@click.option("--strict", is_flag=True, help="Exit with status 1 when a required paragraph is not covered.")
def coverage_command(code, directory, fmt, required, strict):
    """Map each cited paragraph to the questions citing it; list required paragraphs not covered.

    Reads the definition files (CODE: one definition's id; default: all of them)."""
    definitions, problems = validate_directory(_directory(directory))
    chosen = [questionnaire for _, questionnaire in definitions if code in (None, questionnaire.id)]
    if problems and (code is None or not chosen):
        for problem in problems:
            click.echo(f"error  {problem}", err=True)
        raise click.ClickException("Fix the definitions first (see questionnaires validate).")
    if not chosen:
        raise click.ClickException(f"No questionnaire definition with id {code}.")
    try:
        paragraphs = required_paragraphs(required or TIP_REQUIRED)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--require")
    reports = [coverage(questionnaire, paragraphs) for questionnaire in chosen]
    if fmt == "json":
        data = [report.as_json() for report in reports]
        click.echo(canonical_json(data[0] if code else data, indent=2))
    else:
        click.echo("\n".join(as_markdown(report) for report in reports), nl=False)
    uncovered = sum(len(report.uncovered) for report in reports)
    if strict and uncovered:
        raise click.ClickException(f"{uncovered} required paragraph(s) not covered.")
