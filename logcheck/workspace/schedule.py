"""Which batch of files a worker process checks next.

A worker keeps what it learns about a project (its files' bytes, the word index, the call
graph, the other modules' facts: `semantics/callgraph.py`, `semantics/project.py`) for as
long as it checks that project's files. Batches handed out in plain order alternate between
the workers, so each of them builds the same project's caches. Here a worker that finishes a
batch gets the next batch of the same project while the project has one; then a project no
worker has started (in the order of the files); then, when every project is started, the
last batch of the project with the most left (so the two workers finish together). Only the
order of the work changes: every file is checked the same way wherever it goes.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Deque, Dict, Hashable, List, Optional, Sequence


@dataclass(frozen=True)
class Batch:
    """Jobs `start` to `stop` (exclusive) of the run, all of project `project`."""
    start: int
    stop: int
    project: int


class ProjectQueue:
    """The batches of a run, handed out project by project (see the module docstring)."""

    def __init__(self, projects: Sequence[Hashable], size: int) -> None:
        """`projects[i]`: the project of job i (equal keys, one project); at most `size` jobs a
        batch. A project's jobs need not be contiguous: each run of them is batched apart."""
        ids: Dict[Hashable, int] = {}
        self._left: List[Deque[Batch]] = []
        start = 0
        while start < len(projects):
            stop = start
            while stop < len(projects) and stop - start < size and projects[stop] == projects[start]:
                stop += 1
            project = ids.setdefault(projects[start], len(ids))
            if project == len(self._left):
                self._left.append(deque())
            self._left[project].append(Batch(start, stop, project))
            start = stop
        #: the projects no worker has started, the one with the most files last
        self._fresh = sorted(range(len(self._left)), key=lambda p: _files(self._left[p]))

    def take(self, after: Optional[Batch] = None) -> Optional[Batch]:
        """The batch for the worker that has just finished `after` (None: a worker's first);
        None when every batch is handed out."""
        if after is not None and self._left[after.project]:
            return self._left[after.project].popleft()
        if self._fresh:
            return self._left[self._fresh.pop()].popleft()
        most = max(self._left, key=_files, default=None)
        return most.pop() if most else None


def _files(batches: Deque[Batch]) -> int:
    return sum(b.stop - b.start for b in batches)


def project_keys(paths: Sequence[Path], project_of: Callable[[Path], Hashable]) -> List[Hashable]:
    """`project_of` of each path's folder, asked once per folder."""
    seen: Dict[Path, Hashable] = {}
    keys = []
    for path in paths:
        folder = path.parent
        key = seen.get(folder)
        if key is None:
            key = seen[folder] = project_of(path)
        keys.append(key)
    return keys


__all__ = ["Batch", "ProjectQueue", "project_keys"]
