"""Read questionnaire definitions and check them into the typed model (schema.py).

A definition either loads whole or not at all: every problem is collected and reported with
the file, the question (or section) and what is wrong, so an author can fix them in one pass.
The same reader builds a stored version from its canonical JSON (``from_canonical``), and
``canonical`` writes the model back as that JSON (what the database stores and what
``questionnaires export`` prints; its checksum tells a re-load of the same file from a changed one).
"""
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml
from flask_babel import gettext as _

from app.questionnaires.citations import EXAMPLES, Document, locate, read_citation
from app.questionnaires.consistency import (canonical_consistency_rule, check_consistency_rule,
                                            read_consistency_rule)
from app.questionnaires.derived import canonical_classification, check_classification, read_classification
from app.questionnaires.schema import OBLIGATION_LEVELS, Condition, Question, Questionnaire, Section
from app.questionnaires.types import TYPES, answer_type

# DefinitionError and Problem are part of the loader's interface: callers import them from here.
from app.questionnaires.validation import ID_PATTERN, Checker, DefinitionError, Problem, scalar  # noqa: F401

SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9-]{0,63}$")
QUESTION_KEYS = {"id", "type", "text", "help", "required", "sources", "show_if", "provision", "obligation", "summary",
                 "set"}
#: ``set``: the questions a cycle opened with the core set asks (every question is in the full set).
QUESTION_SETS = ("core", "extended")
SECTION_KEYS = {"id", "title", "intro", "questions"}
TOP_KEYS = {"id", "version", "title", "description", "documents", "sections", "classifications", "consistency"}
DOCUMENT_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")
DOCUMENT_KEYS = {"name", "title"}


def _types_taking(key: str) -> list[str]:
    return sorted(name for name, kind in TYPES.items() if key in kind.keys)


def _unknown_keys(check: Checker, q: dict, where: str) -> None:
    for key in sorted(set(q) - QUESTION_KEYS):
        if not _types_taking(key):
            check.problem(where, _("unknown key %(key)s.", key=key))


def _type_keys(check: Checker, q: dict, qtype: str, where: str) -> dict:
    """The type's own keys, read by the type; a key of another type is an error."""
    kind = answer_type(qtype)
    if kind is None:
        return {}
    for key in sorted(set(q) - QUESTION_KEYS - kind.keys - kind.explains):
        if _types_taking(key) and q[key] is not None:
            check.problem(where, _("%(key)s is only allowed on %(types)s questions.", key=key,
                                   types=", ".join(_types_taking(key))))
    return kind.read(check, q, where)


def _provision(check: Checker, q: dict, where: str) -> tuple:
    provision, obligation = q.get("provision"), q.get("obligation")
    if provision is not None and (not isinstance(provision, str) or not provision.strip()):
        check.problem(where, _("provision must be a citation such as Protocol art. 6(3)."))
    elif provision is not None:
        _check_citations(check, [provision], where)
    if obligation is not None and obligation not in OBLIGATION_LEVELS:
        check.problem(where, _("obligation must be one of %(levels)s.", levels=", ".join(OBLIGATION_LEVELS)))
    if (provision is None) != (obligation is None):
        check.problem(where, _("provision and obligation go together: give both or neither."))
    return (provision.strip() if isinstance(provision, str) else None, obligation,
            check.texts(q.get("summary"), where, _("summary"), optional=True))


def _condition(check: Checker, raw: Any, where: str) -> Condition | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or "question" not in raw or not ({"equals", "in"} & raw.keys()):
        check.problem(where, _("show_if needs a question and either equals or in."))
        return None
    values = raw.get("in", [raw.get("equals")])
    values = values if isinstance(values, list) else [values]
    return Condition(str(raw["question"]), tuple(scalar(v) for v in values))


def _sources(check: Checker, q: dict, where: str) -> tuple[str, ...]:
    sources = q.get("sources", [])
    if not isinstance(sources, list) or not all(isinstance(s, str) and s.strip() for s in sources):
        check.problem(where, _("sources must be a list of citations."))
        return ()
    _check_citations(check, sources, where)
    return tuple(s.strip() for s in sources)


