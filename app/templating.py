"""Jinja filters shared by every feature's templates."""
from babel.lists import format_list

from app.attachments.operations import file_size
from app.auth.people import person
from app.i18n import current_locale
from app.questionnaires.answers import format_answer, is_answered, table_cell
from app.questionnaires.citations import SEPARATORS, document_title, format_citation
from app.questionnaires.provisions import obligation_label, obligation_meaning, paragraph
from app.questionnaires.schema import localized
from app.questionnaires.scope import scope_facts
from app.questionnaires.versions import questionnaire_for
from app.questionnaires.types.law_list import law_details
from app.questionnaires.types.marks import mark_label, row_mark
from app.responses.labels import action_label, status_label
from app.states.names import state_name


def init_app(app) -> None:
    app.jinja_env.filters.update(
        localized=lambda texts: localized(texts, current_locale()),
        # "2.3 Text of the question": numbered as on section pages and in PDFs.
        numbered=lambda question: " ".join(filter(None, (question.number, localized(question.text, current_locale())))),
        # A stored version's title, from its parsed questionnaire (never from its 900 KB of JSON).
        questionnaire_title=lambda version: localized(questionnaire_for(version).title, current_locale()),
        # Rows and columns of tables; macros are imported without the context, so they cannot
        # pass current_locale themselves.
        status_label=status_label,
        action_label=action_label,
        state_name=lambda state: state_name(state.alpha2, current_locale()),
        answer_text=lambda value, question: format_answer(question, value, current_locale()),
        answer_items=lambda value, question: question.answer_type.items(question, value, current_locale()),
        # Table rows and columns in the user's language (macros are imported without the context).
        axis_text=lambda axis: axis.text(current_locale()),
        # Why a table ("*") or one of its rows has no figures ("Data not collected"), or "".
        table_mark=lambda value, row: mark_label(row_mark(value, row)),
        law_details=lambda entry: law_details(entry, current_locale()),
        obligation_label=obligation_label,
        obligation_meaning=obligation_meaning,
        paragraph=paragraph,
        # "Protocol art. 6(3)(a)" as the reader's language cites it, and the document's full title.
        citation=lambda citation: format_citation(citation, current_locale()),
        citation_title=lambda citation: document_title(citation, current_locale()),
        file_size=file_size,
        # A user as colleagues see them: "Amina Diallo (Ministry of Justice)".
        person=person,
        # "A, B and C" as the language writes it ("A、B和C").
        format_list=lambda items: format_list(list(items), locale=current_locale()),
    )
    app.jinja_env.globals.update(is_answered=is_answered, table_cell=table_cell, scope_facts=scope_facts,
                                 citation_separator=lambda: SEPARATORS.get(current_locale(), "; "))
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
