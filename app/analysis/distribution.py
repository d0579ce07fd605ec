"""How States answered one question: counts and shares per option (or per year), figures for
numbers, totals by year for tables. Built from ``StateAnswers``, so it reports exactly what the
exports and the API contain."""
import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from app.analysis.dataset import StateAnswers
from app.analysis.names import StateRef, by_name, state_ref
from app.questionnaires.answers import option_label
from app.questionnaires.schema import Question, TableAxis
from app.questionnaires.types.marks import MARK_LABELS, figure, mark_label, row_mark
from app.tilemap import member_names, tile_map


@dataclass
class Bar:
    value: str
    label: str
    states: list[StateRef] = field(default_factory=list)
    #: The share of the States that answered.
    share: float = 0.0

    @property
    def count(self) -> int:
        return len(self.states)


@dataclass(frozen=True)
class NumberSummary:
    count: int
    minimum: Decimal
    median: Decimal
    maximum: Decimal
    total: Decimal


@dataclass(frozen=True)
class TableRowTotal:
    id: str
    label: str
    #: Sum across States for each column (None when no State filled that column in this row).
    cells: list[int | None]
    total: int
    reporting: list[StateRef]
    #: The States that marked the row (or the whole table) as having no figures, by mark
    #: ("not_collected"...): neither counted as 0 nor as not answered.
    marked: dict[str, list[StateRef]] = field(default_factory=dict)

    def marked_labelled(self) -> list[tuple[str, list[StateRef]]]:
        return [(mark_label(mark), refs) for mark, refs in self.marked.items()]


@dataclass(frozen=True)
class TableTotals:
    column_ids: list[str]
    #: Column labels in the reader's language.
    columns: list[str]
    rows: list[TableRowTotal]
    #: The rows are years, so their totals read as a trend.
    by_year: bool

    def width(self, row: TableRowTotal) -> float:
        """A row's total relative to the largest, for its bar."""
        largest = max((each.total for each in self.rows), default=0)
        return row.total / largest if largest else 0.0


@dataclass
class Distribution:
    question: Question
    #: States whose responses are counted (answered or not).
    counted: int
    answered: list[StateRef]
    bars: list[Bar] = field(default_factory=list)
    numbers: NumberSummary | None = None
    table: TableTotals | None = None
    #: (State, its answer) for numbers and texts, by State name.
    values: list[tuple[StateRef, object]] = field(default_factory=list)

    @property
    def not_answered(self) -> int:
        return self.counted - len(self.answered)


def _answered(question: Question, items: list[StateAnswers], locale: str) -> list[tuple[StateRef, object]]:
    found = []
    for item in items:
        answer = item.answers.get(question.id)
        if answer is not None:
            ref = state_ref(item.response.state_code, item.response.alpha2, locale, answer.confidential)
            found.append((ref, answer.value))
    return by_name(found, lambda pair: pair[0].name, locale)


def _option_bars(question: Question, answered: list[tuple[StateRef, object]], locale: str) -> list[Bar]:
    bars = {value: Bar(value, option_label(question, value, locale)) for value in question.option_values}
    for ref, value in answered:
        for chosen in value if isinstance(value, list) else [value]:
            if chosen in bars:
                bars[chosen].states.append(ref)
    return list(bars.values())


def _year_bars(question: Question, answered: list[tuple[StateRef, object]]) -> list[Bar]:
    bars: dict[str, Bar] = {}
    for ref, value in answered:
        year = str(value)[:4]
        bars.setdefault(year, Bar(year, year)).states.append(ref)
    return [bars[year] for year in sorted(bars)]


def _with_shares(bars: list[Bar], answered: int) -> list[Bar]:
    for bar in bars:
        bar.share = bar.count / answered if answered else 0.0
    return bars


def _numbers(answered: list[tuple[StateRef, object]]) -> NumberSummary | None:
    numbers = sorted(Decimal(str(value)) for _, value in answered if figure(value) is not None)  # marks apart
    if not numbers:
        return None
    return NumberSummary(len(numbers), numbers[0], Decimal(statistics.median(numbers)), numbers[-1], sum(numbers))


def top_level_columns(question: Question) -> list[TableAxis]:
    """Columns that are no part of another column's total: adding them up counts nothing twice."""
    parts = {part for column in question.columns for part in column.total_of}
    return [column for column in question.columns if column.id not in parts]


def _cell_total(row: dict, column: TableAxis) -> int | None:
    if column.id in row:
        return row[column.id]
    parts = [row[part] for part in column.total_of if part in row]
    return sum(parts) if parts else None


def table_totals(question: Question, answered: list[tuple[StateRef, object]], locale: str) -> TableTotals:
    top = top_level_columns(question)
    rows = []
    for axis in question.rows:
        cells: list[int | None] = [None] * len(question.columns)
        total, reporting, marked = 0, [], {}
        for ref, table in answered:
            if mark := row_mark(table, axis.id):
                marked.setdefault(mark, []).append(ref)
                continue
            row = table.get(axis.id) or {}
            if not row:
                continue
            reporting.append(ref)
            for index, column in enumerate(question.columns):
                if column.id in row:
                    cells[index] = (cells[index] or 0) + row[column.id]
            total += sum(value for column in top if (value := _cell_total(row, column)) is not None)
        rows.append(TableRowTotal(axis.id, axis.text(locale), cells, total, reporting,
                                  {mark: marked[mark] for mark in MARK_LABELS if mark in marked}))
    by_year = all(axis.id.isdigit() and len(axis.id) == 4 for axis in question.rows)
    return TableTotals([column.id for column in question.columns],
                       [column.text(locale) for column in question.columns], rows, by_year)


def distribution(question: Question, items: list[StateAnswers], locale: str) -> Distribution:
    answered = _answered(question, items, locale)
    result = Distribution(question, counted=len(items), answered=[ref for ref, _ in answered])
    kind = question.answer_type.distribution  # how the question's type is counted
    if kind == "choices":
        result.bars = _with_shares(_option_bars(question, answered, locale), len(answered))
    elif kind == "years":
        result.bars = _with_shares(_year_bars(question, answered), len(answered))
    elif kind == "numbers":
        result.numbers = _numbers(answered)
        result.values = answered
    elif kind == "table":
        result.table = table_totals(question, answered, locale)
    else:
        result.values = answered
    return result


def answer_map(result: Distribution, locale: str, rtl: bool, caption: str, missing_label: str):
    """The tile map of a question answered by one choice (or a year): each State coloured by
    its answer; None for other questions (several choices per State do not make one colour)."""
    if not result.bars or result.question.answer_type.several:
        return None
    categories = {state.code: bar.value for bar in result.bars for state in bar.states}
    return tile_map(categories, [(bar.value, bar.label) for bar in result.bars], member_names(locale), rtl=rtl,
                    caption=caption, missing_label=missing_label)
