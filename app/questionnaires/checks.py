"""Consistency of number tables: totals that must equal their parts, and the definition's
statistical ``checks``.

Findings are computed from the answers whenever they are needed (section page, submission),
never stored: a draft save keeps whatever was typed and the page flags it. A finding's
``fingerprint`` names the check and the exact figures it is about, so a respondent's
confirmation of a warning holds only as long as those figures do not change.
"""
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from app.questionnaires.answers import format_number, is_answered, table_cell
from app.questionnaires.consistency import broken
from app.questionnaires.derived import classify
from app.questionnaires.schema import COMPARING_KINDS, Check, Question, Questionnaire, localized

ERROR, WARNING = "error", "warning"
#: At most this many cells are named in one finding; the rest are counted.
CELLS_SHOWN = 8
#: A year-on-year change smaller than this many persons (cases...) is never flagged, whatever its
#: ratio: small counts vary widely by chance (1 -> 4 is four times as many, and says nothing).
SMALL_CHANGE = 10


@dataclass(frozen=True)
class Finding:
    question_id: str
    level: str  # ERROR blocks submission; WARNING needs the respondent's confirmation
    message: str
    #: The cells concerned, e.g. "2023, Women: 40 in 2022, 300 in 2023".
    cells: tuple[str, ...]
    #: Identifies the check and the figures it is about (see the module docstring).
    fingerprint: str
    #: A consistency rule across questions (its cells name questions), not a table's figures.
    about_answers: bool = False

    @property
    def shown_cells(self) -> tuple[str, ...]:
        return self.cells[:CELLS_SHOWN]

    @property
    def more_cells(self) -> int:
        return max(0, len(self.cells) - CELLS_SHOWN)


