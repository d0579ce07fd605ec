"""Which files may be uploaded, recognised by their content (magic bytes), never by their name
or the type the browser claims; and file names made safe to show and to send back."""
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass


@dataclass(frozen=True)
class FileType:
    media_type: str
    #: Extensions a file of this type may carry; the first is used when the name has none of them.
    extensions: tuple[str, ...]


PDF = FileType("application/pdf", ("pdf",))
DOCX = FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",))
ODT = FileType("application/vnd.oasis.opendocument.text", ("odt",))
TEXT = FileType("text/plain", ("txt", "text"))
PNG = FileType("image/png", ("png",))
JPEG = FileType("image/jpeg", ("jpg", "jpeg"))
GIF = FileType("image/gif", ("gif",))
WEBP = FileType("image/webp", ("webp",))
TIFF = FileType("image/tiff", ("tif", "tiff"))
FILE_TYPES = (PDF, DOCX, ODT, TEXT, PNG, JPEG, GIF, WEBP, TIFF)

_SIGNATURES = (
    (b"%PDF-", PDF), (b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG), (b"GIF87a", GIF),
    (b"GIF89a", GIF), (b"II*\x00", TIFF), (b"MM\x00*", TIFF),
)
#: Control characters that plain text does not contain (tab, line and form feeds are fine).
_NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_ODT_MIMETYPE = ODT.media_type.encode("ascii")


def _office_document(data: bytes) -> FileType | None:
    """DOCX (a ZIP with word/ parts) or ODT (a ZIP whose ``mimetype`` entry says so). Only the
    ZIP's directory and its tiny mimetype entry are read, never the compressed content."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "[Content_Types].xml" in names and any(name.startswith("word/") for name in names):
                return DOCX
            info = archive.getinfo("mimetype") if "mimetype" in names else None
            if info is not None and info.file_size <= 100 and archive.read(info).strip() == _ODT_MIMETYPE:
                return ODT
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError):
        return None
    return None


def _is_text(data: bytes) -> bool:
    """UTF-8 (or UTF-16 with a byte-order mark) without stray control characters."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            return False
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return False
    return _NOT_TEXT.search(text) is None


def sniff(data: bytes) -> FileType | None:
    """The type of ``data`` among ``FILE_TYPES``, or None when it is none of them."""
    for signature, file_type in _SIGNATURES:
        if data.startswith(signature):
            return file_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data.startswith(b"PK\x03\x04"):
        return _office_document(data)
    return TEXT if data and _is_text(data) else None


def safe_name(raw: str | None) -> str:
    """A name safe to show: no folders, no control or bidirectional-override characters (which
    can disguise ``txt.exe`` as ``exe.txt``), no characters that file systems refuse."""
    name = unicodedata.normalize("NFC", raw or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r'[<>:"|?*]', "_", name)
    return re.sub(r"\s+", " ", name).strip(" .")[:200]


def clean_filename(raw: str | None, file_type: FileType) -> str:
    """``safe_name`` with an extension that matches the content."""
    name = safe_name(raw)
    stem, dot, extension = name.rpartition(".")
    if not dot or extension.lower() not in file_type.extensions:
        stem, extension = name, file_type.extensions[0]
    stem = stem.strip(" .")[:150].strip(" .") or "document"
    return f"{stem}.{extension.lower()}"
