"""LC508 agrees with Python's own loader: every fixture logcheck calls invalid (LC508, or
LC303 for a level name in the wrong case) fails in `logging.config.dictConfig` /
`fileConfig`, and every fixture it accepts loads and then emits one record through the
root and each configured logger without a logging error. The `emit_fails` fixtures load
but fail on that record, and logcheck reports them too. One subprocess loads all fixtures
(`support/` is on its path: the project classes some fixtures name); the `py312` fixtures
(Python 3.12's `handlers` key of a QueueHandler) run under a Python 3.12+ when there is one."""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import check, make_settings

from logcheck.workspace.config_files import check_config_file

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "config"
VALID = sorted((FIXTURES / "valid").iterdir())
INVALID = sorted((FIXTURES / "invalid").iterdir())
EMIT_FAILS = sorted((FIXTURES / "emit_fails").iterdir())
PY312_VALID = sorted((FIXTURES / "py312" / "valid").iterdir())
PY312_INVALID = sorted((FIXTURES / "py312" / "invalid").iterdir())

LOADER = r'''
import ast, json, logging, logging.config, sys, tomllib

emit_errors = []
logging.Handler.handleError = lambda self, record: emit_errors.append(repr(sys.exc_info()[1]))


def emit_one_record():
    """One record through the root and through every logger the configuration set up."""
    del emit_errors[:]
    names = [n for n, lg in logging.root.manager.loggerDict.items() if isinstance(lg, logging.Logger) and lg.handlers]
    for logger in [logging.getLogger()] + [logging.getLogger(n) for n in names]:
        logger.critical("probe %s", 1)
    for h in logging._handlerList:
        h = h()
        if h is not None:
            h.flush()
    return list(emit_errors)


results = {}
for name in sys.argv[1:]:
    try:
        if name.endswith(".ini"):
            logging.config.fileConfig(name, disable_existing_loggers=False)
        else:
            if name.endswith(".json"):
                config = json.load(open(name))
            elif name.endswith(".yaml"):
                import yaml
                config = yaml.safe_load(open(name))
            elif name.endswith(".toml"):
                config = tomllib.load(open(name, "rb"))
            else:  # a Python module: the first assignment of a dict literal
                tree = ast.parse(open(name).read())
                config = ast.literal_eval(next(n.value for n in tree.body if isinstance(n, ast.Assign)))
            logging.config.dictConfig(config)
    except Exception as exc:
        results[name] = {"load": f"{type(exc).__name__}: {exc}", "emit": []}
    else:
        results[name] = {"load": None, "emit": emit_one_record()}
    finally:
        for logger in [logging.root] + [lg for lg in logging.root.manager.loggerDict.values()
                                        if isinstance(lg, logging.Logger)]:
            for h in logger.handlers[:]:
                logger.removeHandler(h)
                h.close()
            logger.filters.clear()
print(json.dumps(results))
'''


def load_fixtures(python, paths, cwd):
    """{path: {"load": error or None, "emit": [logging errors of one emitted record]}}."""
    env = dict(os.environ, PYTHONPATH=str(FIXTURES / "support"))
    out = subprocess.run([python, "-c", LOADER, *map(str, paths)], cwd=cwd, capture_output=True, text=True,
                         timeout=120, check=True, env=env)
    return json.loads(out.stdout.splitlines()[-1])  # handlers write to stdout too


def python312():
    """A Python 3.12+ interpreter, or None (the py312 fixtures are JSON: no PyYAML needed)."""
    candidates = [shutil.which(n) for n in ("python3.13", "python3.12")]
    candidates += sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.1[2-9]*/bin/python3")))
    for c in candidates:
        if c and subprocess.run([c, "-c", "import sys; assert sys.version_info >= (3, 12)"],
                                capture_output=True).returncode == 0:
            return c
    return None


@pytest.fixture(scope="module")
def python_verdicts(tmp_path_factory):
    """Whether Python's loader accepts each fixture (None) or the error it raises."""
    cwd = tmp_path_factory.mktemp("loader")  # handlers may create log files here
    return load_fixtures(sys.executable, VALID + INVALID + EMIT_FAILS, cwd)


def logcheck_problems(path: Path):
    select = ["LC508", "LC303", "LC806"]
    if path.suffix == ".py":
        return [d for d in check(path.read_text(), select, path=path.name, dedent=False)]
    diagnostics, messages = check_config_file(path.name, path.read_bytes(),
                                               make_settings({"select": select}))
    assert not messages, messages
    return diagnostics


