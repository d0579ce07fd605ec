"""What an uploaded file of an accepted type may not hold: macros and ActiveX controls in office
documents, archives that expand far beyond their size (ZIP bombs), and the EICAR test string
that every antivirus reports. This is no virus scanner (docs/security.md says what is not
checked and how to add ClamAV); it refuses what a document of laws never needs.

A DOCX or ODT is a ZIP: its directory is read first, and its declared sizes and compression
ratios are checked before anything is expanded; the parts are then expanded one by one with a
running cap (zipfile refuses a part larger than it declared, through its CRC check)."""
import re
import zipfile
from dataclasses import dataclass
from io import BytesIO

from flask import current_app

from app.attachments.filetypes import DOCX, ODT, FileType

#: Documents inside documents are opened this deep, no deeper (the last level is refused).
MAX_NESTING = 3
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
#: Parts that hold macros or ActiveX controls: VBA projects (DOCM, or a DOCX renamed), ActiveX,
#: and OpenDocument's Basic and script libraries.
_MACRO_PARTS = re.compile(r"(^|/)(vbaProject\.bin|vbaData\.xml)$|(^|/)activeX/|^(Basic|Scripts)/", re.I)
#: Inside the XML of a part: macro-enabled content types, ActiveX, a macro bound to an event,
#: and a template fetched from elsewhere (which can bring its macros along).
_MACRO_MARKERS = re.compile(rb"macroEnabled|vbaProject|activeX|vnd\.sun\.star\.script:|<script:event-listener"
                            rb"|/attachedTemplate\"[^>]*TargetMode=\"External\"|TargetMode=\"External\"[^>]*"
                            rb"/attachedTemplate\"", re.I)


@dataclass(frozen=True)
class Danger:
    #: ``macros``, ``expands`` or ``malware``.
    kind: str


def danger_in(data: bytes, file_type: FileType) -> Danger | None:
    """Why ``data`` (already recognised as ``file_type``) must not be kept, or None."""
    if EICAR in data:
        return Danger("malware")
    if file_type in (DOCX, ODT):
        return _danger_in_archive(data)
    return None


def _danger_in_archive(data: bytes, depth: int = 1) -> Danger | None:
    config = current_app.config
    if depth > MAX_NESTING:
        return Danger("expands")
    with zipfile.ZipFile(BytesIO(data)) as archive:
        members = archive.infolist()
        if len(members) > config["ATTACHMENT_MAX_PARTS"] or _expands_too_much(members):
            return Danger("expands")
        if any(_MACRO_PARTS.search(member.filename) for member in members):
            return Danger("macros")
        try:
            return next(filter(None, (_danger_in_part(archive, member, depth) for member in members)), None)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, RuntimeError, EOFError, NotImplementedError):
            return Danger("expands")  # a part that is not what the directory says


def _expands_too_much(members: list[zipfile.ZipInfo]) -> bool:
    config = current_app.config
    if sum(member.file_size for member in members) > config["ATTACHMENT_MAX_EXPANDED_BYTES"]:
        return True
    return any(member.file_size > config["ATTACHMENT_MAX_RATIO"] * max(member.compress_size, 1024)
               for member in members)


def _danger_in_part(archive: zipfile.ZipFile, member: zipfile.ZipInfo, depth: int) -> Danger | None:
    """Expand one part (at most its declared size, which was checked) and look inside."""
    if member.is_dir():
        return None
    content = archive.read(member)
    if EICAR in content:
        return Danger("malware")
    looks_like_xml = member.filename.lower().endswith((".xml", ".rels"))
    if looks_like_xml and _MACRO_MARKERS.search(content):
        return Danger("macros")
    if content.startswith(b"PK\x03\x04"):  # a document inside the document
        try:
            return _danger_in_archive(content, depth + 1)
        except zipfile.BadZipFile:
            return None
    return None
