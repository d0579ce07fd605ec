"""The fields of a section form, named in one place: the page writes them (answering/section.html
takes the prefixes from here), the save reads them (``read_post``) and autosave.js reads the
version prefix from the form's ``data-version-prefix``.

- ``q_<id>``: the answer (a type may post several inputs named ``q_<id>-...``);
- ``c_<id>``: the box that marks the answer confidential;
- ``v_<id>``: the revision the answer was loaded at (0: never answered);
- ``seen_<id>``: in a conflict, the revision of the other answer shown beside it;
- ``resolve_<id>``: the editor's choice in a conflict, ``mine`` or ``theirs``;
- ``confirm``: fingerprints of the table warnings whose figures the editor confirms;
- ``action``: ``save`` or ``next`` (save and go to the next section)."""
from dataclasses import dataclass, field
from typing import Any

from app.questionnaires.schema import Section

ANSWER, CONFIDENTIAL, VERSION, SEEN, RESOLVE = "q_", "c_", "v_", "seen_", "resolve_"
CONFIRM, ACTION = "confirm", "action"
MINE, THEIRS = "mine", "theirs"


def answer_field(question_id: str) -> str:
    """Prefixed so a question id can never shadow another field (``action``, ``csrf_token``...)."""
    return ANSWER + question_id


@dataclass
class PostedSection:
    """A section form as posted, before any answer is checked."""

    #: What the form sent for each question it carries, as the form shows it (text, list, grid).
    raw: dict[str, Any] = field(default_factory=dict)
    #: The revision each answer was loaded at.
    versions: dict[str, int] = field(default_factory=dict)
    #: For conflicts settled by keeping one's own answer: the revision of the other answer seen.
    seen: dict[str, int] = field(default_factory=dict)
    #: Conflicts settled for the other answer.
    theirs: frozenset[str] = frozenset()
    #: The confidentiality marks of the questions the page showed (an unticked box sends nothing).
    marks: dict[str, bool] = field(default_factory=dict)
    #: Fingerprints of the warnings confirmed.
    confirmed: frozenset[str] = frozenset()

    @property
    def loaded(self) -> dict[str, int]:
        """The revision each answer was loaded at; for a conflict the editor settled by keeping
        their own answer, the revision of the other answer they were shown."""
        return {**self.versions, **self.seen}


def _numbers(formdata, section: Section, prefix: str) -> dict[str, int]:
    """Revision numbers of hidden fields; anything else (other digits than 0-9, "²", a number
    beyond any revision) is as if not posted."""
    return {q.id: int(raw) for q in section.questions
            if (raw := formdata.get(prefix + q.id, "")).isascii() and raw.isdigit() and len(raw) <= 18}


def read_post(section: Section, formdata, attachments: dict | None = None) -> PostedSection:
    """The section's fields in ``formdata``. A question the post does not carry is left out, so
    that a form that sent only some questions leaves the others alone."""
    posted = PostedSection(versions=_numbers(formdata, section, VERSION))
    stems = {key.partition("-")[0] for key in formdata}  # q_<id>-<row>-<column> is q_<id>'s
    for question in section.questions:
        name, kind = answer_field(question.id), question.answer_type
        if kind.sent(question, stems, name, VERSION + question.id):
            posted.raw[question.id] = kind.posted(question, formdata, name, attachments=attachments)
        marked = bool(formdata.get(CONFIDENTIAL + question.id))
        if marked or question.id in posted.versions:
            posted.marks[question.id] = marked
    seen = _numbers(formdata, section, SEEN)
    posted.seen = {qid: number for qid, number in seen.items() if formdata.get(RESOLVE + qid) == MINE}
    posted.theirs = frozenset(q.id for q in section.questions if formdata.get(RESOLVE + q.id) == THEIRS)
    posted.confirmed = frozenset(formdata.getlist(CONFIRM))
    return posted
