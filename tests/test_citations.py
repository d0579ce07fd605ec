"""Citations in the reader's language: the definition names the documents it cites, one function
writes a citation out, and pages and PDFs show no citation as written ("Protocol art.", "000 §")."""
import json
import re
from pathlib import Path

import pytest
import yaml
from flask_babel import force_locale

from app.extensions import db
from app.questionnaires.citations import format_citation, read_citation
from app.questionnaires.loader import DefinitionError, canonical, from_canonical, load_definition
from tests import factories
from tests.helpers import made_by_job, overview_url, pdf_text, section_url
from tests.test_page_languages import PageText
from tests.test_questionnaire_definitions import DOCUMENTS, definition, question, texts

TIP_PROTOCOL = Path(__file__).parent.parent / "questionnaires" / "tip-protocol" / "questionnaire.yaml"
#: Citations as written, as every language's reader sees them; the names come from the
#: Protocol questionnaire, the grammar from the catalogs.
EXPECTED = {
    # article
    "Protocol art. 5": {
        "en": "Protocol, art. 5", "fr": "Protocole, art. 5", "es": "Protocolo, art. 5",
        "ru": "Протокол, ст. 5", "zh": "《议定书》第5条", "ar": "البروتوكول، المادة 5"},
    # article and paragraph
    "Convention art. 11(1)": {
        "en": "Convention, art. 11(1)", "fr": "Convention, art. 11, par. 1", "es": "Convención, art. 11, párr. 1",
        "ru": "Конвенция, ст. 11, п. 1", "zh": "《公约》第11条第1款", "ar": "الاتفاقية، المادة 11، الفقرة 1"},
    # article, paragraph and subparagraph
    "Protocol art. 6(3)(a)": {
        "en": "Protocol, art. 6(3)(a)", "fr": "Protocole, art. 6, par. 3 a)", "es": "Protocolo, art. 6, párr. 3 a)",
        "ru": "Протокол, ст. 6, п. 3 a)", "zh": "《议定书》第6条第3款(a)项", "ar": "البروتوكول، المادة 6، الفقرة 3 (أ)"},
    # a subparagraph of the article itself
    "Protocol art. 3(d)": {
        "en": "Protocol, art. 3(d)", "fr": "Protocole, art. 3 d)", "es": "Protocolo, art. 3 d)",
        "ru": "Протокол, ст. 3 d)", "zh": "《议定书》第3条(d)项", "ar": "البروتوكول، المادة 3 (د)"},
    # paragraph of a report
    "001 §9": {
        "en": "Resolution 11/5, para. 9", "fr": "Résolution 11/5, par. 9", "es": "Resolución 11/5, párr. 9",
        "ru": "Резолюция 11/5, п. 9", "zh": "第11/5号决议第9段", "ar": "القرار 11/5، الفقرة 9"},
    # paragraph with subparagraph
    "000 §13(c)": {
        "en": "Working Group report 2009, para. 13(c)", "fr": "Rapport du Groupe de travail de 2009, par. 13 c)",
        "es": "Informe del Grupo de Trabajo de 2009, párr. 13 c)", "ru": "Доклад Рабочей группы 2009 года, п. 13 c)",
        "zh": "工作组2009年报告第13(c)段", "ar": "تقرير الفريق العامل لعام 2009، الفقرة 13 (ج)"},
    "000 §13(e)": {
        "en": "Working Group report 2009, para. 13(e)", "fr": "Rapport du Groupe de travail de 2009, par. 13 e)",
        "es": "Informe del Grupo de Trabajo de 2009, párr. 13 e)", "ru": "Доклад Рабочей группы 2009 года, п. 13 e)",
        "zh": "工作组2009年报告第13(e)段", "ar": "تقرير الفريق العامل لعام 2009، الفقرة 13 (هـ)"},
    # recommendation
    "004 rec. 31": {
        "en": "Working Group report 2019, recommendation 31", "fr": "Rapport du Groupe de travail de 2019, recommandation 31",
        "es": "Informe del Grupo de Trabajo de 2019, recomendación 31",
        "ru": "Доклад Рабочей группы 2019 года, рекомендация 31", "zh": "工作组2019年报告第31项建议",
        "ar": "تقرير الفريق العامل لعام 2019، التوصية 31"},
}
#: What must not be left on a page or in a PDF: citations as written.
AS_WRITTEN = re.compile(r"(Protocol|Convention) art\.|\b\d{3} §|\b\d{3} rec\.")


