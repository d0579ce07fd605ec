"""The definition's rule language: conditions on answers, read (and checked) from the YAML and
judged by one plain function, ``holds``. Derived classifications (derived.py) and consistency
rules across questions (consistency.py) are written in it; docs/questionnaire-format.md §13
describes it for authors.

A condition is judged in three values: True, False, or None when it depends on an answer not
given (or on a question that does not apply). ``all`` is False as soon as one part is False,
``any`` True as soon as one part is True; otherwise an unknown part leaves them unknown. So a
rule can decide on the answers given even when others are missing, and says so when it cannot.

A number may also be compared with a year of the cycle's reference period, ``{period:
first_year}`` or ``{period: last_year}``: the cycle gives it (``period``, a scope.Scope); a rule
judged without a cycle (a classification, which must not depend on it) finds it unknown.
"""
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from app.questionnaires.types.marks import MARKS
from app.questionnaires.validation import Checker, scalar

#: Operators comparing a question's answer with values the rule gives.
CHOICE_OPERATORS = ("equals", "in", "contains", "contains_all", "contains_any", "equals_set")
#: Operators comparing a number (an answer, a table cell or a table's column total) with a
#: number or with another such operand.
NUMBER_OPERATORS = ("more_than", "at_least", "less_than", "at_most")
OPERATORS = CHOICE_OPERATORS + NUMBER_OPERATORS + ("answered", "differs_from_sum_of")
COMBINATORS = ("all", "any", "not")
OPERAND_KEYS = {"question", "row", "column"}
#: The years of the cycle's reference period a number may be compared with.
PERIOD_BOUNDS = ("first_year", "last_year")


@dataclass(frozen=True)
class Operand:
    """An answer, or a number read from a table: one cell (``row`` and ``column``), a column
    summed over the rows (``column``), or a row summed over the columns (``row``)."""

    question: str
    row: str | None = None
    column: str | None = None

    def value(self, answers: dict) -> Any:
        answer = answers.get(self.question)
        if self.row is None and self.column is None:
            return answer
        if not isinstance(answer, dict):
            return None
        if self.row is not None and self.column is not None:
            return (answer.get(self.row) or {}).get(self.column)
        if self.column is not None:
            cells = [row.get(self.column) for row in answer.values() if isinstance(row, dict)]
        else:
            cells = list((answer.get(self.row) or {}).values())
        cells = [cell for cell in cells if cell is not None]
        return sum(cells) if cells else None


@dataclass(frozen=True)
class PeriodYear:
    """The first or the last year of the reference period of the cycle the answers belong to."""

    bound: str

    def value(self, period) -> int | None:
        return getattr(period, self.bound) if period is not None else None


@dataclass(frozen=True)
class Rule:
    """One condition: ``combinator`` with ``parts``, or ``operator`` on ``operand`` with
    ``argument`` (values, a number, a boolean, an Operand, a PeriodYear, or the questions to
    add up)."""

    combinator: str | None = None
    parts: tuple["Rule", ...] = ()
    operator: str | None = None
    operand: Operand | None = None
    argument: Any = None

    def questions(self) -> list[str]:
        """Every question the condition reads, in the order written."""
        found = []
        if self.operand is not None:
            found.append(self.operand.question)
        if isinstance(self.argument, Operand):
            found.append(self.argument.question)
        if self.operator == "differs_from_sum_of":
            found.extend(self.argument)
        for part in self.parts:
            found.extend(part.questions())
        return list(dict.fromkeys(found))


def reads_period(rule: Rule) -> bool:
    """Whether the condition compares with a year of the cycle's reference period."""
    return isinstance(rule.argument, PeriodYear) or any(reads_period(part) for part in rule.parts)


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def _chosen(value: Any) -> set:
    return set(_as_list(value)) if value is not None else set()


def _compare(operator: str, left, right) -> bool:
    return {"more_than": left > right, "at_least": left >= right,
            "less_than": left < right, "at_most": left <= right}[operator]


