"""The long-format export: one line per atomic answer (a chosen option, a table cell, a text),
streamed batch by batch so that memory stays flat for any number of States."""
import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from app.analysis.cells import neutralise
from app.analysis.dataset import EXPORT_BATCH, Scope, StateAnswers, state_answers
from app.analysis.derived import state_classes
from app.cycles.models import ReportingCycle
from app.questionnaires.schema import Questionnaire
from app.states.names import state_name

CSV_COLUMNS = ("state", "state_name", "cycle", "questionnaire", "questionnaire_version", "question_id",
               "table_row", "table_column", "value", "revision", "changed_in_revision", "status",
               "confidential")


@dataclass(frozen=True)
class Export:
    """What to export: a cycle's responses as ``scope`` sees them, of some States or all."""

    cycle: ReportingCycle
    questionnaire: Questionnaire
    scope: Scope
    state_codes: tuple[str, ...] | None = None
    locale: str = "en"

    def items(self, batch_size: int | None = EXPORT_BATCH, question_ids=None) -> Iterator[StateAnswers]:
        """Each State's answers (only those of ``question_ids`` and their conditions, if given)."""
        return state_answers(self.cycle, self.questionnaire, self.scope, self.state_codes,
                             question_ids=question_ids, batch_size=batch_size)


def records(export: Export, item: StateAnswers) -> Iterator[list]:
    """The export lines of one State, in questionnaire order."""
    response = item.response
    name = state_name(response.alpha2, export.locale)
    for question in export.questionnaire.questions.values():
        answer = item.answers.get(question.id)
        if answer is None:
            continue
        for row, column, value in question.answer_type.atoms(question, answer.value):
            yield [response.state_code, name, export.cycle.name, export.questionnaire.id,
                   export.questionnaire.version, question.id, row, column, value, response.revision,
                   answer.revision_number, response.status, "true" if answer.confidential else "false"]
    # Derived classifications: a line each, computed from the answers above (never confidential:
    # in public data they are computed without the confidential answers).
    for classification_id, class_id in state_classes(export.questionnaire, item).items():
        yield [response.state_code, name, export.cycle.name, export.questionnaire.id,
               export.questionnaire.version, classification_id, "", "", class_id, response.revision, "",
               response.status, "false"]


def _csv_line(writer, buffer: io.StringIO, rows: Iterable[list]) -> str:
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    chunk = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return chunk


def csv_chunks(export: Export, byte_order_mark: bool = False) -> Iterator[str]:
    """The CSV text, a chunk per State (UTF-8, comma-separated, a header line first). With
    ``byte_order_mark`` it starts with U+FEFF, without which Excel on Windows reads the file in
    the system's code page and garbles Arabic, Chinese and Russian; programs reading the API's CSV
    get none."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    yield ("\ufeff" if byte_order_mark else "") + _csv_line(writer, buffer, [list(CSV_COLUMNS)])
    for item in export.items():
        yield _csv_line(writer, buffer, records(export, item))
