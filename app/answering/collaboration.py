"""What the overview and section pages show about working together, gathered in one place
so that the routes pass it on in one line: comment threads, who last changed each answer,
the prefill marks, section assignments and who else is editing."""
from flask import current_app
from flask_babel import format_datetime
from flask_babel import gettext as _
from markupsafe import Markup

from app.assignments.operations import assignments_of, ordered_sections
from app.auth.models import User
from app.i18n import isolate
from app.presence.operations import editing_entries, editors
from app.responses.access import ResponseContext
from app.responses.authorship import LastChange, last_changes
from app.responses.prefill import Prefill, prefill_of
from app.review.queries import threads_by_question, threads_for


def _common(ctx: ResponseContext, user: User) -> dict:
    response_id = ctx.response.id if ctx.response else None
    threads = threads_for(response_id) if response_id else []
    return {
        "threads": threads,
        "threads_by_question": threads_by_question(threads),
        "prefill": prefill_of(ctx.response),
        "editing": editing_entries(editors(ctx.cycle.id, ctx.state.code, user)),
        "presence_interval": current_app.config["PRESENCE_POLL_SECONDS"],
    }


def last_change_notes(changes: dict[str, LastChange], prefill: Prefill | None) -> dict[str, Markup]:
    """"Last changed by Amina Diallo on 5 May 2026, 10:12" beside each answer, written once per
    revision (a save changes several answers at once)."""
    by_revision: dict[int, Markup] = {}
    notes = {}
    for question_id, change in changes.items():
        note = by_revision.get(change.revision_number)
        if note is None:
            if change.kind == "create" and prefill:
                note = Markup(_("Prefilled from cycle %(cycle)s")) % {"cycle": prefill.source_cycle.name}
            else:  # as a template's _() would: the translation trusted, the values escaped
                note = Markup(_("Last changed by %(person)s on %(date)s")) % {
                    "person": isolate(change.person), "date": format_datetime(change.at, "medium")}
            by_revision[change.revision_number] = note
        notes[question_id] = note
    return notes


def section_extras(ctx: ResponseContext, user: User) -> dict:
    extras = _common(ctx, user)
    changes = last_changes(ctx.response.id) if ctx.response else {}
    extras["last_changed"] = last_change_notes(changes, extras["prefill"])
    extras["beside"] = set(changes) | set(extras["threads_by_question"]) | \
        (set(extras["prefill"].marks) if extras["prefill"] else set())
    return extras


def overview_extras(ctx: ResponseContext, user: User) -> dict:
    extras = _common(ctx, user)
    extras["section_entries"] = ordered_sections(ctx.questionnaire, assignments_of(ctx.cycle.id, ctx.state.code),
                                                 user)
    return extras