def _question(check: Checker, q: Any, section_where: str, section_id: str) -> Question | None:
    if not isinstance(q, dict):
        check.problem(section_where, _("each question must be a mapping."))
        return None
    qid, qtype = q.get("id"), q.get("type")
    where = _("question %(id)s", id=qid)
    if not isinstance(qid, str) or not ID_PATTERN.match(qid):
        check.problem(where, _("the id must be lower-case letters, digits and underscores."))
    _unknown_keys(check, q, where)
    if answer_type(qtype) is None:
        check.problem(where, _("unknown type %(type)s; use one of %(types)s.", type=qtype, types=", ".join(sorted(TYPES))))
    sources = _sources(check, q, where)
    if not isinstance(q.get("required", False), bool):
        check.problem(where, _("required must be true or false."))
    text = check.texts(q.get("text"), where, _("text"))
    help_text = check.texts(q.get("help"), where, _("help"), optional=True)
    condition = _condition(check, q.get("show_if"), where)
    declared = _provision(check, q, where)
    if q.get("set", "extended") not in QUESTION_SETS:
        check.problem(where, _("set must be one of %(sets)s.", sets=", ".join(QUESTION_SETS)))
    return Question(
        id=qid, type=qtype, answer_type=answer_type(qtype), section_id=section_id, text=text, help=help_text,
        required=bool(q.get("required", False)), sources=sources, condition=condition,
        provision=declared[0], obligation=declared[1], summary=declared[2], declared=declared,
        core=q.get("set") == "core",
        **_type_keys(check, q, qtype, where),
    )


def _documents(check: Checker, raw: Any) -> dict[str, Document]:
    """``documents``: code -> name (as cited) and full title, six languages each."""
    if raw is None:
        return {}
    if not isinstance(raw, dict) or not raw:
        check.problem("", _("documents must map each document code to its name and title."))
        return {}
    documents = {}
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
        documents[code] = Document(code, check.texts(item.get("name"), where, _("name")),
                                   check.texts(item.get("title"), where, _("title")))
    check.documents = set(documents)
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


def _check_conditions(check: Checker, questions: dict[str, Question]) -> None:
    for qid, question in questions.items():
        condition = question.condition
        if not condition:
            continue
        where = _("question %(id)s", id=qid)
        target = questions.get(condition.question)
        if target is None:
            check.problem(where, _("show_if refers to a missing question %(target)s.", target=condition.question))
            continue
        if target.answer_type is None or not target.answer_type.is_choice:
            check.problem(where, _("show_if must refer to a choice question; %(target)s is %(type)s.",
                                   target=target.id, type=target.type))
            continue
        allowed = target.answer_type.condition_values(target)
        for value in condition.values:
            if value not in allowed:
                check.problem(where, _("show_if refers to a value %(value)s that %(target)s does not offer.",
                                       value=value, target=target.id))
    for qid in questions:
        chain, current = [], qid
        while current in questions and questions[current].condition:
            if current in chain:
                check.problem(_("question %(id)s", id=qid),
                              _("show_if conditions form a cycle: %(cycle)s.", cycle=" → ".join(chain + [current])))
                break
            chain.append(current)
            current = questions[current].condition.question


def _check_core(check: Checker, questions: dict[str, Question]) -> None:
    """A core question is shown in a core-set cycle only if the questions it depends on are too."""
    for question in questions.values():
        target = questions.get(question.condition.question) if question.core and question.condition else None
        if target is not None and not target.core:
            check.problem(_("question %(id)s", id=question.id),
                          _("a core question's show_if must refer to a core question; %(target)s is extended.",
                            target=target.id))


#: PyYAML's safe loader, in C where libyaml is installed: ten times faster on the questionnaire's
#: 13 files (the Python one took 1.4 s to read them).
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(path: Path, check: Checker) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except (OSError, UnicodeDecodeError) as error:
        check.problem("", _("cannot be read: %(error)s", error=str(error)))
    except yaml.YAMLError as error:
        check.problem("", _("is not valid YAML: %(error)s", error=str(error).replace("\n", " ")))
    return None


