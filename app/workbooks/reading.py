"""Reading an uploaded workbook back: its stamp checked (signature, State, cycle, questionnaire
version), its sheets and hidden row keys compared with the layout it was made with, and the
answer cells of each question gathered. A workbook that fails a check is refused whole, with a
message that names the file and the problem."""
import hmac
import io
import json
import zipfile
import zlib
from dataclasses import dataclass, field
from zipfile import BadZipFile

from flask_babel import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from app.i18n import current_locale
from app.states.names import state_name
from app.workbooks.build import FIRST_ANSWER, FORMAT, STAMP_SHEET, sign

#: The largest workbook accepted, and what its parts may unpack to (a zip bomb is refused).
MAX_BYTES = 10 * 1024 * 1024
MAX_UNPACKED = 100 * 1024 * 1024


class Refused(Exception):
    """A workbook that cannot be imported; the message names the file and says why."""


@dataclass
class WorkbookRead:
    filename: str
    #: The revision each answer stood at when the workbook was downloaded.
    loaded: dict[str, int]
    #: The language of its labels (choices are read back by their labels in it).
    locale: str
    #: The answer cells of each question: {question id: {row key: [cells]}} ("" for its own row).
    cells: dict[str, dict[str, list]] = field(default_factory=dict)


def _open(filename: str, data: bytes):
    if len(data) > MAX_BYTES:
        raise Refused(_("%(file)s is larger than %(max)d MB.", file=filename, max=MAX_BYTES // (1024 * 1024)))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
                raise Refused(_("%(file)s is larger than %(max)d MB.", file=filename, max=MAX_BYTES // (1024 * 1024)))
        return load_workbook(io.BytesIO(data), data_only=True)
    except (BadZipFile, InvalidFileException, KeyError, ValueError, OSError, TypeError, SyntaxError, EOFError,
            zlib.error):
        # SyntaxError: a part that is not well-formed XML (ElementTree's ParseError); zlib.error
        # and EOFError: a part whose compressed bytes are damaged or cut short
        raise Refused(_("%(file)s is not an Excel workbook (.xlsx) or it is damaged.", file=filename))


def _stamp(filename: str, workbook) -> dict:
    if STAMP_SHEET not in workbook.sheetnames:
        raise Refused(_("%(file)s is not a workbook downloaded from this platform.", file=filename))
    sheet = workbook[STAMP_SHEET]
    signature = sheet["B1"].value
    text = "".join(str(row[1].value or "") for row in sheet.iter_rows(min_row=2, max_col=2) if row[0].value == "data")
    if not isinstance(signature, str) or not hmac.compare_digest(signature, sign(text)):
        raise Refused(_("%(file)s has been altered: its hidden identification does not match its signature.",
                        file=filename))
    stamp = json.loads(text)
    if stamp.get("format") != FORMAT:
        raise Refused(_("%(file)s was made by an older version of the platform: download the workbook again.",
                        file=filename))
    return stamp


def _check_context(filename: str, stamp: dict, ctx) -> None:
    if stamp["state"] != ctx.state.code:
        raise Refused(_("%(file)s is the workbook of %(other)s, not of %(state)s.", file=filename,
                        other=state_name(stamp.get("alpha2", ""), current_locale()),
                        state=state_name(ctx.state.alpha2, current_locale())))
    if stamp["cycle"] != ctx.cycle.id:
        raise Refused(_("%(file)s belongs to another reporting cycle, not to %(cycle)s.", file=filename,
                        cycle=ctx.cycle.name))
    if stamp["version"] != ctx.cycle.questionnaire_version_id:
        raise Refused(_("%(file)s was made for another version of the questionnaire: download the workbook again.",
                        file=filename))


def _rows(filename: str, workbook, title: str, keys: list[str]):
    """(key, row of cells) of a sheet, refused unless its hidden keys are the layout's, row by row."""
    if title not in workbook.sheetnames:
        raise Refused(_("%(file)s has no sheet named “%(sheet)s”: sheets must not be renamed or deleted.",
                        file=filename, sheet=title))
    rows = list(workbook[title].iter_rows(min_row=1, max_row=max(len(keys), workbook[title].max_row), values_only=True))
    found = [str(row[0]) if row and row[0] is not None else "" for row in rows]
    found += [""] * (len(keys) - len(found))
    if found[:len(keys)] != keys or any(found[len(keys):]):
        raise Refused(_("%(file)s: the rows or hidden identifiers of sheet “%(sheet)s” were moved, added or "
                        "deleted; only the answer cells may change.", file=filename, sheet=title))
    return zip(keys, rows)


def read_workbook(ctx, filename: str, data: bytes) -> WorkbookRead:
    """The answers in an uploaded workbook of ``ctx`` (a ResponseContext). Raises ``Refused``."""
    workbook = _open(filename, data)
    stamp = _stamp(filename, workbook)
    _check_context(filename, stamp, ctx)
    read = WorkbookRead(filename, {qid: int(number) for qid, number in stamp["loaded"].items()}, stamp["locale"])
    for title, keys in stamp["layout"]:
        for key, row in _rows(filename, workbook, title, keys):
            kind, _sep, rest = key.partition(":")
            if kind not in ("q", "r"):
                continue
            qid, _sep, row_key = rest.partition(":")
            read.cells.setdefault(qid, {})[row_key] = list(row[FIRST_ANSWER - 1:])
    return read
