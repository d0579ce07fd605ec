"""``law_list``: the laws that give effect to a provision, each with its title, articles, date
of adoption, status, a link to the official text and, if the State wishes, the text itself as an
uploaded file. Stored as a list of ``LAW_PARTS`` dicts (docs/questionnaire-format.md, "Law lists").

The form's inputs are ``<field>-<n>-<part>`` for each part, a ``remove`` box, a ``detach`` box
for the uploaded text and a ``file`` input (stored by the save before the form is read, which
then finds the new attachment's id in ``attachment``)."""
import itertools
import re
from datetime import date
from difflib import SequenceMatcher
from urllib.parse import urlsplit

from babel.dates import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.questionnaires.answers import AnswerError, is_answered
from app.questionnaires.textdiff import ADDED, CHANGED, REMOVED, ItemChange, word_diff
from app.questionnaires.types.base import AnswerType, cell_empty, cell_text
from app.questionnaires.writing import writing_direction

#: The parts of one law, in the order they are shown.
LAW_PARTS = ("title", "article", "adopted", "status", "url", "attachment")
STATUSES = {
    "in_force": _l("In force"),
    "adopted": _l("Adopted, not yet in force"),
    "draft": _l("Draft or bill"),
    "repealed": _l("Repealed"),
}
#: The parts of a law a workbook row holds, in its columns (the uploaded text stays on the platform).
WORKBOOK_PARTS = ("title", "article", "adopted", "status", "url")
#: Empty rows a workbook offers for more laws.
WORKBOOK_EMPTY_ROWS = 5
LIMITS = {"title": 500, "article": 300, "url": 2000}
MAX_LAWS = 50
#: How many empty rows a law list offers on paper.
BLANK_ROWS = 3
#: How alike two law titles must be (difflib's ratio) to count as one law whose title was corrected.
SIMILAR_TITLES = 0.75
#: A file input of a law list entry: ``q_<question>-<entry>-file``.
FILE_INPUT = re.compile(r"^q_(?P<question>[a-z][a-z0-9_]{0,63})-(?P<entry>\d{1,3})-file$")


def status_label(status: str | None) -> str:
    return str(STATUSES[status]) if status in STATUSES else ""


def law_details(entry: dict, locale: str) -> str:
    """Status and date of adoption of a law: "In force, adopted on 5 August 2013"."""
    details = [status_label(entry.get("status"))] if entry.get("status") in STATUSES else []
    adopted = _adopted_date(entry.get("adopted"), locale)
    if adopted:
        details.append(_("adopted on %(date)s", date=adopted))
    return ", ".join(details)


def describe_law(entry: dict, locale: str) -> str:
    """One law on one line: "Penal Code, art. 225-4-1 (In force, adopted on 5 August 2013) https://..."."""
    text = entry["title"] + (", " + entry["article"] if entry.get("article") else "")
    details = law_details(entry, locale)
    text += f" ({details})" if details else ""
    return text + (" " + entry["url"] if entry.get("url") else "")


def _adopted_date(text, locale: str) -> str:
    try:
        return format_date(date.fromisoformat(text), format="long", locale=locale)
    except (TypeError, ValueError):
        return text or ""


def _is_web_address(text: str) -> bool:
    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not re.search(r"\s", text)


def _adopted(text: str, n: int) -> tuple[date | None, list[str]]:
    if not text:
        return None, []
    try:
        adopted = date.fromisoformat(text)
    except ValueError:
        return None, [_("Law %(n)d: enter the date of adoption as year-month-day, such as 2013-08-05.", n=n)]
    if adopted > date.today():
        return None, [_("Law %(n)d: the date of adoption cannot be in the future.", n=n)]
    return adopted, []


def _text_problems(text: dict[str, str], n: int) -> list[str]:
    problems = []
    if not text["title"]:
        problems.append(_("Law %(n)d: enter its title.", n=n))
    elif len(text["title"]) > LIMITS["title"]:
        problems.append(_("Law %(n)d: use at most %(max)d characters for the title.", n=n, max=LIMITS["title"]))
    if len(text["article"]) > LIMITS["article"]:
        problems.append(_("Law %(n)d: use at most %(max)d characters for the articles.", n=n,
                          max=LIMITS["article"]))
    return problems