def _sections(check: Checker, raw: Any, base: Path | None) -> list[Section]:
    if not isinstance(raw, list) or not raw:
        check.problem("", _("sections must be a non-empty list."))
        return []
    sections, section_ids = [], set()
    for item in raw:
        section_check = check
        if isinstance(item, dict) and set(item) == {"include"} and base is not None:
            included = base / str(item["include"])
            section_check = Checker(str(included), within=check)
            item = _read_yaml(included, section_check)
        section = _section(section_check, item, len(sections) + 1) if item is not None else None
        if section_check is not check:
            check.problems.extend(section_check.problems)
        if section is None:
            continue
        if section.id in section_ids:
            check.problem(_("section %(id)s", id=section.id), _("the section id is used twice."))
        section_ids.add(section.id)
        sections.append(section)
    return sections


def _section(check: Checker, raw: Any, number: int) -> Section | None:
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
    read = [q for q in (_question(check, q, where, sid) for q in questions) if q]
    return Section(sid, check.texts(raw.get("title"), where, _("title")),
                   check.texts(raw.get("intro"), where, _("intro"), optional=True),
                   tuple(replace(q, number=f"{number}.{index}") for index, q in enumerate(read, start=1)), number)


def _rule_list(check: Checker, raw: Any, key: str, base: Path | None) -> list:
    """``classifications`` or ``consistency``: a list, written in place or in a file next to the
    definition (``{include: rules.yaml}``, whose own top-level key is the same)."""
    if isinstance(raw, dict) and set(raw) == {"include"} and base is not None:
        included = Checker(str(base / str(raw["include"])), within=check)
        content = _read_yaml(base / str(raw["include"]), included)
        check.problems.extend(included.problems)
        raw = content.get(key) if isinstance(content, dict) else None
    if raw is None:
        return []
    if not isinstance(raw, list):
        check.problem("", _("%(key)s must be a list.", key=key))
        return []
    return raw


def _rules(check: Checker, raw: dict, base: Path | None, questions: dict) -> tuple[tuple, tuple]:
    """The derived classifications and the consistency rules, checked against the questions."""
    classifications = [read_classification(check, item) for item in _rule_list(check, raw.get("classifications"),
                                                                                "classifications", base)]
    seen: set[str] = set()
    consistency = [read_consistency_rule(check, item, seen) for item in _rule_list(check, raw.get("consistency"),
                                                                                  "consistency", base)]
    classifications, consistency = [c for c in classifications if c], [c for c in consistency if c]
    if len({c.id for c in classifications}) != len(classifications):
        check.problem("", _("a classification id is used twice."))
    for classification in classifications:
        check_classification(check, classification, questions)
    derived = {c.id: tuple(each.id for each in c.all_classes) for c in classifications}
    for qid in sorted(set(derived) & set(questions)):
        check.problem(_("classification %(id)s", id=qid), _("a question has the same id."))
    for rule in consistency:
        check_consistency_rule(check, rule, questions, derived)
    return tuple(classifications), tuple(consistency)


def _inherit_provisions(questions: dict[str, Question]) -> dict[str, Question]:
    """Follow-ups without a provision of their own assess the provision of the question they
    follow (``which law?`` after ``is it criminalized?``)."""
    resolved = {}
    for qid, question in questions.items():
        source, seen = question, set()
        while source.provision is None and source.condition and source.id not in seen:
            seen.add(source.id)
            source = questions.get(source.condition.question, source)
        if source is not question and source.provision is not None:
            question = replace(question, provision=source.provision,
                               obligation=question.obligation or source.obligation,
                               summary=question.summary or source.summary)
        resolved[qid] = question
    return resolved


def _cite(question: Question, documents: dict[str, Document]) -> Question:
    return replace(question, sources_cited=tuple(read_citation(text, documents) for text in question.sources),
                   provision_cited=read_citation(question.provision, documents) if question.provision else None)


