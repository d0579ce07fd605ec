"""The plain data a profile is drawn from, tested on its own: tables with totals, charts of year
series, law lists, and what a public profile withholds."""
from datetime import datetime, timezone
from xml.etree import ElementTree

import pytest
from flask_babel import force_locale

from app.questionnaires.loader import load_definition
from app.reports import charts
from app.reports.profile import ProfileSource, build_profile
from tests.test_questionnaire_definitions import definition, question, table, texts

SVG = "{http://www.w3.org/2000/svg}"
SEX = ({"id": "women", "label": texts("Women")}, {"id": "men", "label": texts("Men")},
       {"id": "total", "label": texts("Total"), "total_of": ["women", "men"]})


def _questionnaire(tmp_path, *questions):
    import yaml

    path = tmp_path / "q.yaml"
    path.write_text(yaml.safe_dump(definition(*questions), allow_unicode=True), encoding="utf-8")
    return load_definition(path)


def _profile(questionnaire, answers, locale="en", **fields):
    source = ProfileSource(questionnaire=questionnaire, answers=answers, locale=locale, state_name="France",
                           state_code="FRA", cycle_name="2026", status="accepted", revision_number=3,
                           revision_date=datetime(2026, 5, 1, tzinfo=timezone.utc), **fields)
    with force_locale(locale):
        return build_profile(source)


def _questions(profile) -> dict:
    return {q["id"]: q for section in profile["sections"] for q in section["questions"]}


def test_a_year_table_with_a_total_column_is_charted_by_its_parts(app, tmp_path):
    questionnaire = _questionnaire(tmp_path, table("victims", rows=(2022, 2023, 2024), columns=SEX))
    value = {"2022": {"women": 4, "men": 1, "total": 5}, "2023": {"women": 6, "men": 2, "total": 8}}
    victims = _questions(_profile(questionnaire, {"victims": value}))["victims"]
    # The definition's total column is shown as a total; a total row over the years is added.
    assert [c["total"] for c in victims["table"]["columns"]] == [False, False, True]
    assert [r["label"] for r in victims["table"]["rows"]] == ["2022", "2023", "2024", "Total"]
    assert victims["table"]["rows"][1]["cells"] == ["6", "2", "8"]
    assert victims["table"]["rows"][2]["cells"] == ["", "", ""]
    assert victims["table"]["rows"][3]["cells"] == ["10", "3", "13"] and victims["table"]["rows"][3]["total"]
    # The chart stacks the parts of the total, one bar per year, the total on top.
    assert [item["label"] for item in victims["chart"]["legend"]] == ["Women (en)", "Men (en)"]
    assert victims["chart"]["labels"]["years"] == ["2022", "2023", "2024"]
    assert victims["chart"]["labels"]["totals"] == ["5", "8", "0"]
    svg = ElementTree.fromstring(str(victims["chart"]["svg"]))
    assert svg.find(f"{SVG}title").text == victims["chart"]["title"] == "victims (en)"
    assert len(svg.findall(f"{SVG}rect")) == 4  # two years with figures, two parts each
    # Each segment carries its figure, light on dark colours and dark on light ones (issue 17).
    labels = svg.findall(f"{SVG}g")  # one group of figure outlines per segment
    assert [len(label.findall(f"{SVG}path")) for label in labels] == [1, 1, 1, 1]
    outlines = charts._figure_outlines()[0]
    assert [label.find(f"{SVG}path").get("d") for label in labels] == [outlines[d][0] for d in "4162"]
    assert [label.get("fill") for label in labels] == ["#ffffff", "#1d2b36", "#ffffff", "#1d2b36"]


def test_a_segment_too_thin_for_its_figure_is_left_unlabelled(app, tmp_path):
    questionnaire = _questionnaire(tmp_path, table("victims", rows=(2022, 2023), columns=SEX))
    value = {"2022": {"women": 1000, "men": 3, "total": 1003}, "2023": {"women": 900, "men": 20, "total": 920}}
    chart = _questions(_profile(questionnaire, {"victims": value}, "fr"))["victims"]["chart"]
    labels = ElementTree.fromstring(str(chart["svg"])).findall(f"{SVG}g")
    # "1 000" (four digits, a narrow space without outline) and "900"; 3 and 20 have no room.
    assert [len(label.findall(f"{SVG}path")) for label in labels] == [4, 3]


