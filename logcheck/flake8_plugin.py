"""flake8 plugin: `flake8 --select LC` runs logcheck's rules (diagnostics only, no fixes).

Registered through the `flake8.extension` entry point `LC`. flake8 hands the plugin the
file's lines; the plugin runs logcheck's own engine over them (the same rules and the same
`[tool.logcheck]` settings as the `logcheck` command), and yields each finding as
`(line, column0, "LCnnn message", type)`. flake8 then applies its own `--select`,
`--ignore`, `--per-file-ignores` and `# noqa` handling on top.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator, List, Sequence, Tuple

from logcheck import __version__
from logcheck.rules.selection import codes_for
from logcheck.source.text import SourceText


class LogcheckChecker:
    name = "logcheck"
    version = __version__

    #: one settings resolver per flake8 process (it caches the pyproject lookups)
    _resolver = None

    def __init__(self, tree: Any, filename: str, lines: Sequence[str]) -> None:
        # `tree` (the ast) is requested only so flake8 runs this plugin as a tree plugin,
        # once per file; logcheck parses with libcst itself.
        self.filename = filename
        self.lines = list(lines)

    @classmethod
    def _settings_for(cls, path: Path):
        from logcheck.workspace.settings_loader import SettingsResolver

        if cls._resolver is None:
            cls._resolver = SettingsResolver()
        return cls._resolver.for_path(path)

    def run(self) -> Iterator[Tuple[int, int, str, type]]:
        from logcheck.lint.check import check_source  # here: flake8 loads plugins it may not run
        from logcheck.rules import registry
        from logcheck.source.precheck import precheck_for

        source = "".join(self.lines)
        if self.filename in ("-", "stdin", None):
            path = Path.cwd() / "stdin.py"
        else:
            path = Path(self.filename)
        settings = self._settings_for(path)
        rules = registry.rules_for(codes_for(settings, path))
        if not precheck_for(rules, settings.logger_names).may_match(source.encode("utf-8", "surrogatepass")):
            return
        text = SourceText(source, "utf-8", False)
        result = check_source(str(self.filename), text, rules, settings)
        for d in result.diagnostics:
            yield d.row, max(d.col - 1, 0), f"{d.code} {d.message}", type(self)


def findings(source: str, filename: str = "example.py") -> List[Tuple[int, int, str]]:
    """The plugin's findings for `source` without flake8 (for debugging)."""
    checker = LogcheckChecker(None, filename, source.splitlines(keepends=True))
    return [(row, col, text) for row, col, text, _ in checker.run()]

