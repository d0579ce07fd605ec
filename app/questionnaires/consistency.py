"""Consistency rules across questions (``consistency`` in a definition): a condition that
describes an inconsistency, the question beside which it is shown, and a message. An ``error``
blocks submission until corrected; a ``warning`` asks the State to confirm the answers, like
the statistical checks of tables (checks.py turns both into findings). See
docs/questionnaire-format.md §13."""
import re
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from app.questionnaires.rules import Rule, canonical_rule, check_references, holds, read_rule
from app.questionnaires.schema import CHECK_LEVELS
from app.questionnaires.validation import Checker

RULE_KEYS = {"id", "level", "question", "when", "message"}
RULE_ID = r"^[A-Za-z][A-Za-z0-9_]{0,15}$"


@dataclass(frozen=True)
class ConsistencyRule:
    id: str
    level: str
    #: The question beside which the finding is shown (it must apply for the rule to be judged).
    question: str
    when: Rule
    message: dict[str, str]

    def questions(self) -> list[str]:
        return list(dict.fromkeys([self.question, *self.when.questions()]))


def broken(rule: ConsistencyRule, answers: dict[str, Any], period=None) -> bool:
    """Whether the answers given show the inconsistency (an unknown result shows nothing);
    ``period``: the reference period of the answers' cycle, for rules that compare with it."""
    return holds(rule.when, answers, period) is True


def read_consistency_rule(check: Checker, raw: Any, seen: set[str]) -> ConsistencyRule | None:
    rid = raw.get("id") if isinstance(raw, dict) else None
    where = _("consistency rule %(id)s", id=rid)
    if not isinstance(raw, dict):
        check.problem(where, _("each consistency rule must be a mapping with id, level, question, when and message."))
        return None
    for key in sorted(set(raw) - RULE_KEYS):
        check.problem(where, _("unknown key %(key)s.", key=key))
    if not isinstance(rid, str) or not re.match(RULE_ID, rid):
        check.problem(where, _("the id must be letters and digits, e.g. C1."))
    elif rid in seen:
        check.problem(where, _("the rule id is used twice."))
    seen.add(str(rid))
    if raw.get("level") not in CHECK_LEVELS:
        check.problem(where, _("level must be one of %(levels)s.", levels=", ".join(CHECK_LEVELS)))
    if not isinstance(raw.get("question"), str):
        check.problem(where, _("question must name the question beside which the rule is shown."))
    message = check.texts(raw.get("message"), where, _("message"))
    when = read_rule(check, raw.get("when"), where) if "when" in raw else None
    if "when" not in raw:
        check.problem(where, _("the rule needs a condition (when)."))
    if when is None or message is None:
        return None
    return ConsistencyRule(str(rid), str(raw.get("level")), str(raw.get("question")), when, message)


def check_consistency_rule(check: Checker, rule: ConsistencyRule, questions: dict, derived: dict) -> None:
    """``derived``: the classifications' ids with their class ids, which a rule may read like answers."""
    where = _("consistency rule %(id)s", id=rule.id)
    if rule.question not in questions:
        check.problem(where, _("the rule refers to a missing question %(target)s.", target=rule.question))
    check_references(check, rule.when, questions, where, derived)


def canonical_consistency_rule(rule: ConsistencyRule) -> dict:
    return {"id": rule.id, "level": rule.level, "question": rule.question, "when": canonical_rule(rule.when),
            "message": rule.message}
