"""A progress bar on stderr for long runs on a terminal: files done of total, elapsed time.

It stays invisible for the first seconds (most runs end before it would appear), and the
CLI creates it only when stderr is a terminal and the report is for people (text formats),
so pipes, CI logs and machine-readable output never see it."""

from __future__ import annotations

import os
import time
from typing import Callable, Optional, TextIO

#: seconds before the bar appears; LOGCHECK_PROGRESS_DELAY overrides it (the tests set 0)
DEFAULT_DELAY = 2.0
_WIDTH = 30


class Progress:
    def __init__(self, total: int, stream: TextIO, delay: Optional[float] = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.total = total
        self.stream = stream
        self.delay = delay if delay is not None else float(os.environ.get("LOGCHECK_PROGRESS_DELAY", DEFAULT_DELAY))
        self.clock = clock
        self.started = clock()
        self.shown = False

    def update(self, done: int) -> None:
        elapsed = self.clock() - self.started
        if elapsed < self.delay or not self.total:
            return
        filled = _WIDTH * done // self.total
        self.stream.write(f"\r[{'#' * filled}{'.' * (_WIDTH - filled)}] {done}/{self.total} files, {elapsed:.0f} s")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        """Erase the bar, so the report starts on a clean line."""
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