def _number(value: Any):
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return value
    try:
        return float(str(value))
    except ValueError:
        return None


def _cells_differ(answers: dict, total: str, parts: tuple[str, ...]) -> bool | None:
    """Whether some cell of table ``total`` differs from the sum of the same cell of ``parts``
    (a part left empty counts 0; cells none of the parts fill are not compared)."""
    whole = answers.get(total)
    tables = [answers.get(part) for part in parts if isinstance(answers.get(part), dict)]
    if not isinstance(whole, dict) or not tables:
        return None
    for row, cells in whole.items():
        if row == MARKS or not isinstance(cells, dict):  # a mark of "no figures" is no row of figures
            continue
        for column, value in cells.items():
            given = [(table.get(row) or {}).get(column) for table in tables]
            given = [cell for cell in given if isinstance(cell, int)]
            if isinstance(value, int) and given and sum(given) != value:
                return True
    return False


def _other(argument, answers: dict, period):
    if isinstance(argument, Operand):
        return argument.value(answers)
    if isinstance(argument, PeriodYear):
        return argument.value(period)
    return argument


def _judge(rule: Rule, answers: dict, period) -> bool | None:
    operator, value = rule.operator, rule.operand.value(answers)
    if operator == "answered":
        return (value not in (None, "", [], {})) == rule.argument
    if operator == "differs_from_sum_of":
        return _cells_differ(answers, rule.operand.question, rule.argument)
    if value in (None, "", [], {}):
        return None
    if operator in NUMBER_OPERATORS:
        left, right = _number(value), _number(_other(rule.argument, answers, period))
        return None if left is None or right is None else _compare(operator, left, right)
    chosen, wanted = _chosen(value), set(rule.argument)
    return {"equals": chosen == wanted, "in": bool(chosen & wanted),
            "contains": wanted <= chosen, "contains_all": wanted <= chosen,
            "contains_any": bool(wanted & chosen), "equals_set": chosen == wanted}[operator]


def holds(rule: Rule, answers: dict, period=None) -> bool | None:
    """True, False, or None (unknown): see the module docstring. ``answers`` holds only the
    answers of questions that apply; ``period`` is the cycle's reference period, if any."""
    if rule.combinator == "not":
        inner = holds(rule.parts[0], answers, period)
        return None if inner is None else not inner
    if rule.combinator in ("all", "any"):
        decisive = rule.combinator == "any"
        results = [holds(part, answers, period) for part in rule.parts]
        if decisive in results:
            return decisive
        return None if None in results else not decisive
    return _judge(rule, answers, period)


# Reading rules from a definition --------------------------------------------------------------

def _operand(check: Checker, raw: Any, where: str) -> Operand | None:
    if not isinstance(raw, dict) or "question" not in raw or set(raw) - OPERAND_KEYS:
        check.problem(where, _("a value to compare with is a number or {question, row, column}."))
        return None
    return Operand(str(raw["question"]), *(None if raw.get(key) is None else str(raw[key]) for key in ("row", "column")))


def _period_year(check: Checker, raw: dict, where: str) -> PeriodYear | None:
    if set(raw) != {"period"} or raw["period"] not in PERIOD_BOUNDS:
        check.problem(where, _("a year of the reference period is written {period: first_year} or {period: last_year}."))
        return None
    return PeriodYear(raw["period"])


def _argument(check: Checker, operator: str, raw: Any, where: str):
    if operator == "answered":
        if not isinstance(raw, bool):
            check.problem(where, _("answered must be true or false."))
        return raw
    if operator in NUMBER_OPERATORS:
        if isinstance(raw, dict) and "period" in raw:
            return _period_year(check, raw, where)
        if isinstance(raw, dict):
            return _operand(check, raw, where)
        if _number(raw) is None:
            check.problem(where, _("%(operator)s needs a number or a question.", operator=operator))
        return raw
    if operator == "differs_from_sum_of":
        if not isinstance(raw, list) or not raw:
            check.problem(where, _("differs_from_sum_of needs a list of tables."))
            return ()
        return tuple(str(part) for part in raw)
    values = _as_list(raw)
    if operator in ("equals", "contains") and isinstance(raw, list):
        check.problem(where, _("%(operator)s takes one value; use in, contains_all or equals_set for several.",
                               operator=operator))
    if not values or any(isinstance(v, (dict, list)) or v is None for v in values):
        check.problem(where, _("%(operator)s needs option values.", operator=operator))
        return ()
    return tuple(scalar(v) for v in values)


