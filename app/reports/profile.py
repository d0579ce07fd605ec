"""The plain data of a country profile: everything the PDF template needs, and nothing else
(no ORM objects), so the template cannot trigger queries or reach data it was not given.

Call inside ``force_locale(locale)``: choice labels and statuses are translated as they are read.
"""
from typing import Any

from babel.dates import format_date
from babel.lists import format_list
from flask_babel import gettext as _

from app.i18n import text_direction
from app.questionnaires.answers import is_answered
from app.questionnaires.citations import Citation, cited_documents, join_citations
from app.questionnaires.derived import classify
from app.questionnaires.schema import Question, Questionnaire, Section, localized
from app.questionnaires.scope import scope_facts
from app.questionnaires.writing import writing_direction
from app.reports.charts import bar, legend, stacked_bar_chart, year_labels
from app.reports.glance import at_a_glance
from app.reports.render import GENERATED_BASE_URL
from app.reports.source import ProfileSource, withheld_ids  # noqa: F401 (the profile's API)
from app.reports.tables import YearSeries, label_width
from app.responses.labels import status_label


def _chart(question: Question, series: dict, locale: str) -> dict:
    data = YearSeries(**series)
    title = localized(question.text, locale)
    svg = stacked_bar_chart(data, title, text_direction(locale) == "rtl", locale)
    return {"url": f"{GENERATED_BASE_URL}chart-{question.id}.svg", "svg": svg, "title": title,
            "labels": year_labels(data, locale), "legend": legend(data)}


def _answer(question: Question, value: Any, locale: str) -> dict:
    """How an answered question prints: what its type gives, a table laid out and charted."""
    answer = question.answer_type.pdf(question, value, locale)
    if "table" in answer:
        table = answer["table"]
        table["label_width"] = label_width(table["rows"], len(table["columns"]))
        series = answer.pop("series", None)
        answer["chart"] = _chart(question, series, locale) if series else None
    elif answer["kind"] == "text":
        answer["dir"] = writing_direction(answer["answer"])
    return answer


def cited(citations: tuple[Citation, ...], locale: str) -> dict:
    """Citations as the reader's language writes them, and the direction they read in (a citation
    shown as written, from a definition without documents, reads left to right in Arabic)."""
    text = join_citations(citations, locale)
    return {"text": text, "dir": writing_direction(text)}


def documents_cited(questionnaire: Questionnaire, citations: list[Citation], locale: str) -> list[dict]:
    """The short name and full title of each document cited, in the order the definition gives."""
    return [{"name": localized(document.name, locale), "title": localized(document.title, locale)}
            for document in cited_documents(citations, questionnaire.documents)]


def _question(source: ProfileSource, question: Question, number: str, withheld: set[str]) -> dict | None:
    value = source.answers.get(question.id)
    item = {"id": question.id, "number": number, "text": localized(question.text, source.locale),
            "provision": cited((question.provision_cited,) if question.provision_cited else (), source.locale),
            "sources": cited(tuple(c for c in question.sources_cited if c != question.provision_cited), source.locale),
            "confidential": question.id in source.confidential}
    if question.id in withheld:
        return {**item, "kind": "withheld"}
    if not source.questionnaire.applies(question, source.answers):
        return {**item, "kind": "not_applicable"}
    if not is_answered(value):
        return {**item, "kind": "missing" if question.required else "empty"}
    return {**item, **_answer(question, value, source.locale)}


def _blocks(questions: list[dict], locale: str) -> list[dict]:
    """The section's questions in order, each run of questions that do not apply as one line that
    names their numbers (numbering then has no unexplained gap)."""
    blocks = []
    for question in questions:
        if question["kind"] != "not_applicable":
            blocks.append({"question": question})
        elif blocks and "not_applicable" in blocks[-1]:
            blocks[-1]["not_applicable"].append(question["number"])
        else:
            blocks.append({"not_applicable": [question["number"]]})
    for block in blocks:
        if "not_applicable" in block:
            block["numbers"] = _run(block["not_applicable"], locale)
    return blocks


