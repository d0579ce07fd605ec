"""The key facts that open a country profile: ratification, criminalization, victims detected
and persons convicted by year, the national coordinating body and the action plan.

One definition for every reader: ``FACTS`` names the questions each fact is drawn from, and
``facts_shown`` keeps those a reader may see. The public country page (app/public) and the API's
response of a State (app/api) print them with ``key_facts``; the PDF profile's "At a glance" page
(app/reports/glance.py) lists them under their short labels and charts their figures. Call inside
``force_locale(locale)``: labels come from the catalogs as they are read."""
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
    #: The questions it is drawn from, by id, in order, each with the short label the "At a glance"
    #: page lists its answer under (None for figures, which the page charts under ``label``). Ids a
    #: questionnaire lacks are passed over (the starter questionnaire names some otherwise).
    questions: tuple[tuple[str, Any], ...]
    #: The heading the "At a glance" page lists the fact under; None for figures.
    group: Any = None


FACTS = (
    Fact("ratification", _l("Ratification"), (
        ("rat_protocol_status", _l("Trafficking in Persons Protocol")), ("rat_protocol_year", _l("Party since")),
        ("ratification_status", _l("Trafficking in Persons Protocol")), ("ratification_year", _l("Party since")),
        ("rat_convention_status", _l("Organized Crime Convention"))), group=_l("Ratification")),
    Fact("criminalization", _l("Trafficking in persons as a criminal offence"), (
        ("crim_offence", _l("Trafficking in persons is a criminal offence")),
        ("crim_forms", _l("Forms of exploitation covered")),
        ("crim_children", _l("Child trafficking needs no proof of means")),
        ("crim_consent", _l("The victim's consent is irrelevant"))), group=_l("Criminalization")),
    Fact("victims", _l("Victims detected, by year"), (("data_victims_sex_age", None), ("data_victims", None))),
    Fact("convictions", _l("Persons convicted, by year"), (("data_convicted_sex_age", None),)),
    Fact("coordination", _l("National coordinating body"), (
        ("coord_body", _l("National coordinating body")), ("coord_body_name", _l("Name of the body"))),
        group=_l("Coordination")),
    Fact("action_plan", _l("National action plan"), (
        ("coord_plan", _l("National action plan")), ("coord_plan_title", _l("Title of the plan")),
        ("coord_plan_start", _l("First year of the plan")), ("coord_plan_end", _l("Last year of the plan"))),
        group=_l("Coordination")),
)


def _shown(questionnaire: Questionnaire, answers: dict[str, Any], qid: str) -> bool:
    question = questionnaire.questions.get(qid)
    return question is not None and is_answered(answers.get(qid)) and questionnaire.applies(question, answers)


def facts_shown(questionnaire: Questionnaire, answers: dict[str, Any]) -> list[tuple[Fact, list[tuple[Question, Any]]]]:
    """Each fact with the questions it is drawn from that the reader sees (answered, and applying),
    and their short labels. ``answers`` are what the reader may see: a public reader's lack those
    the State withheld (``ProfileSource.readable_answers``, the API's ``visible``)."""
    return [(fact, [(questionnaire.questions[qid], short) for qid, short in fact.questions
                    if _shown(questionnaire, answers, qid)]) for fact in FACTS]


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
    """Each key fact with the answers it is drawn from (see ``facts_shown``): its question, the
    question's number and text, and the answer."""
    return [{"id": fact.id, "label": str(fact.label), "answers": [
        {"question": question.id, "number": question.number, "text": localized(question.text, locale),
         **_answer(question, answers[question.id], locale)} for question, _short in questions]}
        for fact, questions in facts_shown(questionnaire, answers)]
