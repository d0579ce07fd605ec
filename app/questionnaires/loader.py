"""Read questionnaire definitions (YAML) and validate them into canonical JSON.

A definition either loads whole or not at all: every problem is collected and reported with
the file, the question (or section) and what is wrong, so an author can fix them in one pass.
"""
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from flask_babel import gettext as _

from app.questionnaires.schema import (
    BUILTIN_OPTIONS, CHECK_KINDS, CHECK_LEVELS, CHOICE_TYPES, LANGUAGES, NUMBER_TYPES, OBLIGATION_LEVELS,
    QUESTION_TYPES,
)

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9-]{0,63}$")
AXIS_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")
QUESTION_KEYS = {
    "id", "type", "text", "help", "required", "sources", "options", "rows", "columns",
    "show_if", "min", "max", "max_length", "provision", "obligation", "summary", "checks",
}
YEAR_PATTERN = re.compile(r"^(19|20)\d\d$")
SECTION_KEYS = {"id", "title", "intro", "questions"}
TOP_KEYS = {"id", "version", "title", "description", "sections"}


@dataclass(frozen=True)
class Problem:
    file: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.message}" if self.where else f"{self.file}: {self.message}"


class DefinitionError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class _Checker:
    """Collects problems while walking one definition."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.file, where, message))

    def texts(self, value: Any, where: str, name: str, optional: bool = False) -> dict | None:
        if value is None and optional:
            return None
        if not isinstance(value, dict):
            self.problem(where, _("%(name)s must map each language code to a text.", name=name))
            return None
        for language in value:
            if language not in LANGUAGES:
                self.problem(where, _("%(name)s has an unknown language %(language)s.",
                                      name=name, language=language))
        for language in LANGUAGES:
            text = value.get(language)
            if not isinstance(text, str) or not text.strip():
                self.problem(where, _("%(name)s is missing the language %(language)s.",
                                      name=name, language=language))
        return {language: str(value.get(language, "")).strip() for language in LANGUAGES}


def _scalar(value: Any) -> Any:
    """YAML 1.1 reads unquoted yes/no as booleans and years as integers; ids are strings."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, int):
        return str(value)
    return value


def _options(check: _Checker, q: dict, where: str) -> list[dict] | None:
    qtype = q.get("type")
    raw = q.get("options")
    if qtype in BUILTIN_OPTIONS:
        if raw is not None:
            check.problem(where, _("type %(type)s has built-in options; remove options.", type=qtype))
        return None
    if qtype not in ("single_choice", "multiple_choice"):
        if raw is not None:
            check.problem(where, _("options are only allowed on choice questions."))
        return None
    if not isinstance(raw, list) or len(raw) < 2:
        check.problem(where, _("a choice question needs at least two options."))
        return []
    options, seen = [], set()
    for index, option in enumerate(raw, start=1):
        if not isinstance(option, dict):
            check.problem(where, _("option %(n)d must have a value and a label.", n=index))
            continue
        value = _scalar(option.get("value"))
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            check.problem(where, _("option %(n)d has an invalid value %(value)s.", n=index, value=value))
        elif value in seen:
            check.problem(where, _("option value %(value)s is used twice.", value=value))
        seen.add(value)
        label = check.texts(option.get("label"), where, _("the label of option %(value)s", value=value))
        options.append({"value": value, "label": label})
    return options


def _axes(check: _Checker, raw: Any, where: str, name: str) -> list[dict]:
    if not isinstance(raw, list) or not raw:
        check.problem(where, _("a table needs a list of %(name)s.", name=name))
        return []
    axes, seen = [], set()
    for item in raw:
        item = item if isinstance(item, dict) else {"id": item}
        axis_id = _scalar(item.get("id"))
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
            axis["total_of"] = [_scalar(part) for part in item["total_of"] or []]
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


def _provision(check: _Checker, q: dict, where: str) -> dict:
    provision, obligation = q.get("provision"), q.get("obligation")
    if provision is not None and (not isinstance(provision, str) or not provision.strip()):
        check.problem(where, _("provision must be a citation such as Protocol art. 6(3)."))
    if obligation is not None and obligation not in OBLIGATION_LEVELS:
        check.problem(where, _("obligation must be one of %(levels)s.", levels=", ".join(OBLIGATION_LEVELS)))
    if (provision is None) != (obligation is None):
        check.problem(where, _("provision and obligation go together: give both or neither."))
    return {
        "provision": provision.strip() if isinstance(provision, str) else None,
        "obligation": obligation,
        "summary": check.texts(q.get("summary"), where, _("summary"), optional=True),
    }