def _run(numbers: list[str], locale: str) -> str:
    """Consecutive question numbers as the reader's language lists them: "2.6", "2.6 and 2.7",
    or as a range, "2.6–2.9"."""
    return format_list(numbers, locale=locale) if len(numbers) < 3 else f"{numbers[0]}–{numbers[-1]}"


def _notes(questions: list[dict]) -> list[dict]:
    """The section's endnotes: what each question printed cites, under its number."""
    return [{"number": q["number"], "provision": q["provision"], "sources": q["sources"]}
            for q in questions if q["provision"]["text"] or q["sources"]["text"]]


def _section(source: ProfileSource, section: Section, number: int, withheld: set[str]) -> dict:
    questions = [_question(source, question, f"{number}.{index}", withheld)
                 for index, question in enumerate(section.questions, start=1)]
    printed = [question for question in questions if question["kind"] != "not_applicable"]
    return {
        "id": section.id,
        "number": number,
        "title": localized(section.title, source.locale),
        "intro": localized(section.intro, source.locale) if section.intro else "",
        "questions": printed,
        "blocks": _blocks(questions, source.locale),
        "notes": _notes(printed),
    }


def _citations(questionnaire: Questionnaire, sections: list[dict]) -> list[Citation]:
    """What the profile's questions cite: their provisions and sources."""
    questions = [questionnaire.questions[item["id"]] for section in sections for item in section["questions"]]
    return [c for q in questions for c in (q.provision_cited, *q.sources_cited) if c is not None]


def derived_classes(source: ProfileSource) -> list[dict]:
    """Each derived classification's title and the State's class, from the answers the reader
    may see (a public profile classifies without the withheld ones)."""
    questionnaire = source.questionnaire
    seen = {qid: value for qid, value in source.readable_answers.items()
            if qid in questionnaire.questions and questionnaire.applies(questionnaire.questions[qid], source.answers)}
    return [{"title": localized(c.title, source.locale), "label": c.label(classify(c, seen), source.locale)}
            for c in questionnaire.classifications]


def _glance(source: ProfileSource) -> dict:
    """The key facts, each chart's bars drawn as images (app/reports/glance.py)."""
    facts = at_a_glance(source)
    rtl = text_direction(source.locale) == "rtl"
    for number, chart in enumerate(facts["charts"]):
        for index, item in enumerate(chart["bars"]):
            item["url"] = f"{GENERATED_BASE_URL}glance-{chart['id']}-{index}.svg"
            item["svg"] = bar(item["share"], number, rtl)
    return facts


def build_profile(source: ProfileSource) -> dict:
    sections = [_section(source, section, number, source.withheld)
                for number, section in enumerate(source.questionnaire.sections, start=1)]
    title = localized(source.questionnaire.title, source.locale)
    return {
        "locale": source.locale,
        "dir": text_direction(source.locale),
        "title": title,
        "pdf_title": _("%(state)s: country profile, reporting cycle %(cycle)s", state=source.state_name,
                       cycle=source.cycle_name),
        "subject": title,
        "keywords": [_("trafficking in persons"), _("country profile"), source.state_name, source.cycle_name],
        "state_name": source.state_name,
        "state_code": source.state_code,
        "cycle": source.cycle_name,
        "scope": scope_facts(source.questionnaire.scope),
        "status": status_label(source.status),
        "revision": source.revision_number,
        "revision_date": format_date(source.revision_date, format="long", locale=source.locale),
        "public": source.public,
        "withheld": sum(1 for s in sections for q in s["questions"] if q["kind"] == "withheld"),
        "confidential": 0 if source.public else sum(1 for s in sections for q in s["questions"] if q["confidential"]),
        "glance": _glance(source),
        "sections": sections,
        "derived": derived_classes(source),
        "documents": documents_cited(source.questionnaire, _citations(source.questionnaire, sections), source.locale),
    }
