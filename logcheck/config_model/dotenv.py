"""`.env` files (dotenv): `KEY=value` lines that a deployment loads into the program's
environment (Docker Compose's `env_file`, the Serverless Framework's `useDotenv`,
python-dotenv). Read for the variables the LC8xx rules are about; `#` starts a comment on
a line of its own or after an unquoted value, so `# noqa` works at a variable's line."""

from __future__ import annotations

import re
from typing import Iterator, Optional, Tuple

_LINE = re.compile(r"^([ \t]*(?:export[ \t]+)?)([A-Za-z_][A-Za-z0-9_.]*)[ \t]*=[ \t]*(.*)$")


def is_dotenv_name(name: str) -> bool:
    """`.env`, `.env.production`, `prod.env`."""
    lower = name.lower()
    return lower == ".env" or lower.startswith(".env.") or (lower.endswith(".env") and len(lower) > 4)


def dotenv_entries(text: str) -> Iterator[Tuple[str, Optional[str], int, int]]:
    """(name, value, line, column of the name) of each assignment; the value without its
    quotes and comment (None when it refers to another variable, `${OTHER}`)."""
    for row, line in enumerate(text.splitlines(), 1):
        match = _LINE.match(line)
        if match is None:
            continue
        raw = match.group(3)
        if raw[:1] in ("'", '"'):
            end = raw.find(raw[0], 1)
            value = raw[1:end] if end > 0 else raw[1:]
        else:
            value = re.split(r"[ \t]#", raw, 1)[0].strip() if not raw.startswith("#") else ""
        yield match.group(2), (None if "${" in value else value), row, len(match.group(1)) + 1