def _reference_problems(text: dict[str, str], n: int) -> list[str]:
    problems = []
    if text["status"] and text["status"] not in STATUSES:
        problems.append(_("Law %(n)d: choose one of the statuses shown.", n=n))
    if text["url"] and (len(text["url"]) > LIMITS["url"] or not _is_web_address(text["url"])):
        problems.append(_("Law %(n)d: enter a web address that starts with http:// or https://.", n=n))
    if text["attachment"] and not text["attachment"].isdigit():
        problems.append(_("Law %(n)d: the uploaded text was not found; upload it again.", n=n))
    return problems


def _parse_law(raw: dict, n: int) -> tuple[dict | None, list[str]]:
    """One law from its form parts: (the entry, or None when every part is empty; problems in
    the order the parts are shown)."""
    text = {part: str(raw.get(part) or "").strip() for part in LAW_PARTS}
    if not any(text.values()):
        return None, []
    adopted, problems = _adopted(text["adopted"], n)
    entry = {
        "title": text["title"],
        "article": text["article"] or None,
        "adopted": adopted.isoformat() if adopted else None,
        "status": text["status"] or None,
        "url": text["url"] or None,
        "attachment": int(text["attachment"]) if text["attachment"].isdigit() else None,
    }
    return entry, _text_problems(text, n) + problems + _reference_problems(text, n)


def _similar(a: dict, b: dict) -> bool:
    """Whether two laws are one law edited (a corrected title) rather than two different laws."""
    return a["title"] == b["title"] or SequenceMatcher(None, a["title"], b["title"]).ratio() >= SIMILAR_TITLES


def law_changes(old: list | None, new: list | None, locale: str) -> tuple[ItemChange, ...]:
    """Laws added, removed or changed; laws are matched by title, in order."""
    old, new = old or [], new or []
    matcher = SequenceMatcher(None, [e["title"] for e in old], [e["title"] for e in new], autojunk=False)
    changes = []
    for _tag, i1, i2, j1, j2 in matcher.get_opcodes():
        pairs = list(itertools.takewhile(lambda pair: _similar(*pair), zip(old[i1:i2], new[j1:j2])))
        for before, after in pairs:
            if before != after:
                a, b = describe_law(before, locale), describe_law(after, locale)
                changes.append(ItemChange(CHANGED, a, b, word_diff(a, b)))
        changes.extend(ItemChange(REMOVED, old=describe_law(e, locale)) for e in old[i1 + len(pairs):i2])
        changes.extend(ItemChange(ADDED, new=describe_law(e, locale)) for e in new[j1 + len(pairs):j2])
    return tuple(changes)


