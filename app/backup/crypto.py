"""Encryption of backup files (AES-256-GCM), for backups that hold secrets.

The file is the gzip stream cut into chunks of 64 KiB, each sealed on its own:

    MAGIC, an 8-byte random nonce prefix, then per chunk: a flag byte (1 for the last chunk),
    the sealed length (4 bytes, big-endian) and the sealed chunk (ciphertext and tag).

A chunk's nonce is the prefix and its number, and its flag is authenticated with it, so chunks
cannot be reordered, dropped or cut short at the end without the restore noticing."""
import io
import os
import struct

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"TIP-BACKUP-AES256GCM-1\n"
CHUNK = 64 * 1024
_FRAME = struct.Struct(">BI")


class DecryptionError(ValueError):
    """The file cannot be decrypted with this key, or was altered."""


def is_encrypted(path) -> bool:
    with open(path, "rb") as stream:
        return stream.read(len(MAGIC)) == MAGIC


def _nonce(prefix: bytes, number: int) -> bytes:
    return prefix + number.to_bytes(4, "big")


class EncryptingWriter(io.RawIOBase):
    """A writable stream that seals what it is given into ``raw``; closing it seals the last chunk."""

    def __init__(self, raw, key: bytes):
        super().__init__()
        self._raw, self._aead, self._prefix = raw, AESGCM(key), os.urandom(8)
        self._buffer, self._number = bytearray(), 0
        raw.write(MAGIC + self._prefix)

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._buffer += data
        while len(self._buffer) > CHUNK:
            self._seal(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def _seal(self, chunk: bytes, last: bool) -> None:
        flag = b"\x01" if last else b"\x00"
        sealed = self._aead.encrypt(_nonce(self._prefix, self._number), chunk, MAGIC + self._prefix + flag)
        self._raw.write(_FRAME.pack(last, len(sealed)) + sealed)
        self._number += 1

    def close(self) -> None:
        if not self.closed:
            self._seal(bytes(self._buffer), last=True)
        super().close()


class DecryptingReader(io.RawIOBase):
    """A readable stream of what an ``EncryptingWriter`` sealed into ``raw``."""

    def __init__(self, raw, key: bytes):
        super().__init__()
        if raw.read(len(MAGIC)) != MAGIC:
            raise DecryptionError("not an encrypted backup")
        self._raw, self._aead, self._prefix = raw, AESGCM(key), raw.read(8)
        self._plain, self._number, self._done = b"", 0, False

    def readable(self) -> bool:
        return True

    def readinto(self, target) -> int:
        while not self._plain and not self._done:
            self._plain = self._open_next()
        size = min(len(target), len(self._plain))
        target[:size], self._plain = self._plain[:size], self._plain[size:]
        return size

    def _open_next(self) -> bytes:
        frame = self._raw.read(_FRAME.size)
        if len(frame) < _FRAME.size:
            raise DecryptionError("the file ends before its last chunk: it is incomplete")
        last, length = _FRAME.unpack(frame)
        flag = b"\x01" if last else b"\x00"
        try:
            plain = self._aead.decrypt(_nonce(self._prefix, self._number), self._raw.read(length),
                                       MAGIC + self._prefix + flag)
        except InvalidTag:
            raise DecryptionError("it cannot be decrypted with this BACKUP_KEY, or it was altered") from None
        self._number += 1
        if last:
            self._done = True
            if self._raw.read(1):
                raise DecryptionError("data follows its last chunk")
        return plain
