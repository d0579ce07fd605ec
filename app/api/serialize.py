"""The JSON shapes of the API, described in ``openapi.py``. Answers keep their stored form
(text, number, list of options, table of counts), documented in docs/questionnaire-format.md."""
from app.analysis.dataset import StateAnswers
from app.analysis.derived import DerivedDistribution, state_classes
from app.analysis.distribution import Distribution
from app.analysis.regions import geoscheme
from app.cycles.models import ReportingCycle
from app.questionnaires.schema import Question, Questionnaire, localized
from app.states.names import state_name


def cycle_json(cycle: ReportingCycle) -> dict:
    return {
        "id": cycle.id,
        "name": cycle.name,
        "questionnaire": {"id": cycle.questionnaire_version.code, "version": cycle.questionnaire_version.version},
        "opens_on": cycle.opens_on.isoformat(),
        "closes_on": cycle.closes_on.isoformat(),
        "is_open": cycle.is_open,
        # The years its tables ask for, and whether it asks every question or the core set.
        "reference_period": {"first_year": cycle.first_year, "last_year": cycle.last_year},
        "question_set": cycle.question_set,
    }


def question_json(question: Question, locale: str) -> dict:
    data = {"id": question.id, "section": question.section_id, "type": question.type,
            "text": localized(question.text, locale), "required": question.required}
    data.update(question.answer_type.api_extras(question, locale))
    if question.condition:
        data["show_if"] = {"question": question.condition.question, "in": list(question.condition.values)}
    return data


def questionnaire_json(questionnaire: Questionnaire, locale: str) -> dict:
    return {
        "id": questionnaire.id,
        "version": questionnaire.version,
        "title": localized(questionnaire.title, locale),
        "sections": [{"id": section.id, "title": localized(section.title, locale),
                      "questions": [question_json(question, locale) for question in section.questions]}
                     for section in questionnaire.sections],
        "classifications": [{"id": c.id, "title": localized(c.title, locale),
                             "classes": [{"id": each.id, "label": each.text(locale)} for each in c.all_classes]}
                            for c in questionnaire.classifications],
    }


def response_json(item: StateAnswers, questionnaire: Questionnaire, locale: str) -> dict:
    response = item.response
    return {
        "state": response.state_code,
        "state_name": state_name(response.alpha2, locale),
        "regions": list(geoscheme().paths.get(response.state_code, ())),
        "status": response.status,
        "revision": response.revision,
        "updated_at": response.updated_at.isoformat(),
        "answers": {qid: {"value": answer.value, "revision": answer.revision_number,
                          "confidential": answer.confidential}
                    for qid in questionnaire.questions if (answer := item.answers.get(qid)) is not None},
        # Each derived classification's class, computed from the answers shown above.
        "derived": state_classes(questionnaire, item),
    }


def derived_json(result: DerivedDistribution, statuses: tuple[str, ...], states: list[list[str]]) -> dict:
    """``states``: per class, the codes of its States."""
    return {
        "classification_id": result.classification.id,
        "title": result.title,
        "statuses": list(statuses),
        "states_counted": result.counted,
        "classes": [{"id": each.id, "label": each.label, "count": each.count, "share": round(each.share, 6),
                     "states": codes} for each, codes in zip(result.classes, states)],
    }


def distribution_json(result: Distribution, statuses: tuple[str, ...]) -> dict:
    data = {
        "question_id": result.question.id,
        "type": result.question.type,
        "statuses": list(statuses),
        "states_counted": result.counted,
        "states_answered": len(result.answered),
        "bars": [{"value": bar.value, "label": bar.label, "count": bar.count, "share": round(bar.share, 6),
                  "states": [ref.code for ref in bar.states]} for bar in result.bars],
    }
    if result.numbers:
        numbers = result.numbers
        data["numbers"] = {"count": numbers.count, "min": str(numbers.minimum), "median": str(numbers.median),
                           "max": str(numbers.maximum), "total": str(numbers.total)}
    if result.table:
        table = result.table
        data["table"] = {"rows": [
            {"id": row.id, "label": row.label, "cells": dict(zip(table.column_ids, row.cells)), "total": row.total,
             "states_reporting": [ref.code for ref in row.reporting],
             "states_without_figures": {mark: [ref.code for ref in refs] for mark, refs in row.marked.items()}}
            for row in table.rows
        ]}
    return data
