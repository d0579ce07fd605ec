"""The answer types of questionnaires, one module each. A question's ``answer_type`` is one of
these objects (app/questionnaires/types/base.py says what a type does); adding a type is
writing one module and listing it here."""
from app.questionnaires.types import (
    date,
    decimal,
    integer,
    law_list,
    long_text,
    multiple_choice,
    number_table,
    short_text,
    single_choice,
    year,
    yes_no,
    yes_no_partly,
)
from app.questionnaires.types.base import AnswerType

TYPES: dict[str, AnswerType] = {module.TYPE.name: module.TYPE for module in (
    yes_no, yes_no_partly, single_choice, multiple_choice, short_text, long_text, integer, decimal, year, date,
    number_table, law_list)}


def answer_type(name: str) -> AnswerType | None:
    return TYPES.get(name)