def read_definition(raw: Any, check: Checker, base: Path | None = None, stored: bool = False) -> Questionnaire:
    """The questionnaire of a definition read from YAML (``base``: the folder its ``include:``s
    are read from), or ``DefinitionError`` with every problem found. A ``stored`` definition
    may predate declared documents."""
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
    title = check.texts(raw.get("title"), "", _("title"))
    description = check.texts(raw.get("description"), "", _("description"), optional=True)
    documents = _documents(check, raw.get("documents"))
    sections = _sections(check, raw.get("sections"), base)
    if check.documents is None and check.cited and not stored:
        check.problem("", _("documents is missing: declare each document the questions cite (%(codes)s).",
                            codes=", ".join(sorted(check.cited))))
    questions: dict[str, Question] = {}
    for section in sections:
        for question in section.questions:
            if question.id in questions:
                check.problem(_("question %(id)s", id=question.id), _("the question id is used twice."))
            questions.setdefault(question.id, question)
    _check_conditions(check, questions)
    _check_core(check, questions)
    for question in questions.values():
        if question.answer_type is not None and hasattr(question.answer_type, "read_references"):
            question.answer_type.read_references(check, question, questions)
    classifications, consistency = _rules(check, raw, base, questions)
    if check.problems:
        raise DefinitionError(check.problems)
    questions = {qid: _cite(question, documents) for qid, question in _inherit_provisions(questions).items()}
    sections = tuple(replace(s, questions=tuple(questions[q.id] for q in s.questions)) for s in sections)
    return Questionnaire(raw["id"], version, title, sections, questions, documents, description,
                         classifications, consistency)


def load_definition(path: Path) -> Questionnaire:
    """Check one definition file; return its questionnaire or raise ``DefinitionError``."""
    check = Checker(str(path))
    return read_definition(_read_yaml(path, check), check, path.parent)


def definition_files(directory: Path) -> list[Path]:
    """Top-level definitions: ``*.yaml`` files and ``*/questionnaire.yaml`` in sub-folders."""
    return sorted(directory.glob("*.yaml")) + sorted(directory.glob("*/questionnaire.yaml"))


# The canonical JSON -------------------------------------------------------------------------

def canonical_question(question: Question) -> dict:
    provision, obligation, summary = question.declared
    condition = question.condition
    return {
        "id": question.id, "type": question.type, "text": question.text, "help": question.help,
        "required": question.required, "sources": list(question.sources),
        "condition": {"question": condition.question, "values": list(condition.values)} if condition else None,
        "provision": provision, "obligation": obligation, "summary": summary,
        **({"set": "core"} if question.core else {}),
        **question.answer_type.canonical(question),
    }


def canonical(questionnaire: Questionnaire) -> dict:
    """The definition as the database stores it: plain JSON, every language, nothing derived."""
    return {
        "id": questionnaire.id, "version": questionnaire.version, "title": questionnaire.title,
        "description": questionnaire.description,
        "documents": [{"code": d.code, "name": d.name, "title": d.title} for d in questionnaire.documents.values()],
        "sections": [{"id": s.id, "title": s.title, "intro": s.intro,
                      "questions": [canonical_question(q) for q in s.questions]} for s in questionnaire.sections],
        # Written only when present, so that the checksum of a definition without them is unchanged.
        **({"classifications": [canonical_classification(c) for c in questionnaire.classifications]}
           if questionnaire.classifications else {}),
        **({"consistency": [canonical_consistency_rule(r) for r in questionnaire.consistency]}
           if questionnaire.consistency else {}),
    }


def _as_written(question: dict) -> dict:
    """A stored question in the form definitions are written in (``show_if`` for ``condition``;
    the empty keys left out)."""
    written = {key: value for key, value in question.items() if value is not None and key != "condition"}
    if question.get("condition"):
        written["show_if"] = {"question": question["condition"]["question"], "in": question["condition"]["values"]}
    return written


def from_canonical(data: dict) -> Questionnaire:
    """The questionnaire of a stored version (definitions stored before documents were declared
    have none: their citations are shown as written)."""
    raw = {key: value for key, value in data.items() if value is not None and key != "documents"}
    if data.get("documents"):
        raw["documents"] = {d["code"]: {"name": d["name"], "title": d["title"]} for d in data["documents"]}
    raw["sections"] = [{**{k: v for k, v in s.items() if v is not None and k != "questions"},
                        "questions": [_as_written(q) for q in s["questions"]]} for s in data["sections"]]
    return read_definition(raw, Checker(f"{data.get('id')} v{data.get('version')}"), stored=True)
