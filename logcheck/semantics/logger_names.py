"""Names that are loggers by convention (`[tool.logcheck] logger-names` default).

Kept apart from `loggers.py` (which needs libcst) so that reading the settings stays cheap."""

from typing import Tuple

DEFAULT_LOGGER_NAMES: Tuple[str, ...] = (
    "logger", "log", "_logger", "_log", "LOGGER", "LOG", "_LOGGER", "_LOG",
)
