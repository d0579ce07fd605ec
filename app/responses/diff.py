"""What changed between two sets of answers, question by question: plain data for pages (the
comparison of two revisions, what changed since the last submission) and tests.

Each answer type says what changed in its answers (app/questionnaires/types/): tables cell by
cell, law lists entry by entry, multiple choices option by option, texts word by word (each
Chinese or Japanese character counts as a word). Texts stay plain strings: templates escape them."""
from dataclasses import dataclass
from typing import Any

from app.questionnaires.answers import format_answer, is_answered
from app.questionnaires.schema import Question, Questionnaire, Section

# What a diff is made of; pages and tests name them from here.
from app.questionnaires.textdiff import ADDED, CHANGED, REMOVED, SAME, CellChange, ItemChange, Segment, word_diff  # noqa: F401


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


def question_diff(question: Question, old: Any, new: Any, locale: str) -> QuestionDiff:
    """How ``question``'s answer changed from ``old`` to ``new`` (both stored values): both as
    text, and what the question's type says changed (cells, items or words)."""
    return QuestionDiff(question=question, old=old, new=new, old_text=format_answer(question, old, locale),
                        new_text=format_answer(question, new, locale),
                        **question.answer_type.diff(question, old, new, locale))


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
