"""The review page as plain data: each section's questions marked changed (since the previous
submission), commented (a comment thread on it, open or resolved) or unanswered, counted per
section for the index at the top, the questions a filter keeps, and the one section the page
shows (``?section=``): a reviewer reads a response a section at a time."""
from dataclasses import dataclass
from typing import Any

from app.questionnaires.answers import is_answered
from app.questionnaires.schema import Question, Questionnaire, Section

#: The filters of the review page (``?show=``); anything else shows every question.
FILTERS = ("changed", "commented", "unanswered")


@dataclass(frozen=True)
class ReviewQuestion:
    question: Question
    changed: bool
    commented: bool
    unanswered: bool
    #: The answer accepted in the earlier cycle, with the question as that cycle asked it; None
    #: when there is none, or the question then took answers of another type.
    earlier_question: Question | None = None
    earlier: Any = None
    #: This cycle's answer (None when unanswered), to compare with the earlier one.
    current: Any = None

    @property
    def has_earlier(self) -> bool:
        return self.earlier_question is not None

    @property
    def changed_since_earlier(self) -> bool:
        """Whether this cycle's answer differs from the earlier one as prefill carries it onto
        this cycle's question (a table: the years both reference periods share)."""
        if not self.has_earlier:
            return False
        carried = self.question.answer_type.carried(self.question, self.earlier) if self.earlier is not None else None
        return carried != self.current

    def matches(self, show: str | None) -> bool:
        return show is None or getattr(self, show)


@dataclass(frozen=True)
class ReviewSection:
    section: Section
    #: Every question that applies under the display conditions, in order.
    questions: tuple[ReviewQuestion, ...]
    #: Those the filter keeps.
    shown: tuple[ReviewQuestion, ...]

    def count(self, mark: str) -> int:
        return sum(1 for q in self.questions if getattr(q, mark))


@dataclass(frozen=True)
class Position:
    """Where the page stands in the review: the section shown, its place, and its neighbours."""
    current: ReviewSection
    number: int
    count: int
    previous: ReviewSection | None
    next: ReviewSection | None


def position(sections: list[ReviewSection], requested: str | None) -> Position:
    """The section asked for; otherwise the first whose questions the filter keeps (or the first)."""
    index = next((i for i, s in enumerate(sections) if s.section.id == requested), None)
    if index is None:
        index = next((i for i, s in enumerate(sections) if s.shown), 0)
    return Position(sections[index], index + 1, len(sections),
                    sections[index - 1] if index > 0 else None,
                    sections[index + 1] if index + 1 < len(sections) else None)


def chosen_filter(value: str | None) -> str | None:
    return value if value in FILTERS else None


def review_sections(questionnaire: Questionnaire, answers: dict[str, Any], changed: frozenset[str],
                    commented: set[str], show: str | None, earlier_questions: dict[str, Question] | None = None,
                    earlier_values: dict[str, Any] | None = None) -> list[ReviewSection]:
    """Every section with its applicable questions marked, and those ``show`` keeps; each beside
    its earlier accepted answer when the earlier cycle asked it with answers of the same type."""
    earlier_questions, earlier_values = earlier_questions or {}, earlier_values or {}
    sections = []
    for section in questionnaire.sections:
        questions = []
        for question in section.questions:
            if not questionnaire.applies(question, answers):
                continue
            value = answers.get(question.id)
            before = earlier_questions.get(question.id)
            comparable = before is not None and before.type == question.type
            questions.append(ReviewQuestion(
                question, question.id in changed, question.id in commented, not is_answered(value),
                before if comparable else None, earlier_values.get(question.id) if comparable else None,
                value if is_answered(value) else None))
        questions = tuple(questions)
        sections.append(ReviewSection(section, questions, tuple(q for q in questions if q.matches(show))))
    return sections


def totals(sections: list[ReviewSection]) -> dict[str, int]:
    """Questions in all sections, and how many of them each filter keeps."""
    counts = {mark: sum(s.count(mark) for s in sections) for mark in FILTERS}
    counts["all"] = sum(len(s.questions) for s in sections)
    return counts