def _fingerprint(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8")).hexdigest()


def _total_cells(question: Question):
    """Each cell of a total row or column, with the cells of its parts: (row, column, parts)."""
    for column in question.columns:
        for row in question.rows if column.total_of else ():
            yield row, column, [(row.id, part) for part in column.total_of]
    for row in question.rows:
        for column in question.columns if row.total_of else ():
            yield row, column, [(part, column.id) for part in row.total_of]


def _sum_mismatches(question: Question, value: dict, locale: str) -> list[str]:
    """Totals that differ from the sum of their parts. A total with some parts left empty is
    wrong only when the parts given already exceed it."""
    cells = []
    for row, column, parts in _total_cells(question):
        given = table_cell(value, row.id, column.id)
        known = [cell for cell in (table_cell(value, *part) for part in parts) if cell is not None]
        if given is None or not known:
            continue
        if sum(known) > given or (len(known) == len(parts) and sum(known) != given):
            cells.append(_("%(row)s, %(column)s: %(total)s, but its parts add up to %(sum)s",
                           row=row.text(locale), column=column.text(locale),
                           total=format_number(given, locale), sum=format_number(sum(known), locale)))
    return cells


def _more_than(question: Question, value: dict, limit: dict, locale: str) -> list[str]:
    cells = []
    for row in question.rows:
        for column in question.columns:
            mine, theirs = table_cell(value, row.id, column.id), table_cell(limit, row.id, column.id)
            if mine is not None and theirs is not None and mine > theirs:
                cells.append(_("%(row)s, %(column)s: %(value)s, more than %(limit)s",
                               row=row.text(locale), column=column.text(locale),
                               value=format_number(mine, locale), limit=format_number(theirs, locale)))
    return cells


def _other_totals(question: Question, value: dict, other: Question, other_value: dict, locale: str) -> list[str]:
    """Rows whose total differs from the total of the same row of ``other`` (e.g. victims
    counted by sex and age, and by form of exploitation, in one year)."""
    cells = []
    for row in question.rows:
        mine = table_cell(value, row.id, question.total_column.id)
        theirs = table_cell(other_value, row.id, other.total_column.id)
        if mine is not None and theirs is not None and mine != theirs:
            cells.append(_("%(row)s: %(value)s in this table, %(other)s in the other",
                           row=row.text(locale), value=format_number(mine, locale), other=format_number(theirs, locale)))
    return cells


def _jumps(question: Question, value: dict, factor: float, locale: str) -> list[str]:
    """Cells that change by more than ``factor`` times from one year (row) to the next, and by at
    least ``SMALL_CHANGE``; a change from or to zero has no ratio and is not flagged."""
    cells = []
    for before, after in zip(question.rows, question.rows[1:]):
        for column in question.columns:
            old, new = table_cell(value, before.id, column.id), table_cell(value, after.id, column.id)
            if old and new and abs(new - old) >= SMALL_CHANGE and max(old, new) / min(old, new) > factor:
                cells.append(_("%(column)s: %(before)s in %(year_before)s, %(after)s in %(year)s",
                               column=column.text(locale), before=format_number(old, locale),
                               year_before=before.text(locale), after=format_number(new, locale),
                               year=after.text(locale)))
    return cells


def _check_finding(questionnaire: Questionnaire, question: Question, index: int, check: Check,
                   answers: dict, locale: str) -> Finding | None:
    value = answers.get(question.id)
    other = questionnaire.questions[check.question] if check.kind in COMPARING_KINDS else None
    limit = answers.get(other.id) if other else None
    if other and (not is_answered(limit) or not questionnaire.applies(other, answers)):
        return None
    if check.kind == "not_more_than":
        cells = _more_than(question, value, limit, locale)
        default = _("Some figures are larger than the matching figures of “%(other)s”.",
                    other=localized(other.text, locale))
    elif check.kind == "same_totals":
        cells = _other_totals(question, value, other, limit, locale)
        default = _("Some totals differ from the totals of “%(other)s”.", other=localized(other.text, locale))
    else:
        cells = _jumps(question, value, check.factor, locale)
        default = _("Some figures change by more than %(factor)s times from one year to the next.",
                    factor=format_number(check.factor, locale))
    if not cells:
        return None
    message = localized(check.message, locale) if check.message else default
    return Finding(question.id, check.level, message, tuple(cells),
                   _fingerprint(question.id, index, check.kind, value, limit))


def question_findings(questionnaire: Questionnaire, question: Question, answers: dict[str, Any],
                      locale: str) -> list[Finding]:
    """Problems with one answered table: sums first (always errors), then the definition's checks."""
    value = answers.get(question.id)
    if not question.rows or not is_answered(value):  # only tables have rows
        return []
    findings = []
    mismatches = _sum_mismatches(question, value, locale)
    if mismatches:
        findings.append(Finding(question.id, ERROR, _("Each total must equal the sum of its parts."),
                                tuple(mismatches), _fingerprint(question.id, "total_of", value)))
    for index, check in enumerate(question.checks):
        finding = _check_finding(questionnaire, question, index, check, answers, locale)
        if finding is not None:
            findings.append(finding)
    return findings


def judged_answers(questionnaire: Questionnaire, answers: dict[str, Any]) -> dict[str, Any]:
    """What rules read: the answers of the questions that apply, and each derived
    classification's class under its id."""
    applying = {qid: value for qid, value in answers.items()
                if qid in questionnaire.questions and questionnaire.applies(questionnaire.questions[qid], answers)}
    return {**applying, **{c.id: classify(c, applying) for c in questionnaire.classifications}}


def _question_line(questionnaire: Questionnaire, qid: str, locale: str) -> str | None:
    question = questionnaire.questions.get(qid)
    return f"{question.number} {localized(question.text, locale)}" if question else None


def rule_findings(questionnaire: Questionnaire, question: Question, judged: dict[str, Any],
                  locale: str) -> list[Finding]:
    """The consistency rules shown beside ``question`` that the answers break; each names the
    questions it reads."""
    findings = []
    for rule in questionnaire.consistency:
        if rule.question != question.id or not broken(rule, judged, questionnaire.scope):
            continue
        lines = [_question_line(questionnaire, qid, locale) for qid in rule.questions()]
        findings.append(Finding(question.id, rule.level, localized(rule.message, locale),
                                tuple(line for line in lines if line),
                                _fingerprint("rule", rule.id, [judged.get(qid) for qid in rule.questions()]),
                                about_answers=True))
    return findings


def findings_by_question(questionnaire: Questionnaire, questions, answers: dict[str, Any],
                         locale: str) -> dict[str, list[Finding]]:
    """Findings of the given questions that apply, keyed by question id (questions without any
    are left out): their tables' checks, then the consistency rules shown beside them."""
    found = {}
    judged = judged_answers(questionnaire, answers) if questionnaire.consistency else {}
    for question in questions:
        if questionnaire.applies(question, answers):
            findings = question_findings(questionnaire, question, answers, locale)
            if questionnaire.consistency:
                findings += rule_findings(questionnaire, question, judged, locale)
            if findings:
                found[question.id] = findings
    return found


def blocking_findings(questionnaire: Questionnaire, answers: dict[str, Any], confirmed: set[str],
                      locale: str) -> list[tuple[Question, Finding]]:
    """What stops a submission: every error, and every warning not confirmed for its figures."""
    return [
        (questionnaire.questions[qid], finding)
        for section in questionnaire.sections
        for qid, findings in findings_by_question(questionnaire, section.questions, answers, locale).items()
        for finding in findings
        if finding.level == ERROR or finding.fingerprint not in confirmed
    ]