@pytest.fixture(scope="module")
def protocol():
    return load_definition(TIP_PROTOCOL)


@pytest.mark.parametrize("language", ["ar", "en", "es", "fr", "ru", "zh"])
@pytest.mark.parametrize("written", EXPECTED)
def test_a_citation_is_written_in_each_language(app, protocol, written, language):
    with force_locale(language):
        assert format_citation(protocol.cite(written), language) == EXPECTED[written][language]


def test_the_language_asked_for_wins_over_the_current_one(app, protocol):
    with force_locale("en"):
        assert format_citation(protocol.cite("Protocol art. 6(3)(a)"), "zh") == "《议定书》第6条第3款(a)项"
        assert format_citation(protocol.cite("Protocol art. 5"), "en") == "Protocol, art. 5"


def test_a_citation_the_definition_does_not_resolve_is_shown_as_written(app, protocol):
    with force_locale("zh"):
        for written in ("Statute art. 5", "Protocol art. 6(3)(a)(i)", "see the Protocol"):
            assert format_citation(read_citation(written, protocol.documents), "zh") == written
        # A definition stored before documents were declared has none: its citations read as written.
        stored = canonical(load_definition(TIP_PROTOCOL))
        older = from_canonical({key: value for key, value in stored.items() if key != "documents"})
        for question in older.questions.values():
            assert [format_citation(c, "zh") for c in question.sources_cited] == list(question.sources)


def _problems(tmp_path, data, section=None) -> list[str]:
    """Problems of ``data``; with ``section``, that section lives in sections/one.yaml."""
    if section is not None:
        (tmp_path / "sections").mkdir()
        (tmp_path / "sections" / "one.yaml").write_text(yaml.safe_dump(section, allow_unicode=True), encoding="utf-8")
    path = tmp_path / "questionnaire.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DefinitionError) as error:
        load_definition(path)
    return [str(problem) for problem in error.value.problems]


def test_an_undeclared_document_is_refused_naming_file_question_and_citation(tmp_path):
    section = {"id": "one", "title": texts("Section"), "questions": [
        question("q1", sources=["Protocol art. 5", "004 rec. 31"], provision="Statute art. 2", obligation="mandatory")]}
    data = {"id": "demo", "version": 1, "title": texts("T"), "documents": DOCUMENTS,
            "sections": [{"include": "sections/one.yaml"}]}
    problems = _problems(tmp_path, data, section)
    where = f"{tmp_path / 'sections' / 'one.yaml'}: question q1: "
    assert problems == [
        where + "the citation 004 rec. 31 cites the document 004, which documents does not declare.",
        where + "the citation Statute art. 2 cites the document Statute, which documents does not declare.",
    ]


@pytest.mark.parametrize("data,expected", [
    (definition(question("q1", sources=["Protocol art. 5", "000 §4"])),
     "documents is missing: declare each document the questions cite (000, Protocol)."),
    (definition(question("q1", sources=["Protocol, article 5"]), documents=DOCUMENTS),
     "question q1: the citation Protocol, article 5 is not in a form the platform can read; write e.g. "
     "Protocol art. 6(3)(a), Protocol art. 3(a), 000 §13(c), 004 rec. 31."),
    (definition(question("q1"), documents={0: {"name": texts("R"), "title": texts("Report")}}),
     'document 0: YAML reads this code as a number: write it in quotes, e.g. "000".'),
    (definition(question("q1"), documents={"Protocol": {"name": texts("P"), "title": {
        language: text for language, text in texts("Protocol").items() if language != "ar"}}}),
     "document Protocol: title is missing the language ar."),
    (definition(question("q1"), documents={"Model Law": {"name": texts("M"), "title": texts("Model")}}),
     "document Model Law: a document code is letters, digits, - and _, without spaces."),
])
def test_broken_documents_and_citations_are_explained(tmp_path, data, expected):
    problems = _problems(tmp_path, data)
    assert any(problem.endswith(expected) for problem in problems), problems


def test_the_export_names_the_documents_in_their_order(runner):
    exported = json.loads(runner.invoke(args=["questionnaires", "export", "test-questionnaire",
                                              "--format", "json"]).output)
    assert [document["code"] for document in exported["documents"]] == ["Protocol", "Convention", "000", "001"]
    assert exported["documents"][2]["name"]["zh"] == "工作组2009年报告"
    assert set(exported["documents"][0]["title"]) == {"ar", "en", "es", "fr", "ru", "zh"}


