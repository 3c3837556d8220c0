"""A checked file's trees and models are freed when the check ends, by reference counting.

Each reference cycle among them (a scope and its bindings, the walk's closures, the root-name
answers and their facts, the semantics and its module loggers) kept a file's whole tree alive
until the cyclic collector found it, and its scans of that garbage were about a tenth of a
cold run's CPU (docs/performance.md). The check runs here with the collector off; then a
collection must find nothing of logcheck's or libcst's (the standard library's own cycles,
such as `ast.literal_eval`'s closures, are not ours to remove)."""

from __future__ import annotations

import gc
import textwrap

import pytest

from logcheck.workspace import runner
from logcheck.workspace.settings_loader import settings_from_table

SOURCES = {
    "pkg/__init__.py": "",
    "pkg/log.py": "import logging\n\ndef get():\n    return logging.getLogger(__name__)\n",
    "pkg/app.py": textwrap.dedent("""\
        import logging
        from pkg.log import get

        log = get()

        class Worker:
            def __init__(self):
                self.logger = logging.getLogger("w")

            def run(self, items):
                global log
                total = 0
                for item in items:
                    try:
                        total += (n := len(item))
                    except TypeError as exc:
                        logging.error(exc)
                        self.logger.warn("bad item %s" % item)
                def inner():
                    nonlocal total
                    total = [x for x in items if (y := x)]
                logging.info(f"{total}")
                return total

        def main():
            logging.basicConfig(level="INFO")
            print(Worker().run([1, 2]))

        if __name__ == "__main__":
            main()
        """),
}


def _ours(obj) -> bool:
    module = type(obj).__module__ or ""
    return module.startswith(("logcheck", "libcst")) or (
        type(obj).__name__ == "function" and (obj.__module__ or "").startswith(("logcheck", "libcst")))


@pytest.mark.parametrize("mode", [runner.CHECK, runner.FIX])
def test_a_checked_file_leaves_no_reference_cycle(tmp_path, mode):
    for name, text in SOURCES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    (tmp_path / "pyproject.toml").write_text("[tool.logcheck]\npreview = true\n")
    settings = settings_from_table({"preview": True}, tmp_path, None)
    jobs = [runner.Job(tmp_path / "pkg" / "app.py", "pkg/app.py", settings)]
    runner.run(jobs, runner.Options(mode=mode), workers=1)  # imports and caches made once
    (tmp_path / "pkg" / "app.py").write_text(SOURCES["pkg/app.py"])
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        outcome, = runner.run(jobs, runner.Options(mode=mode), workers=1)
        gc.collect()
        left = [obj for obj in gc.garbage if _ours(obj)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert outcome.diagnostics or outcome.fixed  # the file was checked, with findings
    assert sorted({getattr(obj, "__qualname__", type(obj).__qualname__) for obj in left}) == []
