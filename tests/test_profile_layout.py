"""How profiles are laid out on paper, checked on the word boxes poppler reads back: a table with
one column per form of exploitation keeps its long Russian, French and Spanish headings apart, a
chart's legend breaks between its items, and a chart stays on the page of its table."""
import re
from datetime import datetime, timezone

import pytest
import yaml
from flask_babel import force_locale

from app.questionnaires.loader import load_definition
from app.reports.profile import ProfileSource, build_profile
from app.reports.render import render_profile_pdf
from app.reports.tables import label_width
from tests.helpers import _poppler
from tests.test_questionnaire_definitions import definition, question, table, texts

#: The columns of the shipped questionnaire's victims-by-form table (09-data.yaml), whose headings
#: printed over one another in Russian when the years' column took 30 % of the width.
FORMS = [
    ("sexual", {"en": "Sexual exploitation", "fr": "Exploitation sexuelle", "es": "Explotación sexual",
                "ru": "Сексуальная эксплуатация"}),
    ("forced_labour", {"en": "Forced labour or services", "fr": "Travail ou services forcés",
                       "es": "Trabajos o servicios forzados", "ru": "Принудительный труд или услуги"}),
    ("slavery", {"en": "Slavery or practices similar to slavery", "fr": "Esclavage ou pratiques analogues à l'esclavage",
                 "es": "Esclavitud o prácticas análogas a la esclavitud", "ru": "Рабство или обычаи, сходные с рабством"}),
    ("servitude", {"en": "Servitude", "fr": "Servitude", "es": "Servidumbre", "ru": "Подневольное состояние"}),
    ("organs", {"en": "Removal of organs", "fr": "Prélèvement d'organes", "es": "Extracción de órganos",
                "ru": "Извлечение органов"}),
    ("other", {"en": "Other forms", "fr": "Autres formes", "es": "Otras formas", "ru": "Другие формы"}),
]
YEARS = (2021, 2022, 2023, 2024, 2025)


def _label(words: dict) -> dict:
    return {**texts(words["en"]), **words}


def _forms_table(qid="by_form"):
    columns = [{"id": cid, "label": _label(words)} for cid, words in FORMS]
    columns.append({"id": "total", "label": _label({"en": "Total", "fr": "Total", "es": "Total", "ru": "Всего"}),
                    "total_of": [cid for cid, _ in FORMS]})
    return table(qid, rows=YEARS, columns=columns)


def _figures(offset: int) -> dict:
    rows = {}
    for y, year in enumerate(YEARS):
        cells = {cid: 10 + (y * 7 + c * 13 + offset) % 40 for c, (cid, _) in enumerate(FORMS)}
        rows[str(year)] = {**cells, "total": sum(cells.values())}
    return rows


def _pdf(app, tmp_path, locale, questions, answers) -> bytes:
    path = tmp_path / "layout.yaml"
    path.write_text(yaml.safe_dump(definition(*questions), allow_unicode=True), encoding="utf-8")
    source = ProfileSource(questionnaire=load_definition(path), answers=answers, locale=locale,
                           state_name="France", state_code="FRA", cycle_name="2026", status="accepted",
                           revision_number=1, revision_date=datetime(2026, 5, 1, tzinfo=timezone.utc))
    with app.test_request_context(), force_locale(locale):
        return render_profile_pdf(build_profile(source))


def word_boxes(pdf: bytes) -> list[list[tuple[str, float, float, float, float]]]:
    """Per page, (word, xMin, yMin, xMax, yMax) of each word, from ``pdftotext -bbox-layout``."""
    pages = _poppler(pdf, "pdftotext", "-bbox-layout").split("<page ")[1:]
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    return [[(word, float(x0), float(y0), float(x1), float(y1)) for x0, y0, x1, y1, word in re.findall(pattern, page)]
            for page in pages]


def overlapping(words) -> list[tuple[str, str]]:
    """Pairs of words whose boxes cross by more than half a point both ways: text printed over text."""
    pairs = []
    for i, (a, ax0, ay0, ax1, ay1) in enumerate(words):
        for b, bx0, by0, bx1, by1 in words[i + 1:]:
            if min(ax1, bx1) - max(ax0, bx0) > 0.5 and min(ay1, by1) - max(ay0, by0) > 0.5:
                pairs.append((a, b))
    return pairs


@pytest.mark.parametrize("locale", ["ru", "fr", "es"])
def test_headings_of_a_table_with_many_columns_do_not_overlap(app, tmp_path, locale):
    pdf = _pdf(app, tmp_path, locale, [_forms_table()], {"by_form": _figures(0)})
    pages = word_boxes(pdf)
    assert len(pages) >= 2 and sum(len(words) for words in pages[1:]) > 80  # the table's page was read
    for number, words in enumerate(pages, start=1):
        assert overlapping(words) == [], f"page {number}"


def test_the_years_column_takes_what_its_labels_need():
    years = [{"label": str(year)} for year in YEARS] + [{"label": "Итого"}]
    assert label_width(years, 8) == "10%"
    long_labels = [{"label": "Victims referred to assistance by civil society organizations"}]
    assert label_width(long_labels, 3) == "30%" and label_width(long_labels, 7) == "20%"
    assert label_width([{"label": "被害人总数"}], 3) == "12%"  # Chinese characters are a full em wide


def test_a_legend_breaks_between_items_and_a_chart_stays_with_its_table(app, tmp_path):
    """Eleven tables with charts: wherever a page ends, a chart is on the page of its table's
    heading row, and no legend item is split over two lines."""
    tables = [_forms_table(f"t{n}") for n in range(11)]
    pdf = _pdf(app, tmp_path, "en", [question("intro", "long_text")] + tables,
               {"intro": "Text.\n\n" * 12, **{f"t{n}": _figures(n) for n in range(11)}})
    for words in word_boxes(pdf):
        lines = {}
        for word, x0, y0, x1, y1 in words:
            lines.setdefault(round(y0), []).append(word)
        texts_by_line = [" ".join(line) for line in lines.values()]
        # "Removal of organs" and "Other forms" are legend items: never cut at the end of a line.
        for item in ("Removal of organs", "Other forms", "Slavery or practices similar to slavery"):
            first = item.split()[0]
            for line in texts_by_line:
                if line.endswith(f" {first}") or line == first:
                    assert False, f"legend item cut: {line!r}"
        # A page that shows a chart's years line also shows the table's heading row.
        chart_axes = sum(1 for line in texts_by_line if line.startswith("2021 2022 2023 2024 2025"))
        headings = sum(1 for line in texts_by_line if "Servitude" in line.split() and "Total" in line.split())
        assert chart_axes <= headings