def _checks(check: _Checker, raw: Any, where: str, rows: list[dict]) -> list[dict]:
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
        if item["kind"] == "not_more_than":
            if not isinstance(item.get("question"), str):
                check.problem(where, _("a not_more_than check needs the question it is compared with."))
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


def _condition(check: _Checker, raw: Any, where: str) -> dict | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or "question" not in raw or not ({"equals", "in"} & raw.keys()):
        check.problem(where, _("show_if needs a question and either equals or in."))
        return None
    values = raw.get("in", [raw.get("equals")])
    values = values if isinstance(values, list) else [values]
    return {"question": str(raw["question"]), "values": [_scalar(v) for v in values]}


def _question(check: _Checker, q: Any, section_where: str) -> dict | None:
    if not isinstance(q, dict):
        check.problem(section_where, _("each question must be a mapping."))
        return None
    qid = q.get("id")
    where = _("question %(id)s", id=qid)
    if not isinstance(qid, str) or not ID_PATTERN.match(qid):
        check.problem(where, _("the id must be lower-case letters, digits and underscores."))
    for key in sorted(set(q) - QUESTION_KEYS):
        check.problem(where, _("unknown key %(key)s.", key=key))
    qtype = q.get("type")
    if qtype not in QUESTION_TYPES:
        check.problem(where, _("unknown type %(type)s; use one of %(types)s.",
                               type=qtype, types=", ".join(sorted(QUESTION_TYPES))))
    sources = q.get("sources", [])
    if not isinstance(sources, list) or not all(isinstance(s, str) and s.strip() for s in sources):
        check.problem(where, _("sources must be a list of citations."))
        sources = []
    if not isinstance(q.get("required", False), bool):
        check.problem(where, _("required must be true or false."))
    result = {
        "id": qid,
        "type": qtype,
        "text": check.texts(q.get("text"), where, _("text")),
        "help": check.texts(q.get("help"), where, _("help"), optional=True),
        "required": bool(q.get("required", False)),
        "sources": [s.strip() for s in sources],
        "options": _options(check, q, where),
        "condition": _condition(check, q.get("show_if"), where),
    }
    result.update(_provision(check, q, where))
    if qtype == "number_table":
        result["rows"] = _axes(check, q.get("rows"), where, _("rows"))
        result["columns"] = _axes(check, q.get("columns"), where, _("columns"))
        result["checks"] = _checks(check, q.get("checks"), where, result["rows"])
    elif "rows" in q or "columns" in q or "checks" in q:
        check.problem(where, _("rows, columns and checks are only allowed on number_table questions."))
    for bound in ("min", "max"):
        if bound in q:
            if qtype not in NUMBER_TYPES or not isinstance(q[bound], (int, float)) or isinstance(q[bound], bool):
                check.problem(where, _("%(key)s must be a number, on a number question.", key=bound))
            else:
                result[bound] = q[bound]
    if "max_length" in q:
        if qtype not in ("short_text", "long_text") or not isinstance(q["max_length"], int) or q["max_length"] < 1:
            check.problem(where, _("max_length must be a positive integer, on a text question."))
        else:
            result["max_length"] = q["max_length"]
    return result


def _check_references(check: _Checker, questions: dict[str, dict]) -> None:
    """Checks that compare two tables must name a table with the same rows and columns."""
    for qid, q in questions.items():
        for item in q.get("checks") or ():
            other = questions.get(item.get("question")) if item["kind"] == "not_more_than" else q
            if other is None or other["type"] != "number_table":
                check.problem(_("question %(id)s", id=qid),
                              _("the check refers to %(target)s, which is not a number_table question.",
                                target=item.get("question")))
            elif other is not q and ([r["id"] for r in other["rows"]] != [r["id"] for r in q["rows"]]
                                     or [c["id"] for c in other["columns"]] != [c["id"] for c in q["columns"]]):
                check.problem(_("question %(id)s", id=qid),
                              _("the check compares with %(target)s, whose rows or columns differ.",
                                target=other["id"]))