def test_there_are_fixtures_of_every_kind():
    for group in (VALID, INVALID, EMIT_FAILS):
        assert {".json", ".yaml", ".toml", ".py"} <= {p.suffix for p in group}
    assert ".ini" in {p.suffix for p in VALID} and ".ini" in {p.suffix for p in INVALID}
    assert len(INVALID) >= 15


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_fixture_loads_and_logcheck_accepts_it(path, python_verdicts):
    assert python_verdicts[str(path)] == {"load": None, "emit": []}, python_verdicts[str(path)]
    assert logcheck_problems(path) == []


#: per invalid fixture, the finding that names the error it was written with: (code, row,
#: words of the message)
EXPECTED = {
    "bad_argument.json": ("LC508", 3, "StreamHandler has no argument `filename`"),
    "class_not_dotted.yaml": ("LC508", 4, "'StreamHandler' is not a dotted path"),
    "class_typo.yaml": ("LC508", 4, "'logging.handlers.RotatingFileHandlr' does not exist"),
    "factory_not_dotted.json": ("LC508", 3, "factory 'JsonFormatter' is not a dotted path"),
    "formatter_class_bare.ini": ("LC508", 21, "class 'Formatter' cannot be imported"),
    "handler_without_class.json": ("LC508", 3, "handler `console` has no `class`"),
    "handlers_string.yaml": ("LC508", 7, "`handlers` must be a list of handler ids, not a string"),
    "inline_comment.ini": ("LC508", 17, "formatter `std ; the comment is part of the value for fileConfig`"),
    "lowercase_level.json": ("LC303", 4, "'info' raises ValueError"),
    "missing_filename.json": ("LC508", 3, "RotatingFileHandler needs the argument `filename`"),
    "missing_section.ini": ("LC508", 5, "lists `file` but there is no [handler_file] section"),
    "no_formatters_section.ini": ("LC508", 1, "fileConfig needs a [formatters] section"),
    "no_qualname.ini": ("LC508", 14, "[logger_app] has no `qualname=`"),
    "no_version.json": ("LC508", 1, 'dictConfig needs `"version": 1`'),
    "root_not_listed.ini": ("LC508", 2, "[loggers] keys must list `root`"),
    "style_mismatch.json": ("LC508", 3, "is not valid for style '{'"),
    "undefined_filter.py": ("LC508", 4, "filter `ap` is referenced but not defined"),
    "undefined_formatter.json": ("LC508", 4, "formatter `standard` is referenced but not defined"),
    "undefined_handler.yaml": ("LC508", 7, "handler `consol` is referenced but not defined"),
    "unknown_level.yaml": ("LC508", 5, "Unknown level 'VERBOSE'"),
    "version2.toml": ("LC508", 1, "Unsupported dictConfig version 2"),
}


def test_every_invalid_fixture_has_its_expected_finding():
    assert sorted(EXPECTED) == [p.name for p in INVALID]


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_invalid_fixture_fails_and_logcheck_says_so(path, python_verdicts):
    assert python_verdicts[str(path)]["load"] is not None, f"{path.name} loads in Python"
    code, row, words = EXPECTED[path.name]
    found = [(d.code, d.row) for d in logcheck_problems(path) if words in d.message]
    assert found == [(code, row)], (path.name, logcheck_problems(path))


@pytest.mark.parametrize("path", EMIT_FAILS, ids=lambda p: p.name)
def test_fixture_that_fails_on_its_first_record_is_lc508(path, python_verdicts):
    verdict = python_verdicts[str(path)]
    assert verdict["load"] is None, verdict
    if path.stem.startswith("stream_string"):
        error = "object has no attribute 'write'"
        named = "the stream is the string" if path.suffix == ".ini" else "`stream` is the string"
    else:
        error, named = "Formatting field not found in record", "which no log record has"
    assert verdict["emit"] and all(error in e for e in verdict["emit"]), verdict
    found = logcheck_problems(path)
    # a missing field that carries trace or correlation context is LC806's (rules.md), not LC508's
    context = any(f"({name})" in path.read_text() for name in ("request_id", "correlation_id"))
    assert [d.code for d in found] == ["LC806" if context else "LC508"], found
    assert named in found[0].message


def test_queue_handler_handlers_are_cross_checked(tmp_path):
    python = python312()
    if python is None:
        pytest.skip("no Python 3.12+ on this machine")
    verdicts = load_fixtures(python, PY312_VALID + PY312_INVALID, tmp_path)
    for path in PY312_VALID:
        assert verdicts[str(path)] == {"load": None, "emit": []}, verdicts[str(path)]
        assert logcheck_problems(path) == []
    for path in PY312_INVALID:
        assert verdicts[str(path)]["load"] is not None, path.name
        assert [d.code for d in logcheck_problems(path)] == ["LC508"], path.name
