"""The SDG indicator 16.2.2 export: detected victims of trafficking by year, sex, age and form of
exploitation, one line per figure (long CSV: state, year, sex, age, form, value, source), from
the victim tables of the accepted or published responses (the open-data API: published only).

The mapping is UNODC's (questionnaires/tip-protocol/V3-NOTES.md §2): the table of all victims
gives the form ``total``; sexual exploitation and forced labour have tables of their own; six
tables add up to ``other``; one is ``unknown``. Each sex-and-age column is one (sex, age) cell;
the lines ``total`` add up the cells given (a cell left empty is not counted as 0: a line
exists only where the State gave at least one of its figures). A questionnaire without these
tables exports only the header."""
import csv
import io
from collections.abc import Iterator

from app.analysis.cells import neutralise
from app.analysis.exports import Export

SDG_COLUMNS = ("state", "year", "sex", "age", "form", "value", "source")
TABLE_PREFIX = "data_victims_"
#: Form of exploitation -> the victim tables (ids without the prefix) that add up to it.
FORMS = {
    "total": ("sex_age",),
    "sexual_exploitation": ("sexual",),
    "forced_labour": ("forced_labour",),
    "other_purposes": ("criminality", "begging", "marriage", "organs", "mixed", "other_forms"),
    "unknown": ("form_unknown",),
}
#: Column of the victim tables -> (sex, age).
CELLS = {
    "women": ("female", "adult"), "men": ("male", "adult"), "adult_sex_unknown": ("unknown", "adult"),
    "girls": ("female", "child"), "boys": ("male", "child"), "child_sex_unknown": ("unknown", "child"),
    "female_age_unknown": ("female", "unknown"), "male_age_unknown": ("male", "unknown"),
    "unknown": ("unknown", "unknown"),
}
SOURCE_QUESTION = "data_victims_source"
SEXES, AGES = ("female", "male", "unknown"), ("adult", "child", "unknown")


def tables_of(questionnaire) -> list[str]:
    """The victim tables of the mapping that the questionnaire has (and the source question)."""
    wanted = [TABLE_PREFIX + table for tables in FORMS.values() for table in tables] + [SOURCE_QUESTION]
    return [qid for qid in wanted if qid in questionnaire.questions]


def _form_cells(answers: dict, tables: tuple[str, ...]) -> dict[str, dict[tuple[str, str], int]]:
    """Year -> (sex, age) -> the sum of the figures the tables give for that cell."""
    years: dict[str, dict[tuple[str, str], int]] = {}
    for table in tables:
        state = answers.get(TABLE_PREFIX + table)
        for year, row in (state.value if state else {}).items():
            for column, value in (row or {}).items():
                if column in CELLS and isinstance(value, int) and not isinstance(value, bool):
                    cell = years.setdefault(year, {})
                    cell[CELLS[column]] = cell.get(CELLS[column], 0) + value
    return years


def _lines(cells: dict[tuple[str, str], int]) -> Iterator[tuple[str, str, int]]:
    """(sex, age, value): each cell given, then the totals by sex, by age, and overall."""
    for (sex, age), value in sorted(cells.items(), key=lambda item: (SEXES.index(item[0][0]), AGES.index(item[0][1]))):
        yield sex, age, value
    for sex in SEXES:
        given = [value for (s, _age), value in cells.items() if s == sex]
        if given:
            yield sex, "total", sum(given)
    for age in AGES:
        given = [value for (_sex, a), value in cells.items() if a == age]
        if given:
            yield "total", age, sum(given)
    yield "total", "total", sum(cells.values())


def state_records(item) -> Iterator[list]:
    """The export lines of one State: by year, then form, then sex and age."""
    source = item.answers.get(SOURCE_QUESTION)
    sources = "; ".join(source.value) if source and isinstance(source.value, list) else ""
    by_form = {form: _form_cells(item.answers, tables) for form, tables in FORMS.items()}
    years = sorted({year for cells in by_form.values() for year in cells})
    for year in years:
        for form, cells in by_form.items():
            for sex, age, value in _lines(cells.get(year, {})) if cells.get(year) else ():
                yield [item.response.state_code, year, sex, age, form, value, sources]


def sdg_chunks(export: Export, byte_order_mark: bool = False) -> Iterator[str]:
    """The CSV text, a chunk per batch of States, reading only the victim tables."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(SDG_COLUMNS)
    yield ("\ufeff" if byte_order_mark else "") + _flush(buffer)
    tables = tables_of(export.questionnaire)
    if not tables:
        return
    for item in export.items(question_ids=tables):
        for record in state_records(item):
            writer.writerow([neutralise(cell) for cell in record])
        yield _flush(buffer)


def _flush(buffer: io.StringIO) -> str:
    chunk = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return chunk
