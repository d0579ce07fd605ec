"""The review page as plain data: each section's questions marked changed (since the previous
submission), commented (a comment thread on it, open or resolved) or unanswered, counted per
section for the index at the top, and the questions a filter keeps."""
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


def chosen_filter(value: str | None) -> str | None:
    return value if value in FILTERS else None


def review_sections(questionnaire: Questionnaire, answers: dict[str, Any], changed: frozenset[str],
                    commented: set[str], show: str | None) -> list[ReviewSection]:
    """Every section with its applicable questions marked, and those ``show`` keeps."""
    sections = []
    for section in questionnaire.sections:
        questions = tuple(
            ReviewQuestion(question, question.id in changed, question.id in commented,
                           not is_answered(answers.get(question.id)))
            for question in section.questions if questionnaire.applies(question, answers))
        sections.append(ReviewSection(section, questions, tuple(q for q in questions if q.matches(show))))
    return sections


def totals(sections: list[ReviewSection]) -> dict[str, int]:
    """Questions in all sections, and how many of them each filter keeps."""
    counts = {mark: sum(s.count(mark) for s in sections) for mark in FILTERS}
    counts["all"] = sum(len(s.questions) for s in sections)
    return counts
