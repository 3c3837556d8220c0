"""LC508 agrees with Python's own loader: every fixture logcheck calls invalid (LC508, or
LC303 for a level name in the wrong case) fails in `logging.config.dictConfig` /
`fileConfig`, and every fixture it accepts loads. One subprocess loads all fixtures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import check
from logcheck.config_files import check_config_file
from helpers import make_settings

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "config"
VALID = sorted((FIXTURES / "valid").iterdir())
INVALID = sorted((FIXTURES / "invalid").iterdir())

LOADER = r'''
import ast, json, logging, logging.config, sys, tomllib
import yaml

results = {}
for name in sys.argv[1:]:
    try:
        if name.endswith(".ini"):
            logging.config.fileConfig(name, disable_existing_loggers=False)
        else:
            if name.endswith(".json"):
                config = json.load(open(name))
            elif name.endswith(".yaml"):
                config = yaml.safe_load(open(name))
            elif name.endswith(".toml"):
                config = tomllib.load(open(name, "rb"))
            else:  # a Python module: the first assignment of a dict literal
                tree = ast.parse(open(name).read())
                config = ast.literal_eval(next(n.value for n in tree.body if isinstance(n, ast.Assign)))
            logging.config.dictConfig(config)
        results[name] = None
    except Exception as exc:
        results[name] = f"{type(exc).__name__}: {exc}"
    finally:
        for h in logging.root.handlers[:]:
            logging.root.removeHandler(h)
            h.close()
print(json.dumps(results))
'''


@pytest.fixture(scope="module")
def python_verdicts(tmp_path_factory):
    """Whether Python's loader accepts each fixture (None) or the error it raises."""
    cwd = tmp_path_factory.mktemp("loader")  # handlers may create log files here
    paths = [str(p) for p in VALID + INVALID]
    out = subprocess.run([sys.executable, "-c", LOADER, *paths], cwd=cwd, capture_output=True, text=True,
                         timeout=120, check=True)
    return json.loads(out.stdout)


def logcheck_problems(path: Path):
    select = ["LC508", "LC303"]
    if path.suffix == ".py":
        return [d for d in check(path.read_text(), select, path=path.name, dedent=False)]
    diagnostics, messages = check_config_file(path.name, path.read_bytes(),
                                               make_settings({"select": select}))
    assert not messages, messages
    return diagnostics


def test_there_are_fixtures_of_every_kind():
    suffixes = {p.suffix for p in VALID} | {p.suffix for p in INVALID}
    assert {".json", ".yaml", ".toml", ".ini", ".py"} <= suffixes
    assert len(INVALID) >= 15


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_fixture_loads_and_logcheck_accepts_it(path, python_verdicts):
    assert python_verdicts[str(path)] is None, python_verdicts[str(path)]
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
    assert python_verdicts[str(path)] is not None, f"{path.name} loads in Python"
    code, row, words = EXPECTED[path.name]
    found = [(d.code, d.row) for d in logcheck_problems(path) if words in d.message]
    assert found == [(code, row)], (path.name, logcheck_problems(path))
