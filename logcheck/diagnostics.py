"""The one diagnostic type that the engine produces and every writer, the cache and the
editor server consume. Plain frozen dataclasses, serialisable to and from JSON-able dicts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Tuple

SAFE = "safe"
UNSAFE = "unsafe"
#: a file that cannot be read, decoded or parsed
PARSE_ERROR_CODE = "LC000"
PARSE_ERROR_NAME = "parse-error"


@dataclass(frozen=True)
class Edit:
    """Replace the text between two 1-based (row, column) points with `content`."""

    content: str
    row: int
    col: int
    end_row: int
    end_col: int

    def to_dict(self) -> dict:
        return {
            "content": self.content,
            "location": {"row": self.row, "column": self.col},
            "end_location": {"row": self.end_row, "column": self.end_col},
        }

    @classmethod
    def from_dict(cls, d: dict) -> "Edit":
        return cls(
            d["content"],
            d["location"]["row"],
            d["location"]["column"],
            d["end_location"]["row"],
            d["end_location"]["column"],
        )


@dataclass(frozen=True)
class FixInfo:
    """What a fix does, as reported: its applicability, a message, and its text edits
    (edits may be empty when the caller did not ask for them to be computed)."""

    applicability: str
    message: str
    edits: Tuple[Edit, ...] = ()

    def to_dict(self) -> dict:
        return {
            "applicability": self.applicability,
            "message": self.message,
            "edits": [e.to_dict() for e in self.edits],
        }

    @classmethod
    def from_dict(cls, d: dict) -> "FixInfo":
        return cls(d["applicability"], d["message"], tuple(Edit.from_dict(e) for e in d["edits"]))


@dataclass(frozen=True)
class Diagnostic:
    path: str
    code: str
    name: str
    message: str
    row: int
    col: int
    end_row: int
    end_col: int
    fix: Optional[FixInfo] = None
    noqa_row: Optional[int] = None

    @property
    def sort_key(self):
        return (self.path, self.row, self.col, self.code)

    def fixable(self, unsafe: bool = False) -> bool:
        if self.fix is None:
            return False
        return self.fix.applicability == SAFE or unsafe

    def to_dict(self) -> dict:
        return {
            "path": self.path,
            "code": self.code,
            "name": self.name,
            "message": self.message,
            "row": self.row,
            "col": self.col,
            "end_row": self.end_row,
            "end_col": self.end_col,
            "fix": self.fix.to_dict() if self.fix else None,
            "noqa_row": self.noqa_row,
        }

    @classmethod
    def from_dict(cls, d: dict) -> "Diagnostic":
        fix = d.get("fix")
        return cls(
            d["path"],
            d["code"],
            d["name"],
            d["message"],
            d["row"],
            d["col"],
            d["end_row"],
            d["end_col"],
            FixInfo.from_dict(fix) if fix else None,
            d.get("noqa_row"),
        )
