"""The State's own answers as CSV: a line per answer, or per table cell and option ticked, with
the question's number and text in the interface language."""
import csv
import io

from app.analysis.cells import neutralise
from app.questionnaires.texts import localized


def answers_csv(questionnaire, answers: dict, locale: str, headers: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for section in questionnaire.sections:
        for question in section.questions:
            value = answers.get(question.id)
            if value is None:
                continue
            text = localized(question.text, locale)
            for row, column, atom in question.answer_type.atoms(question, value):
                writer.writerow([neutralise(cell) for cell in (question.number, question.id, text, row, column, atom)])
    return "\ufeff" + out.getvalue()  # the byte order mark tells Excel the file is UTF-8