def _as(client, login, language):
    user = factories.user("focal_point", "FRA")
    user.locale = language
    db.session.commit()
    login(user)


@pytest.mark.parametrize("language,shown,title", [
    ("zh", ["《议定书》第6条第3款(a)项", "工作组2009年报告第15段", "工作组2009年报告第13(g)段"],
     "《联合国打击跨国有组织犯罪公约关于预防、禁止和惩治贩运人口特别是妇女和儿童行为的补充议定书》"),
    ("ar", ["البروتوكول، المادة 6، الفقرة 3 (أ)", "تقرير الفريق العامل لعام 2009، الفقرة 15",
            "تقرير الفريق العامل لعام 2009، الفقرة 13 (ز)"],
     "بروتوكول منع وقمع ومعاقبة الاتجار بالأشخاص، وبخاصة النساء والأطفال"),
])
def test_a_section_page_cites_in_the_readers_language(client, login, cycle, language, shown, title):
    _as(client, login, language)
    page = client.get(section_url(cycle, "protection")).text
    for citation in shown:
        assert f">{citation}</abbr></bdi>" in page
    assert f'<abbr class="citation" title="{title}' in page  # the full title, without JavaScript
    separator = {"zh": "</bdi>；<bdi>", "ar": "</bdi>؛ <bdi>"}[language]
    assert separator in page
    assert not AS_WRITTEN.search(page), AS_WRITTEN.search(page)


def _squeezed(text: str) -> str:
    """pdftotext reorders a right-to-left line's numbers, their commas and brackets, and moves its
    spaces: compare Arabic without them."""
    return re.sub(r"[\s\u200e\u200f\u202a-\u202e،()]", "", text)


@pytest.mark.parametrize("language,shown,documents", [
    ("zh", ["《议定书》第6条第3款(a)项", "资料来源", "2.1 《议定书》第5条第1款 · 工作组2009年报告第6段"],
     ["引用的文件", "《联合国打击跨国有组织犯罪公约》", "2009年4月14日和15日在维也纳举行的贩运人口问题工作组会议的报告"]),
    ("ar", ["البروتوكول، المادة 6، الفقرة 3 (أ)", "الاتفاقية، المادة 11، الفقرة 1"],
     ["الوثائق المستشهد بها", "اتفاقية الأمم المتحدة لمكافحة الجريمة المنظمة عبر الوطنية"]),
])
def test_a_profile_cites_in_the_readers_language_and_lists_the_documents(
        client, login, cycle, language, shown, documents):
    _as(client, login, language)
    client.post(section_url(cycle, "criminalization"), data={"q_crim_offence": "yes", "q_crim_law": "Code"})
    client.post(section_url(cycle, "protection"), data={"q_prot_shelter": "yes"})
    text = pdf_text(made_by_job(client, overview_url(cycle) + f"profile.pdf?lang={language}").data)
    words = " ".join(text.split())
    squeeze = _squeezed if language == "ar" else str
    for expected in shown + documents:
        assert squeeze(expected) in squeeze(words), expected
    assert not AS_WRITTEN.search(text), AS_WRITTEN.search(text)


@pytest.mark.parametrize("language,provision,heading", [
    ("zh", "《议定书》第5条第1款", "引用的文件"), ("ar", "البروتوكول، المادة 5، الفقرة 1", "الوثائق المستشهد بها"),
])
def test_the_blank_questionnaire_cites_in_the_readers_language(client, cycle, language, provision, heading):
    text = pdf_text(client.get(f"/cycles/{cycle.id}/questionnaire.pdf?lang={language}").data)
    assert _squeezed(provision) in _squeezed(text) and _squeezed(heading) in _squeezed(text)
    assert not AS_WRITTEN.search(text), AS_WRITTEN.search(text)


def test_the_secretariats_listing_cites_in_the_readers_language(client, login):
    user = factories.user("secretariat")
    user.locale = "zh"
    db.session.commit()
    login(user)
    page = client.get("/questionnaires/test-questionnaire/1/").text
    assert '<option value="Protocol art. 5">《议定书》第5条</option>' in page  # filtered by paragraph, shown in words
    assert '<option value="000 §18">工作组2009年报告第18段</option>' in page
    assert ">《议定书》第5条第1款</abbr></bdi> · <strong>强制性</strong>" in page
    assert not [text for text in PageText(page).strings if AS_WRITTEN.search(text)]
