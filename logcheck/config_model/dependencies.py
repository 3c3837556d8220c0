"""The project's declared dependency ranges (pyproject.toml `[project]` dependencies and
optional dependencies, Poetry's dependency tables, `requirements*.txt`), read once per
folder, and whether a range admits a version at or above a given one (LC807's fix)."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Dict, List, Optional, Tuple

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(\(?[^;#]*)")
_CLAUSE = re.compile(r"(~=|==|!=|<=|>=|<|>|===)\s*([0-9A-Za-z.*+!-]+)")
_VERSION = re.compile(r"^(\d+(?:\.\d+)*)(?:\.?(a|b|rc)(\d*))?")


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def version_key(text: str) -> Tuple:
    """A comparable key: release numbers, then pre-releases (a < b < rc) before the release."""
    m = _VERSION.match(text.strip().lstrip("v"))
    if m is None:
        return ((0,), 3, 0)
    release = tuple(int(p) for p in m.group(1).split("."))
    while len(release) > 1 and release[-1] == 0:
        release = release[:-1]
    pre = {"a": 0, "b": 1, "rc": 2}.get(m.group(2) or "", 3)
    return (release, pre, int(m.group(3) or 0))


def admits_at_least(specifier: str, minimum: str) -> bool:
    """Does the range `specifier` (PEP 440 clauses joined by commas) admit some version at
    or above `minimum`? An empty range admits every version."""
    low = version_key(minimum)
    for op, value in _CLAUSE.findall(specifier):
        if op in ("==", "===") and not value.endswith(".*") and version_key(value) < low:
            return False
        if op == "==" and value.endswith(".*"):
            prefix = version_key(value[:-2])[0]
            if prefix + (10 ** 9,) < low[0]:
                return False
        if op == "<" and version_key(value) <= low:
            return False
        if op == "<=" and version_key(value) < low:
            return False
        if op == "~=":
            parts = [int(p) for p in re.findall(r"\d+", value.split("a")[0].split("b")[0].split("rc")[0])]
            if len(parts) >= 2:
                upper = tuple(parts[:-2]) + (parts[-2] + 1,)
                if (upper, 0, 0) <= low:
                    return False
    return True


def _requirements_lines(text: str) -> List[str]:
    return [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith(("#", "-"))]


def _read(folder: Path) -> Dict[str, List[str]]:
    found: Dict[str, List[str]] = {}

    def add(line: str) -> None:
        m = _REQUIREMENT.match(line)
        if m is not None:
            found.setdefault(normalized(m.group(1)), []).append(m.group(2).strip("() "))

    pyproject = folder / "pyproject.toml"
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8")) if pyproject.is_file() else {}
    except (OSError, ValueError, UnicodeDecodeError):
        data = {}
    project = data.get("project", {}) if isinstance(data.get("project"), dict) else {}
    for line in project.get("dependencies", []) or []:
        add(str(line))
    for group in (project.get("optional-dependencies", {}) or {}).values():
        for line in group or []:
            add(str(line))
    poetry = data.get("tool", {}).get("poetry", {}) if isinstance(data.get("tool"), dict) else {}
    tables = [poetry.get("dependencies", {})] + [g.get("dependencies", {}) for g in
                                                  (poetry.get("group", {}) or {}).values() if isinstance(g, dict)]
    for table in tables:
        for name, spec in (table or {}).items():
            version = spec.get("version", "") if isinstance(spec, dict) else str(spec)
            found.setdefault(normalized(name), []).append(_poetry_range(version))
    for path in sorted(folder.glob("requirements*.txt")) + sorted(folder.glob("requirements/*.txt")):
        try:
            for line in _requirements_lines(path.read_text(encoding="utf-8")):
                add(line)
        except (OSError, UnicodeDecodeError):
            continue
    return found


def _poetry_range(version: str) -> str:
    """Poetry's `^1.2` / `~1.2` / `*` as PEP 440 clauses (enough for an upper bound)."""
    version = version.strip()
    if version.startswith("^"):
        parts = [int(p) for p in re.findall(r"\d+", version)] or [0]
        first = next((i for i, p in enumerate(parts) if p), len(parts) - 1)
        upper = parts[:first] + [parts[first] + 1]
        return f">={version[1:]},<{'.'.join(map(str, upper))}"
    if version.startswith("~") and not version.startswith("~="):
        parts = [int(p) for p in re.findall(r"\d+", version)] or [0]
        upper = parts[:1] + [parts[1] + 1] if len(parts) > 1 else [parts[0] + 1]
        return f">={version[1:]},<{'.'.join(map(str, upper))}"
    return "" if version == "*" else version


_CACHE: Dict[Path, Dict[str, List[str]]] = {}


def declared_ranges(root: Path, package: str) -> Optional[List[str]]:
    """The ranges the project at `root` declares for `package`, None when it declares none."""
    root = Path(root).absolute()
    if root not in _CACHE:
        _CACHE[root] = _read(root)
    return _CACHE[root].get(normalized(package))


def project_admits(root: Path, package: str, minimum: str) -> bool:
    """The project declares `package` and every declaration admits a version >= `minimum`."""
    ranges = declared_ranges(root, package)
    return bool(ranges) and all(admits_at_least(r, minimum) for r in ranges)
