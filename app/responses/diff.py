"""What changed between two sets of answers, question by question: plain data for pages (the
comparison of two revisions, what changed since the last submission) and tests.

Tables are compared cell by cell, law lists entry by entry, multiple choices option by option,
texts word by word (each Chinese or Japanese character counts as a word). Texts stay plain
strings: templates escape them."""
import itertools
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from app.questionnaires.answers import describe_law, format_answer, format_number, is_answered, option_label
from app.questionnaires.schema import Question, Questionnaire, Section

SAME, REMOVED, ADDED, CHANGED = "same", "removed", "added", "changed"
#: A word, a run of spaces, one punctuation mark, or one CJK character (those scripts have no spaces).
TOKEN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]|\w+|\s+|[^\w\s]")
TEXT_TYPES = frozenset({"short_text", "long_text"})
#: How alike two law titles must be (difflib's ratio) to count as one law whose title was corrected.
SIMILAR_TITLES = 0.75


@dataclass(frozen=True)
class Segment:
    """A run of text that both versions share (``same``) or that only one has."""

    kind: str
    text: str


@dataclass(frozen=True)
class CellChange:
    row: str
    column: str
    old: str
    new: str


@dataclass(frozen=True)
class ItemChange:
    """One law of a law list, or one option of a multiple choice, added, removed or changed."""

    kind: str
    old: str = ""
    new: str = ""
    #: For a changed law: its words, marked.
    words: tuple[Segment, ...] = ()


@dataclass(frozen=True)
class QuestionDiff:
    question: Question
    old: Any
    new: Any
    #: Both answers as one line of text in the reader's language ("" when unanswered).
    old_text: str
    new_text: str
    cells: tuple[CellChange, ...] = ()
    items: tuple[ItemChange, ...] = ()
    words: tuple[Segment, ...] = ()

    @property
    def kind(self) -> str:
        return ADDED if self.old is None else REMOVED if self.new is None else CHANGED


def word_diff(old: str, new: str) -> tuple[Segment, ...]:
    """``old`` and ``new`` as runs of shared, removed and added text (in reading order)."""
    a, b = TOKEN.findall(old or ""), TOKEN.findall(new or "")
    segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            _append(segments, SAME, "".join(a[i1:i2]))
            continue
        _append(segments, REMOVED, "".join(a[i1:i2]))
        _append(segments, ADDED, "".join(b[j1:j2]))
    return tuple(segments)


def _append(segments: list[Segment], kind: str, text: str) -> None:
    if not text:
        return
    if segments and segments[-1].kind == kind:
        segments[-1] = Segment(kind, segments[-1].text + text)
    else:
        segments.append(Segment(kind, text))


def _cell_text(value, locale: str) -> str:
    return "" if value is None else format_number(value, locale)


def table_changes(question: Question, old: dict | None, new: dict | None, locale: str) -> tuple[CellChange, ...]:
    """The cells whose figure differs, row by row."""
    old, new = old or {}, new or {}
    return tuple(
        CellChange(row.text(locale), column.text(locale), _cell_text(before, locale), _cell_text(after, locale))
        for row in question.rows for column in question.columns
        if (before := old.get(row.id, {}).get(column.id)) != (after := new.get(row.id, {}).get(column.id))
    )


def _similar(a: dict, b: dict) -> bool:
    """Whether two laws are one law edited (a corrected title) rather than two different laws."""
    return a["title"] == b["title"] or SequenceMatcher(None, a["title"], b["title"]).ratio() >= SIMILAR_TITLES


def law_changes(old: list | None, new: list | None, locale: str) -> tuple[ItemChange, ...]:
    """Laws added, removed or changed; laws are matched by title, in order."""
    old, new = old or [], new or []
    matcher = SequenceMatcher(None, [e["title"] for e in old], [e["title"] for e in new], autojunk=False)
    changes = []
    for _tag, i1, i2, j1, j2 in matcher.get_opcodes():
        pairs = list(itertools.takewhile(lambda pair: _similar(*pair), zip(old[i1:i2], new[j1:j2])))
        for before, after in pairs:
            if before != after:
                a, b = describe_law(before, locale), describe_law(after, locale)
                changes.append(ItemChange(CHANGED, a, b, word_diff(a, b)))
        changes.extend(ItemChange(REMOVED, old=describe_law(e, locale)) for e in old[i1 + len(pairs):i2])
        changes.extend(ItemChange(ADDED, new=describe_law(e, locale)) for e in new[j1 + len(pairs):j2])
    return tuple(changes)


def choice_changes(question: Question, old: list | None, new: list | None, locale: str) -> tuple[ItemChange, ...]:
    """Options ticked or unticked, in the order of the options."""
    old, new = old or [], new or []
    changes = []
    for value in question.option_values:
        label = option_label(question, value, locale)
        if value in old and value not in new:
            changes.append(ItemChange(REMOVED, old=label))
        elif value in new and value not in old:
            changes.append(ItemChange(ADDED, new=label))
    return tuple(changes)


def question_diff(question: Question, old: Any, new: Any, locale: str) -> QuestionDiff:
    """How ``question``'s answer changed from ``old`` to ``new`` (both stored values)."""
    common = dict(question=question, old=old, new=new, old_text=format_answer(question, old, locale),
                  new_text=format_answer(question, new, locale))
    if question.type == "number_table":
        return QuestionDiff(**common, cells=table_changes(question, old, new, locale))
    if question.type == "law_list":
        return QuestionDiff(**common, items=law_changes(old, new, locale))
    if question.type == "multiple_choice":
        return QuestionDiff(**common, items=choice_changes(question, old, new, locale))
    if question.type in TEXT_TYPES:
        return QuestionDiff(**common, words=word_diff(old or "", new or ""))
    return QuestionDiff(**common)


def compare_answers(questionnaire: Questionnaire, old: dict[str, Any], new: dict[str, Any],
                    locale: str) -> list[QuestionDiff]:
    """Every question of ``questionnaire`` whose answer differs between ``old`` and ``new``
    (answers by question id, as ``operations.answers_at`` gives them), in questionnaire order."""
    diffs = []
    for section in questionnaire.sections:
        for question in section.questions:
            before, after = old.get(question.id), new.get(question.id)
            before, after = (before if is_answered(before) else None), (after if is_answered(after) else None)
            if before != after:
                diffs.append(question_diff(question, before, after, locale))
    return diffs


def mark_changes(questionnaire: Questionnaire, old: set[str], new: set[str]) -> list[tuple[Question, bool]]:
    """The questions whose confidentiality mark differs between ``old`` and ``new`` (the ids
    marked, as ``operations.confidential_of`` gives them), in questionnaire order, each with
    whether it is marked in ``new``."""
    return [(question, qid in new) for qid, question in questionnaire.questions.items() if (qid in old) != (qid in new)]


def by_section(questionnaire: Questionnaire, diffs: list[QuestionDiff]) -> list[tuple[Section, list[QuestionDiff]]]:
    """``diffs`` grouped by section, in questionnaire order: [(section, diffs), ...]."""
    grouped = {}
    for diff in diffs:
        grouped.setdefault(diff.question.section_id, []).append(diff)
    return [(section, grouped[section.id]) for section in questionnaire.sections if section.id in grouped]
