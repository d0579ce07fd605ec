"""The country profile as a reader sees it: cover, contents, parts, answers laid out for reading,
metadata and tagging, and each of the six languages with its fonts and direction."""
import re
import zlib

import pytest
import yaml

from app.extensions import db
from app.questionnaires.loader import load_definition
from app.questionnaires.models import QuestionnaireVersion
from app.questionnaires.operations import store_definition
from tests import factories
from tests.helpers import made_by_job, overview_url, pdf_fonts, pdf_info, pdf_text, pdf_words, section_url
from tests.test_questionnaire_definitions import definition, question

VICTIMS = {  # (women, men, girls, boys) per year
    "2021": (10, 5, 3, 2), "2022": (20, 10, 4, 1), "2023": (30, 12, 6, 2),
}


@pytest.fixture
def answered(client, login, cycle):
    """France's focal point answers through the forms; a required question stays unanswered."""
    login(factories.user("focal_point", "FRA"))
    client.post(section_url(cycle, "ratification"), data={
        "q_ratification_status": "signed",
        "q_ratification_obstacles": "Parliament has not yet voted.\n\nA bill is before the Senate.",
    })
    client.post(section_url(cycle, "criminalization"), data={
        "q_crim_offence": "yes", "q_crim_law": "Penal Code, article 225-4-1",
        "q_crim_forms": ["sexual", "forced_labour"], "q_crim_max_penalty": "12",
    })
    cells = {f"q_data_victims-{year}-{column}": str(value) for year, values in VICTIMS.items()
             for column, value in zip(("women", "men", "girls", "boys", "total"), (*values, sum(values)))}
    client.post(section_url(cycle, "data"), data={**cells, "q_data_body": "Ministry of Interior, Unit 12."})
    return cycle


