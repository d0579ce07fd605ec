"""The plain data of a country profile: everything the PDF template needs, and nothing else
(no ORM objects), so the template cannot trigger queries or reach data it was not given."""
from datetime import datetime
from typing import Any

from babel.dates import format_date

from app.questionnaires.answers import format_answer, format_number, is_answered, table_cell
from app.questionnaires.schema import Question, Questionnaire, localized
from app.responses.labels import status_label
from app.i18n import text_direction


def _table(question: Question, value: dict | None, locale: str) -> dict:
    return {
        "columns": [column.text(locale) for column in question.columns],
        "rows": [
            {"label": row.text(locale),
             "cells": ["" if (cell := table_cell(value, row.id, column.id)) is None else format_number(cell, locale)
                       for column in question.columns]}
            for row in question.rows
        ],
    }


def _question(question: Question, answers: dict[str, Any], locale: str) -> dict:
    value = answers.get(question.id)
    answered = is_answered(value)
    return {
        "id": question.id,
        "text": localized(question.text, locale),
        "type": question.type,
        "answered": answered,
        "answer": format_answer(question, value, locale) if answered and question.type != "number_table" else "",
        "paragraphs": value.split("\n\n") if answered and question.type == "long_text" else [],
        "table": _table(question, value, locale) if answered and question.type == "number_table" else None,
        "missing_required": question.required and not answered,
        "sources": list(question.sources),
    }


def build_profile(*, questionnaire: Questionnaire, answers: dict[str, Any], locale: str, state_name: str,
                  state_code: str, cycle_name: str, status: str, revision_number: int,
                  revision_date: datetime) -> dict:
    sections = []
    for section in questionnaire.sections:
        questions = [_question(q, answers, locale) for q in section.questions if questionnaire.applies(q, answers)]
        sections.append({
            "id": section.id,
            "title": localized(section.title, locale),
            "intro": localized(section.intro, locale) if section.intro else "",
            "questions": questions,
        })
    return {
        "locale": locale,
        "dir": text_direction(locale),
        "title": localized(questionnaire.title, locale),
        "state_name": state_name,
        "state_code": state_code,
        "cycle": cycle_name,
        "status": status_label(status),
        "revision": revision_number,
        "revision_date": format_date(revision_date, format="long", locale=locale),
        "sections": sections,
    }
