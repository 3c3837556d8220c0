"""`--watch`: check, then check again whenever a file under the given paths changes.

Polling, with `os.stat` (no dependency, the same on every platform): every
`INTERVAL` seconds the size and modification time of every Python file, logging
configuration file and `pyproject.toml` under the paths are compared with their state
after the last run; any difference (a file changed, added or removed) starts a new run.
What a run writes itself (`--fix`, an `--output-file` under the paths) is that state, not
a change to react to."""

from __future__ import annotations

import os
import sys
import time
from typing import Callable, Dict, Iterable, Tuple

from logcheck.workspace.files import CONFIG_SUFFIXES, PYTHON_SUFFIXES

#: seconds between two looks at the files
INTERVAL = 0.3
#: folders never looked into (besides hidden ones): they change without the code changing
_SKIPPED = {"__pycache__", "node_modules", "venv", "build", "dist"}
_WATCHED = PYTHON_SUFFIXES + CONFIG_SUFFIXES


def snapshot(paths: Iterable[str]) -> Dict[str, Tuple[int, int]]:
    """(size, mtime in ns) of every file a check of `paths` may read."""
    seen: Dict[str, Tuple[int, int]] = {}

    def note(path: str) -> None:
        try:
            st = os.stat(path)
        except OSError:
            return
        seen[path] = (st.st_size, st.st_mtime_ns)

    for given in paths:
        if not os.path.isdir(given):
            note(given)
            continue
        for folder, dirs, files in os.walk(given):
            dirs[:] = [d for d in dirs if not d.startswith(".") and d not in _SKIPPED]
            for name in files:
                if name.endswith(_WATCHED) or name == "pyproject.toml":
                    note(os.path.join(folder, name))
    return seen


def watch(check: Callable[[], int], paths: Iterable[str], interval: float = INTERVAL) -> int:
    """Run `check` now and after every change, until interrupted (Ctrl-C: exit 0). A first
    run that is a usage or configuration error (exit 2) ends the watch with it."""
    paths = list(paths)
    try:
        status = check()
        if status == 2:
            return status
        last = snapshot(paths)
        while True:
            print(f"logcheck: [{time.strftime('%H:%M:%S')}] watching for file changes (Ctrl-C ends)", file=sys.stderr,
                  flush=True)
            sys.stdout.flush()
            current = last
            while current == last:
                time.sleep(interval)
                current = snapshot(paths)
            last = current
            print(f"logcheck: [{time.strftime('%H:%M:%S')}] files changed; checking again", file=sys.stderr, flush=True)
            check()
            last = snapshot(paths)  # a --fix run wrote some: that is not a change by the user
    except KeyboardInterrupt:
        return 0