def _profile(client, cycle, lang):
    response = made_by_job(client, overview_url(cycle) + f"profile.pdf?lang={lang}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return response.data


def test_cover_contents_parts_and_answers_laid_out_for_reading(client, answered):
    pdf = _profile(client, answered, "en")
    text = pdf_text(pdf)
    cover = text.split("\f")[0]
    for fact in ("COUNTRY PROFILE", "France", "Self-assessment of the implementation", "Reporting cycle",
                 "2026", "Draft", "Revision", "Date"):
        assert fact in cover
    # The table of contents gives each part's page.
    assert re.search(r"1\. Status of ratification\s*\.{5,}\s*3", cover)
    assert re.search(r"4\. Data collection\s*\.{5,}\s*6", cover)
    assert re.search(r"Documents cited\s*\.{5,}\s*7", cover)  # the full titles, last
    # Running header and footer from page 2 on, not on the cover; the key facts come first.
    assert re.search(r"At a glance\s*\.{5,}\s*2", cover)
    second = text.split("\f")[2]
    assert "France" in second.splitlines()[0] and "1. Status of ratification" in second.splitlines()[0]
    assert "Page 3 of 7" in second and "Page 1 of" not in cover
    # Each part opens with its introduction.
    assert "This section is optional." in second
    # Choices as words, long texts as paragraphs, numbers in the reader's format.
    assert "Neither signed nor acceded" not in text and "Signed but not ratified" in text
    assert "Sexual exploitation" in text and "Forced labour or services" in text and "forced_labour" not in text
    assert re.search(r"Parliament has not yet voted\.\s*\n\s*A bill is before the Senate\.", text)
    # A question that does not apply is named by its number only; an unanswered required one is marked.
    assert "In which year did your State ratify" not in text
    assert re.search(r"Question 1\.\d: not applicable, given the answers above\.", text)
    assert "Does your State provide appropriate housing" in text and "Required question not answered" in text
    # Tables of numbers come with totals: per year and per column, computed from the parts.
    assert re.search(r"2021\s+10\s+5\s+3\s+2\s+20", text)
    assert re.search(r"Total\s+60\s+27\s+13\s+5\s+105", text)


def _inflated_streams(pdf: bytes) -> bytes:
    """The PDF's compressed streams, inflated (the catalog lives in an object stream)."""
    chunks = []
    for match in re.finditer(rb"stream\r?\n", pdf):
        try:
            chunks.append(zlib.decompressobj().decompress(pdf[match.end():]))
        except zlib.error:
            continue
    return b"".join(chunks)


def test_metadata_and_accessible_tagged_pdf(client, answered):
    pdf = _profile(client, answered, "fr")
    info = pdf_info(pdf)
    assert re.search(r"Title:\s+France : profil de pays, cycle de présentation de rapports 2026", info)
    assert re.search(r"Subject:\s+Auto-évaluation de l'application du Protocole", info)
    assert re.search(r"Keywords:\s+traite des personnes", info)
    assert re.search(r"Tagged:\s+yes", info) and re.search(r"PDF version:\s+1\.7", info)
    assert 'pdfuaid:part="1"' in pdf_info(pdf, meta=True)
    catalog = _inflated_streams(pdf)
    assert b"/Lang (fr)" in catalog and b"/DisplayDocTitle true" in catalog
    # The chart is a figure whose alternative text is its title; tables keep their header cells.
    assert b"/S /Figure" in catalog and b"/S /TH" in catalog and b"/Alt" in catalog
    for line in pdf_fonts(pdf).splitlines()[2:]:
        assert line.split()[-5:-2] == ["yes", "yes", "yes"], line  # embedded, subset, ToUnicode


def _without_spaces_and_bidi_marks(text: str) -> str:
    """pdftotext wraps numbers in right-to-left lines in embedding marks and moves spaces."""
    return re.sub(r"[\s\u200e\u200f\u202a-\u202e]", "", text)


@pytest.mark.parametrize("lang,contents,page_two", [
    ("en", "Contents", "Page 2 of 6"),
    ("fr", "Table des matières", "Page 2 sur 6"),
    ("es", "Índice", "Página 2 de 6"),
    ("ru", "Содержание", "Страница 2 из 6"),
    ("zh", "目录", "第 2 页，共 6 页"),
    ("ar", "المحتويات", "الصفحة 2 من 6"),
])
def test_fixed_text_in_each_language(client, login, cycle, lang, contents, page_two):
    login(factories.user("focal_point", "FRA"))
    client.post(section_url(cycle, "data"), data={"q_data_body": "INSEE"})
    text = pdf_text(_profile(client, cycle, lang))
    assert contents in text and "INSEE" in text
    assert page_two.replace(" ", "") in _without_spaces_and_bidi_marks(text)


def test_chinese_profile_embeds_a_cjk_font(client, answered):
    pdf = _profile(client, answered, "zh")
    fonts = pdf_fonts(pdf)
    assert "Noto-Sans-CJK-SC" in fonts
    text = pdf_text(pdf)
    assert "国家概况" in text and "法国" in text and "《人口贩运议定书》执行情况自评" in text


def test_arabic_profile_runs_right_to_left_with_an_arabic_font(client, answered):
    pdf = _profile(client, answered, "ar")
    assert "Noto-Naskh-Arabic" in pdf_fonts(pdf)
    text = pdf_text(pdf)
    # Words whose letters join into ligatures (lam-alef) survive extraction with this font.
    assert "الاتجار بالأشخاص" in text and "المحتويات" in text
    # A State's English answer keeps its own left-to-right order, full stop at the end.
    assert "Ministry of Interior, Unit 12." in text
    # The table runs right to left: the year on the right, then women, men, girls, boys, total.
    words = pdf_words(pdf, 6)
    assert _right_to_left_row(words, "2021") == ["2021", "10", "5", "3", "2", "20"]
    assert _right_to_left_row(words, "النساء")[:2] == ["النساء", "الرجال"]


def _right_to_left_row(words, first: str) -> list[str]:
    """The words on the line of the lowest ``first`` on the page (the table is below the chart
    and its legend), from right to left, each in reading order."""
    top = max(top for word, _, top in words if word in (first, first[::-1]))
    row = sorted((w for w in words if abs(w[2] - top) < 1), key=lambda w: -w[1])
    return [word if word.isdigit() else word[::-1] for word, _, _ in row]


def test_a_law_list_reads_as_a_list_with_its_texts_escaped(client, login, tmp_path):
    path = tmp_path / "laws.yaml"
    path.write_text(yaml.safe_dump(definition(question("laws", "law_list")), allow_unicode=True), encoding="utf-8")
    store_definition(path, load_definition(path))
    cycle = factories.cycle(version=db.session.scalar(db.select(QuestionnaireVersion).filter_by(code="demo")))
    laws = [{"title": "Act <b>No. 12</b> on trafficking", "article": "Art. 3", "adopted": "2019-06-30",
             "status": "repealed", "url": "https://example.org/act-12", "attachment": 4}]
    factories.response("FRA", cycle, {"laws": laws})
    login(factories.user("focal_point", "FRA"))
    text = " ".join(pdf_text(_profile(client, cycle, "en")).split())
    assert "Act <b>No. 12</b> on trafficking, Art. 3 · adopted June 30, 2019 · Repealed" in text
    assert "https://example.org/act-12" in text
