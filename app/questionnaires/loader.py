"""Read questionnaire definitions (YAML) and validate them into canonical JSON.

A definition either loads whole or not at all: every problem is collected and reported with
the file, the question (or section) and what is wrong, so an author can fix them in one pass.
"""
import re
from pathlib import Path
from typing import Any

import yaml
from flask_babel import gettext as _

from app.questionnaires.citations import EXAMPLES, locate
from app.questionnaires.schema import BUILTIN_OPTIONS, CHOICE_TYPES, NUMBER_TYPES, OBLIGATION_LEVELS, QUESTION_TYPES
from app.questionnaires.table_definitions import axes, check_references, checks
# DefinitionError and Problem are part of the loader's interface: callers import them from here.
from app.questionnaires.validation import Checker, DefinitionError, Problem, scalar  # noqa: F401

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9-]{0,63}$")
QUESTION_KEYS = {
    "id", "type", "text", "help", "required", "sources", "options", "rows", "columns",
    "show_if", "min", "max", "max_length", "provision", "obligation", "summary", "checks",
}
SECTION_KEYS = {"id", "title", "intro", "questions"}
TOP_KEYS = {"id", "version", "title", "description", "documents", "sections"}
DOCUMENT_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")
DOCUMENT_KEYS = {"name", "title"}


def _options(check: Checker, q: dict, where: str) -> list[dict] | None:
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
        value = scalar(option.get("value"))
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            check.problem(where, _("option %(n)d has an invalid value %(value)s.", n=index, value=value))
        elif value in seen:
            check.problem(where, _("option value %(value)s is used twice.", value=value))
        seen.add(value)
        label = check.texts(option.get("label"), where, _("the label of option %(value)s", value=value))
        options.append({"value": value, "label": label})
    return options


def _provision(check: Checker, q: dict, where: str) -> dict:
    provision, obligation = q.get("provision"), q.get("obligation")
    if provision is not None and (not isinstance(provision, str) or not provision.strip()):
        check.problem(where, _("provision must be a citation such as Protocol art. 6(3)."))
    elif provision is not None:
        _check_citations(check, [provision], where)
    if obligation is not None and obligation not in OBLIGATION_LEVELS:
        check.problem(where, _("obligation must be one of %(levels)s.", levels=", ".join(OBLIGATION_LEVELS)))
    if (provision is None) != (obligation is None):
        check.problem(where, _("provision and obligation go together: give both or neither."))
    return {
        "provision": provision.strip() if isinstance(provision, str) else None,
        "obligation": obligation,
        "summary": check.texts(q.get("summary"), where, _("summary"), optional=True),
    }


def _condition(check: Checker, raw: Any, where: str) -> dict | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or "question" not in raw or not ({"equals", "in"} & raw.keys()):
        check.problem(where, _("show_if needs a question and either equals or in."))
        return None
    values = raw.get("in", [raw.get("equals")])
    values = values if isinstance(values, list) else [values]
    return {"question": str(raw["question"]), "values": [scalar(v) for v in values]}


def _question(check: Checker, q: Any, section_where: str) -> dict | None:
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
    _check_citations(check, sources, where)
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
        result["rows"] = axes(check, q.get("rows"), where, _("rows"))
        result["columns"] = axes(check, q.get("columns"), where, _("columns"))
        result["checks"] = checks(check, q.get("checks"), where, result["rows"])
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


def _documents(check: Checker, raw: Any) -> list[dict]:
    """``documents``: code -> name (as cited) and full title, six languages each."""
    if raw is None:
        return []
    if not isinstance(raw, dict) or not raw:
        check.problem("", _("documents must map each document code to its name and title."))
        return []
    documents = []
    for code, item in raw.items():
        where = _("document %(code)s", code=code)
        if not isinstance(code, str):
            check.problem(where, _("YAML reads this code as a number: write it in quotes, e.g. \"000\"."))
            continue
        if not DOCUMENT_CODE.match(code):
            check.problem(where, _("a document code is letters, digits, - and _, without spaces."))
        item = item if isinstance(item, dict) else {}
        for key in sorted(set(item) - DOCUMENT_KEYS):
            check.problem(where, _("unknown key %(key)s.", key=key))
        documents.append({"code": code, "name": check.texts(item.get("name"), where, _("name")),
                          "title": check.texts(item.get("title"), where, _("title"))})
    check.documents = {document["code"] for document in documents}
    return documents


def _check_citations(check: Checker, citations: list[str], where: str) -> None:
    """Each citation must be in a form the platform reads, and cite a declared document."""
    for citation in citations:
        parts = locate(citation)
        if parts is None:
            check.problem(where, _("the citation %(citation)s is not in a form the platform can read; "
                                   "write e.g. %(examples)s.", citation=citation, examples=EXAMPLES))
            continue
        check.cited.add(parts["code"])
        if check.documents is not None and parts["code"] not in check.documents:
            check.problem(where, _("the citation %(citation)s cites the document %(code)s, which documents "
                                   "does not declare.", citation=citation, code=parts["code"]))


def _check_conditions(check: Checker, questions: dict[str, dict]) -> None:
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


def _read_yaml(path: Path, check: Checker) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        check.problem("", _("cannot be read: %(error)s", error=str(error)))
    except yaml.YAMLError as error:
        check.problem("", _("is not valid YAML: %(error)s", error=str(error).replace("\n", " ")))
    return None


def _sections(check: Checker, raw: Any, base: Path) -> list[dict]:
    if not isinstance(raw, list) or not raw:
        check.problem("", _("sections must be a non-empty list."))
        return []
    sections, section_ids = [], set()
    for item in raw:
        if isinstance(item, dict) and set(item) == {"include"}:
            included = base / str(item["include"])
            sub = Checker(str(included), within=check)
            item = _read_yaml(included, sub)
            check.problems.extend(sub.problems)
            if item is None:
                continue
            section_check = Checker(str(included), within=check)
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


def _section(check: Checker, raw: Any) -> dict | None:
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
    check = Checker(str(path))
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
        "documents": _documents(check, raw.get("documents")),
        "sections": _sections(check, raw.get("sections"), path.parent),
    }
    if check.documents is None and check.cited:
        check.problem("", _("documents is missing: declare each document the questions cite (%(codes)s).",
                            codes=", ".join(sorted(check.cited))))
    questions: dict[str, dict] = {}
    for section in canonical["sections"]:
        for q in section["questions"]:
            if q["id"] in questions:
                check.problem(_("question %(id)s", id=q["id"]), _("the question id is used twice."))
            questions.setdefault(q["id"], q)
    _check_conditions(check, questions)
    check_references(check, questions)
    if check.problems:
        raise DefinitionError(check.problems)
    return canonical


def definition_files(directory: Path) -> list[Path]:
    """Top-level definitions: ``*.yaml`` files and ``*/questionnaire.yaml`` in sub-folders."""
    return sorted(directory.glob("*.yaml")) + sorted(directory.glob("*/questionnaire.yaml"))
