"""What a country profile, and its key facts, are drawn from: one revision of one response, and
who will read it (``ProfileSource``); and what a public reader may not see (``withheld_ids``),
or may (``ProfileSource.readable_answers``)."""
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from app.questionnaires.schema import Question, Questionnaire


@dataclass(frozen=True)
class ProfileSource:
    """What a profile is drawn from: one revision of one response, and who will read it."""

    questionnaire: Questionnaire
    answers: dict[str, Any]
    locale: str
    state_name: str
    state_code: str
    cycle_name: str
    status: str
    revision_number: int
    revision_date: datetime
    #: Ids of the answers the State marked confidential at this revision.
    confidential: frozenset[str] = field(default_factory=frozenset)
    #: A public profile leaves confidential answers out; the secretariat's shows them, marked.
    public: bool = False

    @cached_property
    def withheld(self) -> set[str]:
        """What the reader may not see: nothing for the secretariat and the State (worked out
        once, for the sections, the key facts and the classifications alike)."""
        return withheld_ids(self.questionnaire, self.confidential) if self.public else set()

    @cached_property
    def readable_answers(self) -> dict[str, Any]:
        """The answers the reader may see: all but those withheld from a public reader."""
        return {qid: value for qid, value in self.answers.items() if qid not in self.withheld}


def _depends_on(questionnaire: Questionnaire, question: Question, ids: set[str]) -> bool:
    """Whether ``question`` is shown or hidden by an answer among ``ids`` (conditions chain)."""
    seen = set()
    while question.condition is not None and question.id not in seen:
        seen.add(question.id)
        if question.condition.question in ids:
            return True
        question = questionnaire.questions[question.condition.question]
    return False


def withheld_ids(questionnaire: Questionnaire, confidential: frozenset[str]) -> set[str]:
    """What a public profile withholds: confidential answers, and the questions shown or hidden
    by one (whether they appear would reveal the withheld answer)."""
    return {qid for qid, question in questionnaire.questions.items()
            if qid in confidential or _depends_on(questionnaire, question, set(confidential))}

