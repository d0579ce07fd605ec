"""The derived classifications across States (e.g. the coverage of the trafficking offence,
003 §4): each State's class, and how many States fall in each. Built from ``StateAnswers`` like
every other figure, so the dashboard, the exports and the API count the same States."""
from dataclasses import dataclass

from app.analysis.dataset import StateAnswers
from app.questionnaires.derived import Classification, classify
from app.questionnaires.schema import Questionnaire, localized


@dataclass(frozen=True)
class ClassCount:
    id: str
    label: str
    count: int
    #: The share of the States counted.
    share: float


@dataclass(frozen=True)
class DerivedDistribution:
    classification: Classification
    title: str
    counted: int
    classes: list[ClassCount]


def input_questions(questionnaire: Questionnaire) -> list[str]:
    """The questions the classifications read (the only answers their figures need)."""
    return list(dict.fromkeys(qid for c in questionnaire.classifications for qid in c.questions()))


def state_classes(questionnaire: Questionnaire, item: StateAnswers) -> dict[str, str]:
    """Classification id -> the State's class id, from the answers the scope sees."""
    values = {qid: state.value for qid, state in item.answers.items()}
    return {c.id: classify(c, values) for c in questionnaire.classifications}


def derived_distribution(classification: Classification, items: list[StateAnswers], locale: str) -> DerivedDistribution:
    found = [classify(classification, {qid: s.value for qid, s in item.answers.items()}) for item in items]
    counted = len(found)
    classes = [ClassCount(each.id, each.text(locale), found.count(each.id),
                          found.count(each.id) / counted if counted else 0.0) for each in classification.all_classes]
    return DerivedDistribution(classification, localized(classification.title, locale), counted, classes)