class LawList(AnswerType):
    name = "law_list"
    takes_files = True
    label = _l("List of laws (JSON)")
    input = "laws"
    display = "laws"

    def posted(self, question, formdata, field, attachments=None, **context):
        """The entries as the form sent them (removed ones dropped). Only the State's own uploads
        (``attachments``, by id) may be referred to: another id is dropped, not trusted."""
        pattern = re.compile(rf"^{re.escape(field)}-(\d{{1,3}})-")
        indexes = sorted({int(m[1]) for key in formdata if (m := pattern.match(key))})
        entries = []
        for index in indexes:
            if formdata.get(f"{field}-{index}-remove"):
                continue
            entry = {part: formdata.get(f"{field}-{index}-{part}", "") for part in LAW_PARTS}
            known = entry["attachment"].isdigit() and int(entry["attachment"]) in (attachments or {})
            if formdata.get(f"{field}-{index}-detach") or not known:
                entry["attachment"] = ""
            entries.append(entry)
        return entries

    def refers_to_uploads(self, question, value, formdata=None, field=""):
        if any(isinstance(entry, dict) and entry.get("attachment") for entry in value or ()):
            return True
        prefix = f"{field}-"
        return formdata is not None and any(
            value for key, value in formdata.items() if key.startswith(prefix) and key.endswith("-attachment"))

    def parse(self, question, raw):
        """Laws from the form's entries (empty entries dropped); every entry needs a title.
        Entries are numbered as shown, so "Law 2" in a message is the second entry on the page."""
        entries, problems = [], []
        for n, item in enumerate(raw or [], start=1):
            entry, entry_problems = _parse_law(item, n)
            problems.extend(entry_problems)
            if entry is not None:
                entries.append(entry)
        if len(entries) > MAX_LAWS:
            problems.append(_("List at most %(max)d laws.", max=MAX_LAWS))
        if problems:
            raise AnswerError(*problems)
        return entries or None

    def shown(self, question, value):
        return [{part: "" if entry.get(part) is None else str(entry[part]) for part in LAW_PARTS}
                for entry in value or []]

    def format(self, question, value, locale):
        return "; ".join(describe_law(entry, locale) for entry in value) if is_answered(value) else ""

    def diff(self, question, old, new, locale):
        return {"items": law_changes(old, new, locale)}

    def pdf(self, question, value, locale):
        laws = []
        for law in value if isinstance(value, list) else []:
            if not isinstance(law, dict):
                continue
            laws.append({
                "title": str(law.get("title") or ""),
                "article": str(law.get("article") or ""),
                "adopted": _adopted_date(law.get("adopted"), locale),
                "status": status_label(law.get("status")),
                "url": str(law.get("url") or ""),
                "dir": writing_direction(str(law.get("title") or "")),
            })
        return {"kind": "laws", "laws": laws}

    def blank_hint(self, question):
        return _("One line per law. Status: %(statuses)s.", statuses="; ".join(str(s) for s in STATUSES.values()))

    def blank_grid(self, question, locale):
        labels = [_("Title of the law"), _("Article"), _("Date of adoption"), _("Status"), _("Link")]
        return {"columns": [{"label": label, "total": False} for label in labels],
                "rows": [{"label": "", "total": False}] * BLANK_ROWS, "no_row_labels": True}

    def workbook_columns(self, question, locale):
        return [_("Title of the law"), _("Article"), _("Date of adoption"), _("Status"), _("Link")]

    def workbook_rows(self, question, value, locale):
        count = len(value) if isinstance(value, list) else 0
        return [(str(n), str(n)) for n in range(1, count + WORKBOOK_EMPTY_ROWS + 1)]

    def workbook_cells(self, question, value, locale):
        cells = {}
        for n, entry in enumerate(value if isinstance(value, list) else [], start=1):
            adopted = entry.get("adopted")
            cells[str(n)] = [entry.get("title"), entry.get("article"), date.fromisoformat(adopted) if adopted else None,
                             status_label(entry.get("status")) or None, entry.get("url")]
        return cells

    def workbook_validation(self, question, locale):
        return [{"type": "textLength", "max": LIMITS["title"]}, {"type": "textLength", "max": LIMITS["article"]},
                {"type": "date"}, {"type": "list", "labels": [str(label) for label in STATUSES.values()]},
                {"type": "textLength", "max": LIMITS["url"]}]

    def workbook_hint(self, question, locale):
        return _("One line per law. Status: %(statuses)s.", statuses="; ".join(str(s) for s in STATUSES.values()))

    def workbook_raw(self, question, cells, locale, current=None):
        """The laws of the rows in order; a law keeps its uploaded text when its title is unchanged."""
        kept = {entry["title"]: entry.get("attachment") for entry in current or [] if isinstance(entry, dict)}
        statuses = {str(label).casefold(): key for key, label in STATUSES.items()}
        entries = []
        for _key, row in sorted(cells.items(), key=lambda item: int(item[0]) if item[0].isdigit() else 0):
            text = {part: "" if cell_empty(cell) else cell_text(cell).strip()
                    for part, cell in zip(WORKBOOK_PARTS, row)}
            if not any(text.values()):
                continue
            text["status"] = statuses.get(text.get("status", "").casefold(), text.get("status", ""))
            attachment = kept.get(text.get("title"))
            entries.append({**text, "attachment": "" if attachment is None else str(attachment)})
        return entries or None

    def sample(self, question, index, variant=0):
        return [{"title": "Act No. 12 of 2019 on preventing and combating trafficking in persons",
                 "article": "arts. 3-9", "adopted": "2019-06-30", "status": "in_force", "url": None,
                 "attachment": None}]


def uploads(section, files) -> list[tuple[str, int, object]]:
    """(question id, entry index, file) for each file chosen in one of the section's law lists."""
    law_lists = {question.id for question in section.questions if question.answer_type.takes_files}
    chosen = []
    for name, upload in files.items():
        match = FILE_INPUT.match(name)
        if match and match["question"] in law_lists and upload.filename:
            chosen.append((match["question"], int(match["entry"]), upload))
    return sorted(chosen, key=lambda item: (item[0], item[1]))


TYPE = LawList()
