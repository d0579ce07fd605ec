"""From uploaded workbooks to one revision: the plan of an import (the answers that would change,
checked by their answer types as a posted form is, and the problems found), the conflicts with
answers changed on the platform since a workbook was downloaded, and the import itself. An
empty answer in a workbook never erases a stored one; an answer the workbook leaves as it was
downloaded never overwrites a newer one."""
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from app.questionnaires.answers import AnswerError, is_answered
from app.responses import merge
from app.responses import operations as ops
from app.workbooks.reading import WorkbookRead


@dataclass
class Plan:
    files: list[str]
    #: The new answer of each question that would change, and the file it comes from.
    values: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    #: The revision each answer stood at when its workbook was downloaded.
    loaded: dict[str, int] = field(default_factory=dict)
    #: (file, question id, messages): answers that cannot be imported as given.
    problems: list[tuple[str, str, list[str]]] = field(default_factory=list)

    def payload(self) -> dict:
        return {"files": self.files, "values": self.values, "sources": self.sources, "loaded": self.loaded}

    @classmethod
    def from_payload(cls, data: dict) -> "Plan":
        return cls(list(data["files"]), dict(data["values"]), dict(data["sources"]),
                   {qid: int(n) for qid, n in data["loaded"].items()})


def _normal(value: Any) -> Any:
    return value if is_answered(value) else None


def _take(plan: Plan, read: WorkbookRead, question, value) -> None:
    qid = question.id
    if qid in plan.values and plan.values[qid] != value:
        plan.problems.append((read.filename, qid, [_("This answer differs from the one in %(file)s, which is kept.",
                                                     file=plan.sources[qid])]))
    elif qid not in plan.values:
        plan.values[qid], plan.sources[qid], plan.loaded[qid] = value, read.filename, read.loaded.get(qid, 0)


def plan_import(questionnaire, reads: list[WorkbookRead], states: dict) -> Plan:
    """What importing ``reads`` would change in the answers ``states`` (question id -> AnswerState).
    Each workbook is read in the language it was downloaded in, whatever the importer's now."""
    plan = Plan([read.filename for read in reads])
    for read in reads:
        for section in questionnaire.sections:
            for question in section.questions:
                cells = read.cells.get(question.id)
                current = states[question.id].value if question.id in states else None
                raw = question.answer_type.workbook_raw(question, cells, read.locale, current) if cells else None
                if raw is None:
                    continue
                try:
                    value = _normal(question.answer_type.parse(question, raw))
                except AnswerError as error:
                    plan.problems.append((read.filename, question.id, error.messages))
                    continue
                if value is not None and value != current:
                    _take(plan, read, question, value)
    return plan


def drop_unchanged_since_download(response, plan: Plan, states: dict) -> None:
    """Leave out the answers a workbook holds as they were downloaded, changed on the platform
    since: the newer answer is kept, as the editor keeps it."""
    stale = {qid for qid in plan.values if qid in states and states[qid].revision_number > plan.loaded[qid]}
    if response is None or not stale:
        return
    _conflicting, kept = merge.classify_edits(response.id, states, {qid: plan.values[qid] for qid in stale},
                                              plan.loaded)
    for qid in kept:
        del plan.values[qid], plan.sources[qid], plan.loaded[qid]


def conflicts(response, plan: Plan, states: dict) -> list[merge.Conflict]:
    """The answers changed both on the platform since the download and in the workbook."""
    if response is None:
        return []
    values = {qid: value for qid, value in plan.values.items() if qid in states}
    conflicting, _kept = merge.classify_edits(response.id, states, values, plan.loaded)
    authors = merge.revisions_of(response.id, {states[qid].revision_number for qid in conflicting})
    return [merge.Conflict(qid, plan.values[qid], states[qid], authors[states[qid].revision_number])
            for qid in sorted(conflicting)]


def import_plan(ctx, user, plan: Plan, keep_theirs: set[str], seen: dict[str, int],
                current: dict | None = None) -> merge.SaveOutcome:
    """Store the plan as one revision noted with its files; ``seen``: the revision of each
    conflicting answer the importer chose to overwrite; ``current``: the answers read under the
    response's lock (``merge.locked_states``). Flushes; the caller commits. Raises
    ``ops.ResponseLocked`` when the response is not editable."""
    imported_from = ", ".join(plan.files)[:1000]
    if ctx.response is None:
        revision = ops.create_response(ctx.state, ctx.cycle, user, plan.values, imported_from=imported_from)
        return merge.SaveOutcome(revision, set(plan.values))
    loaded = {**plan.loaded, **{qid: number for qid, number in seen.items() if qid in plan.loaded}}
    return merge.save_edits(ctx.response, user, plan.values, loaded, keep_theirs=frozenset(keep_theirs),
                            current=current, imported_from=imported_from)
