"""Source bytes to text: the declared encoding, a BOM, and line starts."""

from __future__ import annotations

import codecs
import io
import re
import tokenize
from dataclasses import dataclass
from typing import List, Tuple


@dataclass(frozen=True)
class SourceText:
    text: str
    encoding: str
    bom: bool

    def encode(self, text: str) -> bytes:
        data = text.encode(self.encoding)
        return codecs.BOM_UTF8 + data if self.bom else data


class DecodeError(Exception):
    """Source bytes that are not text in their declared (or default UTF-8) encoding; `row`
    and `col` (1-based) point at the offending byte."""

    def __init__(self, message: str, row: int = 1, col: int = 1) -> None:
        super().__init__(message)
        self.row = row
        self.col = col


def _byte_position(data: bytes, offset: int) -> Tuple[int, int]:
    """1-based line and column (in bytes) of `offset` in `data` (CRLF, CR, LF end lines)."""
    head = data[:offset]
    row = head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1
    last = max(head.rfind(b"\n"), head.rfind(b"\r"))
    return row, offset - last


def decode_source(data: bytes) -> SourceText:
    """Decode Python source bytes as the interpreter would (BOM, PEP 263 cookie)."""
    nul = data.find(b"\0")
    if nul >= 0:
        raise DecodeError("source contains a NUL byte", *_byte_position(data, nul))
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        message = str(exc)
        if "invalid or missing encoding declaration" in message:
            # the first two lines are not UTF-8 and declare no encoding: say where
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as err:
                row, col = _byte_position(data, err.start)
                raise DecodeError(f"not valid UTF-8 (byte 0x{data[err.start]:02x}) and no coding "
                                  f"declaration", row, col) from None
        if message.startswith("encoding problem") and data.startswith(codecs.BOM_UTF8):
            message = "a UTF-8 byte order mark and a coding declaration of another encoding"
        raise DecodeError(message.replace(" for '<string>'", "")) from None
    bom = data.startswith(codecs.BOM_UTF8)
    if bom:
        data = data[len(codecs.BOM_UTF8):]
        encoding = "utf-8"
    if encoding == "utf-8-sig":
        encoding = "utf-8"
    try:
        text = data.decode(encoding)
    except LookupError:
        raise DecodeError(f"unknown encoding `{encoding}` in the coding declaration") from None
    except UnicodeDecodeError as exc:
        row, col = _byte_position(data, exc.start)
        declared = "UTF-8" if encoding == "utf-8" else f"{encoding} (from its coding declaration)"
        raise DecodeError(f"not valid {declared}: byte 0x{data[exc.start]:02x} ({exc.reason})",
                          row, col + (3 if bom and row == 1 else 0)) from None
    return SourceText(text, encoding, bom)


LINE_BREAK = re.compile(r"\r\n|\r|\n")


def line_starts(text: str) -> List[int]:
    """Offsets at which each line starts (CRLF, CR and LF all end a line)."""
    return [0] + [m.end() for m in LINE_BREAK.finditer(text)]
