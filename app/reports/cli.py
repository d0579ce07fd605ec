import os
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from app.cycles.models import ReportingCycle
from app.cycles.operations import current_cycle
from app.extensions import db
from app.reports.bulk import build_profiles, jobs_for_cycle
from app.reports.operations import profile_pdf, published_revision_number
from app.responses.models import Response

reports_cli = AppGroup("reports", help="Country profiles (PDF).")


def _cycle(name: str | None) -> ReportingCycle:
    cycle = db.session.scalar(select(ReportingCycle).filter_by(name=name)) if name else current_cycle()
    if cycle is None:
        raise click.ClickException(f"No reporting cycle {name}." if name else "No reporting cycle exists yet.")
    return cycle


def _languages(lang: str, allow_all: bool) -> list[str]:
    languages = list(current_app.config["LANGUAGES"])
    if allow_all and lang == "all":
        return languages
    if lang not in languages:
        choices = ", ".join(languages + (["all"] if allow_all else []))
        raise click.BadParameter(f"use one of {choices}", param_hint="--lang")
    return [lang]


def _build_one(cycle: ReportingCycle, state_code: str, lang: str, out: Path, public: bool) -> None:
    """One profile: the latest submitted revision, or with ``public`` the published one with the
    confidential answers withheld (as on the public page)."""
    code = state_code.upper()
    response = db.session.scalar(select(Response).where(Response.cycle_id == cycle.id, Response.state_code == code))
    if response is None:
        raise click.ClickException(f"{code} has no response in cycle {cycle.name}.")
    number = published_revision_number(response.id) if public else None
    if public and number is None:
        raise click.ClickException(f"{code} has published nothing in cycle {cycle.name}: there is no public profile "
                                   "to build (without --public, the profile for the secretariat and the State).")
    pdf, _ = profile_pdf(response, _languages(lang, allow_all=False)[0], number, public=public)
    db.session.commit()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(pdf)
    click.echo(f"{out} ({len(pdf)} bytes)")


def _build_all(cycle, languages, out, workers, time_limit, public) -> None:
    jobs = jobs_for_cycle(cycle.id, languages, public)
    db.session.commit()  # end this transaction before the workers are forked
    failures = []
    outcomes = build_profiles(current_app._get_current_object(), jobs, out, workers, time_limit)
    with click.progressbar(outcomes, length=len(jobs), label="Building profiles", file=sys.stderr,
                           item_show_func=lambda o: o and f"{o.job.state_code} {o.job.locale}") as bar:
        for outcome in bar:
            if outcome.error:
                failures.append(outcome)
                line_break = "\n" if sys.stderr.isatty() else ""
                click.echo(f"{line_break}FAILED {outcome.job.state_code} {outcome.job.locale}: {outcome.error}", err=True)
    click.echo(f"{len(jobs) - len(failures)} profile(s) built in {out}; {len(failures)} failed.")
    if failures:
        raise click.exceptions.Exit(1)


@reports_cli.command("build")
@click.option("--state", "state_code", help="Alpha-3 code of one State.")
@click.option("--all", "all_states", is_flag=True, help="Every State that has a response.")
@click.option("--lang", default="en", show_default=True, help="A language, or `all` with --all.")
@click.option("--cycle", "cycle_name", help="Default: the current cycle.")
@click.option("--out", required=True, type=click.Path(path_type=Path),
              help="A PDF file with --state, a folder with --all.")
@click.option("--workers", type=click.IntRange(min=1), default=lambda: os.cpu_count() or 1,
              show_default="the number of cores", help="Worker processes for --all.")
@click.option("--time-limit", type=click.FloatRange(min=0.1), default=120, show_default=True,
              help="Seconds one document may take with --all before it is reported as failed.")
@click.option("--public", is_flag=True, help="The published profiles only (the published revision), confidential "
              "answers withheld, as on the public page.")
def build_command(state_code, all_states, lang, cycle_name, out, workers, time_limit, public):
    """Build country profiles: the latest submitted revision of each response (or the published
    one with --public). Cached profiles are reused; a failure is reported and the rest go on."""
    if bool(state_code) == all_states:
        raise click.UsageError("Give either --state ISO3 or --all.")
    languages = _languages(lang, allow_all=all_states)
    cycle = _cycle(cycle_name)
    if state_code:
        _build_one(cycle, state_code, lang, out, public)
    else:
        _build_all(cycle, languages, out, workers, time_limit, public)