def read_rule(check: Checker, raw: Any, where: str) -> Rule | None:
    """A condition as written in the definition, or None after reporting its problems."""
    if not isinstance(raw, dict):
        check.problem(where, _("a condition must be a mapping such as {question: crim_offence, equals: \"no\"}."))
        return None
    combinators = [key for key in COMBINATORS if key in raw]
    if combinators:
        if len(raw) != 1:
            check.problem(where, _("%(key)s must be the only key of its condition.", key=combinators[0]))
            return None
        key = combinators[0]
        items = [raw[key]] if key == "not" else raw[key]
        if not isinstance(items, list) or not items:
            check.problem(where, _("%(key)s needs a list of conditions.", key=key))
            return None
        parts = tuple(read_rule(check, item, where) for item in items)
        return Rule(combinator=key, parts=parts) if all(parts) else None
    operators = [key for key in raw if key in OPERATORS]
    unknown = sorted(set(raw) - set(OPERATORS) - OPERAND_KEYS)
    if unknown or len(operators) != 1 or "question" not in raw:
        check.problem(where, _("a condition needs a question and one of %(operators)s (found: %(keys)s).",
                               operators=", ".join(OPERATORS + COMBINATORS), keys=", ".join(map(str, raw))))
        return None
    operand = _operand(check, {key: raw[key] for key in OPERAND_KEYS if key in raw}, where)
    operator = operators[0]
    return Rule(operator=operator, operand=operand, argument=_argument(check, operator, raw[operator], where))


def check_references(check: Checker, rule: Rule, questions: dict, where: str,
                     derived: dict[str, tuple] | None = None) -> None:
    """Every question a rule reads exists, and every option value it names is offered.
    ``derived``: classification ids a rule may read like questions, with their class ids."""
    derived = derived or {}
    for qid in rule.questions():
        if qid not in questions and qid not in derived:
            check.problem(where, _("the rule refers to a missing question %(target)s.", target=qid))
    for part in rule.parts:
        check_references(check, part, questions, where, derived)
    if rule.operand is None or rule.operator not in CHOICE_OPERATORS or rule.operand.row or rule.operand.column:
        return
    question = questions.get(rule.operand.question)
    if question is not None:
        offered = question.answer_type.condition_values(question) if question.answer_type.is_choice else ()
    else:
        offered = derived.get(rule.operand.question)
    for value in rule.argument if offered is not None else ():
        if value not in offered:
            check.problem(where, _("the rule refers to a value %(value)s that %(target)s does not offer.",
                                   value=value, target=rule.operand.question))


def canonical_rule(rule: Rule) -> dict:
    """The rule as written (the stored JSON reads back through ``read_rule``)."""
    if rule.combinator == "not":
        return {"not": canonical_rule(rule.parts[0])}
    if rule.combinator:
        return {rule.combinator: [canonical_rule(part) for part in rule.parts]}
    written = {key: getattr(rule.operand, key) for key in ("question", "row", "column")
               if getattr(rule.operand, key) is not None}
    argument = rule.argument
    if isinstance(argument, Operand):
        argument = {key: getattr(argument, key) for key in ("question", "row", "column")
                    if getattr(argument, key) is not None}
    elif isinstance(argument, PeriodYear):
        argument = {"period": argument.bound}
    elif isinstance(argument, tuple):
        argument = list(argument) if rule.operator not in ("equals", "contains") else argument[0]
    written[rule.operator] = argument
    return written
