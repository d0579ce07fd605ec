"""Validating the number tables of a definition: their rows and columns with the totals among
them, and the statistical checks on their figures (computed by ``checks.py``)."""
import re
from typing import Any

from flask_babel import gettext as _

from app.questionnaires.schema import CHECK_KINDS, CHECK_LEVELS, COMPARING_KINDS
from app.questionnaires.validation import Checker, scalar

AXIS_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")
YEAR_PATTERN = re.compile(r"^(19|20)\d\d$")


def axes(check: Checker, raw: Any, where: str, name: str) -> list[dict]:
    if not isinstance(raw, list) or not raw:
        check.problem(where, _("a table needs a list of %(name)s.", name=name))
        return []
    axes, seen = [], set()
    for item in raw:
        item = item if isinstance(item, dict) else {"id": item}
        axis_id = scalar(item.get("id"))
        if not isinstance(axis_id, str) or not AXIS_PATTERN.match(axis_id):
            check.problem(where, _("%(name)s has an invalid id %(id)s.", name=name, id=axis_id))
            continue
        if axis_id in seen:
            check.problem(where, _("%(name)s id %(id)s is used twice.", name=name, id=axis_id))
        seen.add(axis_id)
        label = item.get("label")
        if label is not None:
            label = check.texts(label, where, _("the label of %(id)s", id=axis_id))
        axis = {"id": axis_id, "label": label}
        if "total_of" in item:
            axis["total_of"] = [scalar(part) for part in item["total_of"] or []]
        axes.append(axis)
    totals = {axis["id"] for axis in axes if axis.get("total_of")}
    for axis in axes:
        parts = axis.get("total_of")
        if parts is None:
            continue
        if not parts or axis["id"] in parts:
            check.problem(where, _("total_of of %(id)s must list other %(name)s.", id=axis["id"], name=name))
        for part in parts:
            if part not in seen or part in totals:
                check.problem(where, _("total_of of %(id)s refers to %(part)s, which is not an ordinary %(name)s id.",
                                       id=axis["id"], part=part, name=name))
    return axes


def checks(check: Checker, raw: Any, where: str, rows: list[dict]) -> list[dict]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        check.problem(where, _("checks must be a list."))
        return []
    checks = []
    for item in raw:
        if not isinstance(item, dict) or item.get("kind") not in CHECK_KINDS:
            check.problem(where, _("each check needs a kind: %(kinds)s.", kinds=", ".join(CHECK_KINDS)))
            continue
        level = item.get("level", "warning")
        if level not in CHECK_LEVELS:
            check.problem(where, _("the level of a check must be one of %(levels)s.", levels=", ".join(CHECK_LEVELS)))
        result = {"kind": item["kind"], "level": level}
        if item["kind"] in COMPARING_KINDS:
            if not isinstance(item.get("question"), str):
                check.problem(where, _("a %(kind)s check needs the question it is compared with.", kind=item["kind"]))
            result["question"] = item.get("question")
        else:
            factor = item.get("factor")
            if not isinstance(factor, (int, float)) or isinstance(factor, bool) or factor <= 1:
                check.problem(where, _("a year_on_year check needs a factor greater than 1."))
            if not all(YEAR_PATTERN.match(row["id"]) for row in rows):
                check.problem(where, _("a year_on_year check needs rows that are years."))
            result["factor"] = factor
        if "message" in item:
            result["message"] = check.texts(item["message"], where, _("the message of a check"))
        checks.append(result)
    return checks


def check_references(check: Checker, questions: dict[str, dict]) -> None:
    """Checks that compare two tables must name a table with the same rows and columns."""
    for qid, q in questions.items():
        for item in q.get("checks") or ():
            other = questions.get(item.get("question")) if item["kind"] in COMPARING_KINDS else q
            if other is None or other["type"] != "number_table":
                check.problem(_("question %(id)s", id=qid),
                              _("the check refers to %(target)s, which is not a number_table question.",
                                target=item.get("question")))
            elif item["kind"] == "same_totals" and not _comparable_totals(q, other):
                check.problem(_("question %(id)s", id=qid),
                              _("a same_totals check needs two tables with the same rows and one total column each."))
            elif other is not q and item["kind"] == "not_more_than" and (
                    [r["id"] for r in other["rows"]] != [r["id"] for r in q["rows"]]
                    or [c["id"] for c in other["columns"]] != [c["id"] for c in q["columns"]]):
                check.problem(_("question %(id)s", id=qid),
                              _("the check compares with %(target)s, whose rows or columns differ.",
                                target=other["id"]))


def _comparable_totals(table: dict, other: dict) -> bool:
    def totals(q):
        return [c for c in q["columns"] if c.get("total_of")]

    return ([r["id"] for r in table["rows"]] == [r["id"] for r in other["rows"]]
            and len(totals(table)) == len(totals(other)) == 1)