def _check_conditions(check: _Checker, questions: dict[str, dict]) -> None:
    for qid, q in questions.items():
        condition = q.get("condition")
        if not condition:
            continue
        where = _("question %(id)s", id=qid)
        target = questions.get(condition["question"])
        if target is None:
            check.problem(where, _("show_if refers to a missing question %(target)s.",
                                   target=condition["question"]))
            continue
        if target["type"] not in CHOICE_TYPES:
            check.problem(where, _("show_if must refer to a choice question; %(target)s is %(type)s.",
                                   target=target["id"], type=target["type"]))
            continue
        allowed = BUILTIN_OPTIONS.get(target["type"]) or [o["value"] for o in target["options"] or ()]
        for value in condition["values"]:
            if value not in allowed:
                check.problem(where, _("show_if refers to a value %(value)s that %(target)s does not offer.",
                                       value=value, target=target["id"]))
    for qid in questions:
        chain, current = [], qid
        while current in questions and questions[current].get("condition"):
            if current in chain:
                check.problem(_("question %(id)s", id=qid),
                              _("show_if conditions form a cycle: %(cycle)s.", cycle=" → ".join(chain + [current])))
                break
            chain.append(current)
            current = questions[current]["condition"]["question"]


def _read_yaml(path: Path, check: _Checker) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        check.problem("", _("cannot be read: %(error)s", error=str(error)))
    except yaml.YAMLError as error:
        check.problem("", _("is not valid YAML: %(error)s", error=str(error).replace("\n", " ")))
    return None


def _sections(check: _Checker, raw: Any, base: Path) -> list[dict]:
    if not isinstance(raw, list) or not raw:
        check.problem("", _("sections must be a non-empty list."))
        return []
    sections, section_ids = [], set()
    for item in raw:
        if isinstance(item, dict) and set(item) == {"include"}:
            included = base / str(item["include"])
            sub = _Checker(str(included))
            item = _read_yaml(included, sub)
            check.problems.extend(sub.problems)
            if item is None:
                continue
            section_check = _Checker(str(included))
        else:
            section_check = check
        section = _section(section_check, item)
        if section_check is not check:
            check.problems.extend(section_check.problems)
        if section is None:
            continue
        if section["id"] in section_ids:
            check.problem(_("section %(id)s", id=section["id"]), _("the section id is used twice."))
        section_ids.add(section["id"])
        sections.append(section)
    return sections


def _section(check: _Checker, raw: Any) -> dict | None:
    if not isinstance(raw, dict):
        check.problem("", _("each section must be a mapping."))
        return None
    sid = raw.get("id")
    where = _("section %(id)s", id=sid)
    if not isinstance(sid, str) or not ID_PATTERN.match(sid):
        check.problem(where, _("the id must be lower-case letters, digits and underscores."))
    for key in sorted(set(raw) - SECTION_KEYS):
        check.problem(where, _("unknown key %(key)s.", key=key))
    questions = raw.get("questions")
    if not isinstance(questions, list) or not questions:
        check.problem(where, _("a section needs a non-empty list of questions."))
        questions = []
    return {
        "id": sid,
        "title": check.texts(raw.get("title"), where, _("title")),
        "intro": check.texts(raw.get("intro"), where, _("intro"), optional=True),
        "questions": [q for q in (_question(check, q, where) for q in questions) if q],
    }


def load_definition(path: Path) -> dict:
    """Validate one definition file; return its canonical JSON or raise ``DefinitionError``."""
    check = _Checker(str(path))
    raw = _read_yaml(path, check)
    if raw is not None and not isinstance(raw, dict):
        check.problem("", _("the definition must be a mapping with id, version, title and sections."))
    if not isinstance(raw, dict):
        raise DefinitionError(check.problems)
    for key in sorted(set(raw) - TOP_KEYS):
        check.problem("", _("unknown key %(key)s.", key=key))
    if not isinstance(raw.get("id"), str) or not SLUG_PATTERN.match(raw["id"]):
        check.problem("", _("id must be lower-case letters, digits and hyphens."))
    version = raw.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        check.problem("", _("version must be a positive integer."))
    canonical = {
        "id": raw.get("id"),
        "version": version,
        "title": check.texts(raw.get("title"), "", _("title")),
        "description": check.texts(raw.get("description"), "", _("description"), optional=True),
        "sections": _sections(check, raw.get("sections"), path.parent),
    }
    questions: dict[str, dict] = {}
    for section in canonical["sections"]:
        for q in section["questions"]:
            if q["id"] in questions:
                check.problem(_("question %(id)s", id=q["id"]), _("the question id is used twice."))
            questions.setdefault(q["id"], q)
    _check_conditions(check, questions)
    _check_references(check, questions)
    if check.problems:
        raise DefinitionError(check.problems)
    return canonical


def definition_files(directory: Path) -> list[Path]:
    """Top-level definitions: ``*.yaml`` files and ``*/questionnaire.yaml`` in sub-folders."""
    return sorted(directory.glob("*.yaml")) + sorted(directory.glob("*/questionnaire.yaml"))
