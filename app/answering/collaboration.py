"""What the overview and section pages show about working together, gathered in one place
so that the routes pass it on in one line: comment threads, who last changed each answer,
the prefill marks, section assignments and who else is editing."""
from flask import current_app

from app.assignments.operations import assignments_of, ordered_sections
from app.auth.models import User
from app.responses.prefill import prefill_of
from app.presence.operations import editing_entries, editors
from app.responses.access import ResponseContext
from app.responses.authorship import last_changes
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


def section_extras(ctx: ResponseContext, user: User) -> dict:
    extras = _common(ctx, user)
    extras["last_changes"] = last_changes(ctx.response.id) if ctx.response else {}
    return extras


def overview_extras(ctx: ResponseContext, user: User) -> dict:
    extras = _common(ctx, user)
    extras["section_entries"] = ordered_sections(ctx.questionnaire, assignments_of(ctx.cycle.id, ctx.state.code),
                                                 user)
    return extras
