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


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_invalid_fixture_fails_and_logcheck_says_so(path, python_verdicts):
    assert python_verdicts[str(path)] is not None, f"{path.name} loads in Python"
    found = logcheck_problems(path)
    assert found, f"logcheck accepts {path.name}, Python raises {python_verdicts[str(path)]}"
