"""A ZIP archive written while it is sent: each file goes out as soon as it exists."""
import zipfile
from collections.abc import Iterable, Iterator
from datetime import datetime


class _Chunks:
    """A write-only, unseekable sink that ``zipfile`` writes to; ``take()`` empties it."""

    def __init__(self):
        self._chunks: list[bytes] = []

    def write(self, data) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data, self._chunks = b"".join(self._chunks), []
        return data


def stream_zip(files: Iterable[tuple[str, bytes]], when: datetime) -> Iterator[bytes]:
    """The bytes of a ZIP of ``files`` (name, content), yielded file by file. PDFs are already
    compressed, so they are stored as they are."""
    sink = _Chunks()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, content in files:
            archive.writestr(zipfile.ZipInfo(name, date_time=when.timetuple()[:6]), content)
            yield sink.take()
    yield sink.take()