def test_a_table_without_totals_gets_computed_ones_and_no_chart_without_years(app, tmp_path):
    questionnaire = _questionnaire(tmp_path, table("cases", rows=("police", "courts"), columns=SEX[:2]))
    cases = _questions(_profile(questionnaire, {"cases": {"police": {"women": 1200, "men": 3},
                                                          "courts": {"women": 2}}}))["cases"]
    assert cases["chart"] is None
    assert [c["label"] for c in cases["table"]["columns"]][-1] == "Total"
    assert [r["cells"] for r in cases["table"]["rows"]] == [["1,200", "3", "1,203"], ["2", "", "2"],
                                                            ["1,202", "3", "1,205"]]


def test_years_as_columns_are_charted_and_one_year_of_figures_is_not(app, tmp_path):
    questionnaire = _questionnaire(tmp_path, table("by_year", rows=("a", "b"), columns=({"id": "2023"}, {"id": "2024"})))
    charted = _questions(_profile(questionnaire, {"by_year": {"a": {"2023": 1, "2024": 2}, "b": {"2024": 5}}}))
    assert [item["label"] for item in charted["by_year"]["chart"]["legend"]] == ["a", "b"]
    single = _questions(_profile(questionnaire, {"by_year": {"a": {"2024": 2}}}))
    assert single["by_year"]["chart"] is None


def test_a_right_to_left_chart_runs_from_right_to_left(app, tmp_path):
    questionnaire = _questionnaire(tmp_path, table("victims", rows=(2022, 2023), columns=SEX))
    value = {"2022": {"women": 4, "men": 1, "total": 5}, "2023": {"women": 6, "men": 2, "total": 8}}
    chart = _questions(_profile(questionnaire, {"victims": value}, "ar"))["victims"]["chart"]
    bars = ElementTree.fromstring(str(chart["svg"])).findall(f"{SVG}rect")
    # 2022's bar (women at the bottom, drawn first) stands right of 2023's.
    assert float(bars[0].get("x")) > float(bars[2].get("x"))
    assert chart["labels"]["years"] == ["2022", "2023"]  # HTML, laid out right to left by the page


def test_chart_labels_are_escaped(app, tmp_path):
    columns = ({"id": "a", "label": texts("<b>A & B</b>")}, {"id": "b", "label": texts("B")})
    questionnaire = _questionnaire(tmp_path, question("t", "number_table", rows=[2022, 2023], columns=list(columns),
                                                      text=texts("<script>x</script>")))
    chart = _questions(_profile(questionnaire, {"t": {"2022": {"a": 1}, "2023": {"b": 2}}}))["t"]["chart"]
    assert "<script>" not in str(chart["svg"]) and "&lt;script&gt;" in str(chart["svg"])
    assert chart["legend"][0]["label"] == "<b>A & B</b> (en)"  # escaped by the template, as text


def test_law_lists_read_as_words(app, tmp_path):
    questionnaire = _questionnaire(tmp_path, question("laws", "law_list"))
    laws = [{"title": "Act No. 12 on trafficking", "article": "Art. 3", "adopted": "2019-06-30", "status": "in_force",
             "url": "https://example.org/act-12", "attachment": 7},
            {"title": "Draft amendment", "status": "unknown", "adopted": "not a date"}]
    item = _questions(_profile(questionnaire, {"laws": laws}, "fr"))["laws"]
    assert item["kind"] == "laws"
    assert item["laws"][0] == {"title": "Act No. 12 on trafficking", "article": "Art. 3", "adopted": "30 juin 2019",
                               "status": "En vigueur", "url": "https://example.org/act-12", "dir": "ltr"}
    assert item["laws"][1]["status"] == "" and item["laws"][1]["adopted"] == "not a date"


@pytest.fixture
def conditional(tmp_path):
    return _questionnaire(tmp_path, question("offence", "yes_no"),
                          question("law", "short_text", show_if={"question": "offence", "equals": "yes"}),
                          question("why_not", "short_text", show_if={"question": "offence", "equals": "no"}),
                          question("office", "short_text"))


def test_a_public_profile_withholds_confidential_answers_and_what_they_would_reveal(app, conditional):
    answers = {"offence": "yes", "law": "Penal Code", "office": "Ministry"}
    public = _questions(_profile(conditional, answers, confidential=frozenset({"offence"}), public=True))
    # The answer, the follow-up it shows and the one it hides are all withheld alike.
    assert [public[qid]["kind"] for qid in ("offence", "law", "why_not")] == ["withheld"] * 3
    assert public["office"]["answer"] == "Ministry"
    internal = _profile(conditional, answers, confidential=frozenset({"offence"}))
    questions = _questions(internal)
    assert questions["offence"]["answer"] == "Yes" and questions["offence"]["confidential"]
    assert "why_not" not in questions and internal["confidential"] == 1 and internal["withheld"] == 0

