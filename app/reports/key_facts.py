"""The key facts that open a country profile: ratification, criminalization, victims detected
and persons convicted by year, the national coordinating body and the action plan.

One plain function for every reader: the public country page (app/public) and the API's
response of a State (app/api) both draw them from ``key_facts``, given the answers their
audience may see, so the two cannot disagree. Call inside ``force_locale(locale)``: choice
labels come from the catalogs as they are read."""
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from app.questionnaires.answers import is_answered
from app.questionnaires.schema import Question, Questionnaire, localized
from app.questionnaires.writing import writing_direction


@dataclass(frozen=True)
class Fact:
    id: str
    label: Any
    #: The questions it is drawn from, by id, in order; ids a questionnaire lacks are passed
    #: over (the starter questionnaire names its ratification and victims questions otherwise).
    questions: tuple[str, ...]


FACTS = (
    Fact("ratification", _l("Ratification of the Protocol"),
         ("rat_protocol_status", "rat_protocol_year", "ratification_status", "ratification_year")),
    Fact("criminalization", _l("Trafficking in persons as a criminal offence"), ("crim_offence", "crim_forms")),
    Fact("victims", _l("Victims detected, by year"), ("data_victims_sex_age", "data_victims")),
    Fact("convictions", _l("Persons convicted, by year"), ("data_convicted_sex_age",)),
    Fact("coordination", _l("National coordinating body"), ("coord_body", "coord_body_name")),
    Fact("action_plan", _l("National action plan"),
         ("coord_plan", "coord_plan_title", "coord_plan_start", "coord_plan_end")),
)


def question_numbers(questionnaire: Questionnaire) -> dict[str, str]:
    """Each question's number as profiles print it: section, then place in the section ("2.1")."""
    return {question.id: f"{s}.{q}" for s, section in enumerate(questionnaire.sections, start=1)
            for q, question in enumerate(section.questions, start=1)}


def _answer(question: Question, value: Any, locale: str) -> dict:
    """Figures over years as (year, total) pairs; any other answer as its type prints it."""
    years = question.answer_type.year_totals(question, value)
    if years is not None:
        return {"kind": "years", "years": [{"year": year, "total": total} for year, total in years]}
    answer = question.answer_type.pdf(question, value, locale)
    if answer["kind"] == "text":
        answer["dir"] = writing_direction(answer["answer"])
    return answer


def key_facts(questionnaire: Questionnaire, answers: dict[str, Any], locale: str) -> list[dict]:
    """Each key fact with the answers it is drawn from (only those answered that apply): its
    question, the question's number and text, and the answer. ``answers`` are what the reader
    may see (a public reader: without the answers the State marked confidential)."""
    numbers = question_numbers(questionnaire)
    facts = []
    for fact in FACTS:
        shown = [questionnaire.questions[qid] for qid in fact.questions if qid in questionnaire.questions
                 and is_answered(answers.get(qid)) and questionnaire.applies(questionnaire.questions[qid], answers)]
        facts.append({"id": fact.id, "label": str(fact.label), "answers": [
            {"question": question.id, "number": numbers[question.id], "text": localized(question.text, locale),
             **_answer(question, answers[question.id], locale)} for question in shown]})
    return facts
