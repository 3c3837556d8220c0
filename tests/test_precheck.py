"""The byte-level pre-check is exact: no source that has a finding is ever skipped.

The sources are every Python example of every rule page (`rules/*.md`, with the page's
settings and file name), every Python file of `examples/`, and every string literal of
the test suite that is Python code (the held-in rule cases: whatever the other tests feed
to `check`/`fix`). Each is checked with every rule enabled; then

- for every rule that reports something in it, that rule's own needles
  (`precheck_for([rule])`) match it (`may_match`), and so do the needles of the whole
  rule set the runner uses for that file;
- a rule's `ast_gate`, if it has one, accepts it;
- the runner's path (`runner.run_source`, which applies the pre-check and the gates)
  reports exactly what the engine reports without them.

The same comparison over a sample of the real-world corpus is `bench/bench.py
--verify-precheck` (it needs the corpus, so it is not part of the unit tests).
"""

from __future__ import annotations

import ast
import io
import json
import re
import textwrap
import tokenize
from pathlib import Path
from typing import Dict, Iterator, List, Tuple

import pytest

from logcheck.lint.check import check_source
from logcheck.lint.rule import Rule
from logcheck.rules import registry
from logcheck.rules.selection import codes_for
from logcheck.source.astfacts import facts_of
from logcheck.source.parse import PARSE_ERROR_CODE
from logcheck.source.precheck import FAMILY_LIBRARIES, LOGGING, Needle, precheck_for, word
from logcheck.source.text import SourceText
from logcheck.workspace import runner
from logcheck.workspace.files import ReadResult
from logcheck.workspace.settings_loader import settings_from_table

ROOT = Path(__file__).resolve().parent.parent
_FENCE = re.compile(r"```(\w+)\n(.*?)```", re.S)
_SETTINGS = re.compile(r"<!--\s*logcheck:\s*(\{.*?\})\s*-->", re.S)
#: LC000 (syntax errors) comes from the engine, not a rule; files nothing can match are
#: not parsed, by design
NOT_RULES = {PARSE_ERROR_CODE}


def _is_python(text: str) -> bool:
    try:
        compile(text, "<case>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return False
    return True


def page_sources() -> Iterator[Tuple[str, str, str, dict]]:
    for page in sorted((ROOT / "rules").glob("LC*.md")):
        text = page.read_text(encoding="utf-8")
        m = _SETTINGS.search(text)
        options = json.loads(m.group(1)) if m else {}
        filename = options.get("filename", "example.py")
        if not filename.endswith(".py"):
            filename = "example.py"
        for i, block in enumerate(_FENCE.finditer(text)):
            if block.group(1) == "python":
                yield f"{page.stem}#{i}", block.group(2), filename, options.get("settings", {})


def example_sources() -> Iterator[Tuple[str, str, str, dict]]:
    for path in sorted((ROOT / "examples").rglob("*.py")):
        yield str(path.relative_to(ROOT)), path.read_text(encoding="utf-8"), path.name, {}


def held_in_sources() -> Iterator[Tuple[str, str, str, dict]]:
    """String literals of the test suite that are Python code with something in them."""
    for path in sorted((ROOT / "tests").glob("*.py")):
        if path.name == Path(__file__).name:
            continue
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except SyntaxError:  # pragma: no cover - a test file being written right now
            continue
        seen = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) > 6:
                for variant in {node.value, textwrap.dedent(node.value)}:
                    if variant not in seen and _is_python(variant):
                        seen.add(variant)
                        yield f"{path.name}:{node.lineno}", variant, "example.py", {}


def all_sources() -> List[Tuple[str, str, str, dict]]:
    return list(page_sources()) + list(example_sources()) + list(held_in_sources())


SOURCES = all_sources()


def _settings(table: dict):
    table = dict(table)
    table.pop("select", None)
    table["select"] = ["ALL"]
    table["preview"] = True  # every rule, the preview group's too
    return settings_from_table(table, ROOT, None)


def test_there_are_enough_cases():
    assert len(list(page_sources())) >= len(registry.all_rules()), "every page has Python examples"
    assert len(list(held_in_sources())) > 50


def _encode(source: str) -> bytes:
    """The bytes of a source file holding `source` (honouring a coding cookie)."""
    data = source.encode("utf-8")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        return source.encode(encoding)
    except (SyntaxError, LookupError, UnicodeEncodeError):
        return data


def _check_one(name: str, source: str, filename: str, table: dict) -> Dict[str, int]:
    settings = _settings(table)
    path = Path(filename)
    rules = registry.rules_for(codes_for(settings, path))
    text = SourceText(source, "utf-8", False)
    fresh = check_source(filename, text, rules, settings).diagnostics
    data = _encode(source)
    found: Dict[str, int] = {}
    for d in fresh:
        if d.code not in NOT_RULES:
            found[d.code] = found.get(d.code, 0) + 1
    table_ = registry.all_rules()
    for code in found:
        check = precheck_for([table_[code]], settings.logger_names)
        assert check.may_match(data), f"{name}: {code} reports but its needles {check.needles} do not match"
        gate = table_[code].ast_gate
        if gate is not None:
            try:
                tree = ast.parse(data)
            except (SyntaxError, ValueError):
                continue  # the runner parses such a file with libcst anyway
            assert gate(facts_of(tree, path=path), settings), f"{name}: {code} reports but its ast gate says no"
    if found:
        check = precheck_for(rules, settings.logger_names)
        assert check.may_match(data), f"{name}: the rule set's needles {check.needles} do not match"
    # the runner's own path, which applies the pre-check, reports exactly the same
    outcome = runner.run_source(filename, ReadResult(data, (len(data), 0)), rules, settings, runner.Options())
    assert [d for d in outcome.diagnostics if d.code not in NOT_RULES] == [d for d in fresh if d.code not in NOT_RULES], name
    _FOUND[name] = set(found)
    return found


#: codes found per case, filled by the tests above (in file order)
_FOUND: Dict[str, set] = {}


@pytest.mark.parametrize("case", [s for s in SOURCES if not s[0].startswith("test_")], ids=lambda s: s[0])
def test_page_and_example_sources_are_never_skipped(case):
    _check_one(*case)


def test_held_in_test_sources_are_never_skipped():
    reported = 0
    for case in SOURCES:
        if case[0].startswith("test_"):
            reported += bool(_check_one(*case))
    assert reported > 20, "the held-in sources should include many cases with findings"


def test_every_rule_is_exercised():
    """Every rule has at least one source with a finding among the cases above, so the
    exactness of its needles is actually tested."""
    seen = set()
    for case in SOURCES:
        if case[0] not in _FOUND:
            _check_one(*case)
        seen.update(_FOUND[case[0]])
    python_rules = {c for c in registry.all_rules() if any(
        b.group(1) == "python" for b in _FENCE.finditer((ROOT / "rules" / f"{c}.md").read_text(encoding="utf-8")))}
    # config-file-only rules (INI/JSON/YAML examples) are checked by config_files, not the engine
    assert python_rules - seen == set()


def test_needles_are_needles_with_a_sample():
    for code, rule in registry.all_rules().items():
        assert isinstance(rule.needles, tuple), code
        assert all(isinstance(n, Needle) and n.sample for n in rule.needles), code
        assert rule.needles or rule.uses_logger_calls, f"{code} would make every file parsed"


def test_skip_only_when_no_needle():
    rules = tuple(registry.all_rules().values())
    settings = _settings({})
    check = precheck_for(rules, settings.logger_names)
    assert check.needles is not None
    assert not check.may_match(b"x = 1\n")
    for needle in check.needles:
        assert check.may_match(b"x = 1\n# " + needle.sample + b"\n"), needle
    # without configured logger names, the rules' own needles, `logging` and the families'
    # libraries still match,
    # and a logger name alone (`log`, `logger`) no longer does
    unnamed = precheck_for(rules, ())
    own = {n for rule in rules for n in rule.needles} | {LOGGING, *FAMILY_LIBRARIES}
    assert set(unnamed.needles) == own
    for needle in own:
        assert unnamed.may_match(b"x = 1\n# " + needle.sample + b"\n"), needle
    names_only = [n for n in check.needles if n not in own]
    assert names_only, "the default logger names add needles"
    for needle in names_only:
        assert not unnamed.may_match(b"x = 1\n# " + needle.sample + b"\n"), needle


@pytest.mark.parametrize("text, matches", [
    (b"log.info('x')", True),
    (b"self.log.info('x')", True),
    (b"x = catalog.find(dialog)", False),   # `log` inside longer names
    (b"import blogging", False),
    (b"print_function = 1", False),
    (b"(print)(1)", True),
    (b"x = 1\nprint\\\n(1)", True),
    (b"\xc3\xa9log = 1", True),  # a non-ASCII neighbour counts as a boundary: parsed, not skipped
    (b"LOGGER.warning('x')", True),
    (b"try:\n    pass\nexcept :\n    pass\n", True),
    (b"try:\n    pass\nexcept\\\n:\n    pass\n", True),
    (b"except ValueError:\n", False),
    (b"except (OSError, builtins.Exception):\n", True),
    (b"class MyException(ValueError): pass\n", False),
])
def test_words_are_whole_identifiers(text, matches):
    rules = tuple(registry.all_rules().values())
    check = precheck_for([r for r in rules if r.code in ("LC101", "LC307", "LC401")], _settings({}).logger_names)
    assert check.may_match(text) is matches


def test_word_needles_tolerate_names_that_are_not_identifiers():
    assert precheck_for([], ()).needles == ()
    dotted = word("app.log")
    assert dotted.regex == rb"\bapp\.log\b" and dotted.sample == b"app.log"


def test_files_in_encodings_that_hide_ascii_are_always_parsed():
    """`logging` written in UTF-7 has no `logging` bytes: the pre-check must not skip it."""
    data = b"# coding: utf-7\nimport +AGwAbwBnAGcAaQBuAGc-\n+AGwAbwBnAGcAaQBuAGc-.info(+ACI-x+ACI-)\n"
    assert data.decode("utf-7") == 'import logging\nlogging.info("x")\n'.join(["# coding: utf-7\n", ""])
    settings = _settings({})
    rules = registry.rules_for(codes_for(settings, Path("example.py")))
    check = precheck_for(rules, settings.logger_names)
    assert check.needles is not None and not any(n.sample in data for n in check.needles)
    assert check.may_match(data)
    outcome = runner.run_source("example.py", ReadResult(data, (len(data), 0)), rules, settings, runner.Options())
    assert "LC101" in [d.code for d in outcome.diagnostics]
    # ASCII-compatible declared encodings keep the fast skip
    for cookie in (b"", b"# -*- coding: utf-8 -*-\n", b"# coding: latin-1\n"):
        assert not check.may_match(cookie + b"x = 1\n")


@pytest.mark.parametrize("source, may", [
    ("try:\n    f()\nexcept Exception:\n    pass\n", True),
    ("try:\n    f()\nexcept:\n    x = 1\n", True),
    ("try:\n    f()\nexcept (OSError, builtins.BaseException):\n    return\n", True),
    ("from builtins import Exception as E\ntry:\n    f()\nexcept E:\n    continue\n", True),
    ("try:\n    f()\nexcept* Exception:\n    pass\n", True),
    ("try:\n    f()\nexcept ValueError:\n    pass\n", False),            # not broad
    ("try:\n    f()\nexcept Exception:\n    log.warning('x')\n", False),  # a call
    ("try:\n    f()\nexcept Exception:\n    raise\n", False),
    ("try:\n    f()\nexcept Exception:\n    if x:\n        pass\n", False),  # compound: not LC307's
    ("try:\n    f()\nexcept Exception:\n    x = lambda: 1\n", False),
    ("x = 1\n", False),
])
def test_the_lc307_gate_on_the_interpreter_ast(source, may):
    from logcheck.rules.exceptions import may_swallow

    assert may_swallow(facts_of(ast.parse(source)), _settings({})) is may
    if not may:  # the gate is a superset: where it says no, the rule finds nothing
        assert not [d for d in check_source("x.py", SourceText(source, "utf-8", False),
                                                   [registry.all_rules()["LC307"]], _settings({})).diagnostics]


class _Ungated(Rule):
    """A rule with needles and no ast gate (every built-in rule has one)."""

    code = "LC999"
    needles = (word("pprint"),)


def test_a_file_only_lc307_could_match_is_parsed_only_when_its_gate_says_so():
    rules = registry.rules_for(["LC101", "LC307"]) + (_Ungated,)
    check = precheck_for(rules, _settings({}).logger_names)
    assert check.gated_only(b"try:\n    f()\nexcept Exception:\n    pass\n")
    assert check.gated_only(b"import logging\ntry:\n    f()\nexcept Exception:\n    pass\n")  # LC101: gated too
    assert not check.gated_only(b"import pprint\ntry:\n    f()\nexcept Exception:\n    pass\n")  # the ungated needle
    for data, found in [(b"try:\n    f()\nexcept Exception:\n    pass\n", ["LC307"]),
                        (b"try:\n    f()\nexcept Exception as e:\n    raise Wrapped(e)\n", [])]:
        outcome = runner.run_source("x.py", ReadResult(data, (len(data), 0)), rules, _settings({}), runner.Options())
        assert [d.code for d in outcome.diagnostics] == found


#: (rule, source, gate says yes). Where the gate says no the rule must find nothing; where
#: it says yes the rule finds something (a positive), except for the few cases marked
#: "superset" where the gate accepts a shape the rule then declines on closer look.
_LOGGER = "import logging\nlogger = logging.getLogger(__name__)\n"
GATE_CASES = [
    # LC101: only receivers that may be the root logger
    ("LC101", _LOGGER + "logger.info('x')\n", False),
    ("LC101", _LOGGER + "def f(self):\n    self.log.info('x')\n", False),
    ("LC101", "from app import log\nlog.getChild('a').info('x')\n", False),  # a child is never the root
    ("LC101", "import logging\nlogging.info('x')\n", True),
    ("LC101", "import logging as lg\nlg.warning('x')\n", True),
    ("LC101", "from logging import info as note\nnote('x')\n", True),
    ("LC101", "import logging\nlogging.getLogger().info('x')\n", True),
    ("LC101", "import logging\nroot = logging.getLogger('')\nroot.info('x')\n", True),
    ("LC101", "import logging\nlog = logging.root\nlog.info('x')\n", True),
    ("LC101", "import logging\ndef get():\n    return logging.getLogger(None)\nget().error('x')\n", True),
    ("LC101", "import logging\nclass A:\n    def __init__(self):\n        self.lg = logging.getLogger()\n"
              "    def f(self):\n        self.lg.debug('x')\n", True),
    # a star import may bind only what the module does not bind itself
    ("LC101", "import logging\nfrom app.helpers import *\nlog = logging.getLogger(__name__)\nlog.info('x')\n", False),
    ("LC101", "import logging\nfrom app.helpers import *\nfor log in loggers:\n    log.info('x')\n", False),
    # LC102 / LC103
    ("LC102", _LOGGER + "other = logging.getLogger('app')\n", False),
    ("LC102", "import logging\nlogger = logging.getLogger(__file__)\n", True),
    ("LC102", "from logging import getLogger as gl\nlogger = gl(name=__spec__)\n", True),
    ("LC103", _LOGGER + "x = Logger2('a')\n", False),
    ("LC103", "import logging\nlogger = logging.Logger('a')\n", True),
    # LC201-LC207: the message's shape
    ("LC201", _LOGGER + "logger.info('x %s', f'{y}')\nprint(f'{y}')\n", False),
    ("LC201", _LOGGER + "logger.info(f'x {y}')\n", True),
    ("LC201", _LOGGER + "logger.log(logging.INFO, msg=f'x {y}')\n", True),
    ("LC202", _LOGGER + "logger.info('x %s', y)\ntext = 'x %s' % y\n", False),
    ("LC202", _LOGGER + "logger.info('x %s' % y)\n", True),
    ("LC203", _LOGGER + "logger.info('x {}', y)\ntext = 'x {}'.format(y)\n", False),
    ("LC203", _LOGGER + "logger.info('x {}'.format(y))\n", True),
    ("LC204", _LOGGER + "logger.info('x %s', a + b)\nlogger.info(prefix + suffix)\n", False),
    ("LC204", _LOGGER + "logger.info('x ' + y)\n", True),
    ("LC205", _LOGGER + "logger.info('x %s and %d', y, 2)\nlogger.info('done')\nlogger.info('a 100% d')\n", False),
    ("LC205", _LOGGER + "logger.info('x %s and %s', y)\n", True),
    ("LC205", _LOGGER + "logger.info('x %s')\n", True),
    ("LC205", _LOGGER + "logger.info(b'x')\n", True),
    # LC801: `log_event=` only on `inject_lambda_context`, the variable only as a key of
    # an `environment={...}` display
    ("LC801", "import subprocess\nsubprocess.run(cmd, environment={'PATH': p})\nrecord(log_event=True)\n", False),
    ("LC801", "from aws_lambda_powertools import Logger\nlogger = Logger()\n"
              "@logger.inject_lambda_context(log_event=True)\ndef main(event, context):\n    pass\n", True),
    ("LC801", "from aws_cdk import aws_lambda as l\n"
              "l.Function(s, 'F', environment={'POWERTOOLS_LOGGER_LOG_EVENT': 'true'})\n", True),
    # LC205's mapping checks, exact from the tree: a dict display's keys against `%(key)s`
    ("LC205", _LOGGER + "logger.info('%(a)s %(b)s', {'a': 1, 'b': 2})\nlogger.info('%s', {'a': 1})\n"
              "logger.info('%(a)s', mapping)\nlogger.info('%(a)s', {'a': 1, **more})\n", False),
    ("LC205", _LOGGER + "logger.info('%(a)s', {'a': 1, 'b': 2})\n", True),  # a key the message does not use
    ("LC205", _LOGGER + "logger.info('%(a)s %(c)s', {'a': 1})\n", True),  # a key the mapping lacks
    ("LC205", _LOGGER + "logger.info('%d', {'a': 1})\n", True),  # formats the mapping as a number
    ("LC205", _LOGGER + "logger.info('%(a)s', (1,))\n", True),  # not a mapping
    ("LC205", _LOGGER + "logger.info('%(a)s', 'x')\n", True),
    ("LC205", _LOGGER + "logger.info('%(a)s', {})\n", True),  # an empty dict stays positional
    ("LC205", _LOGGER + "logger.info('%(a)s', None)\n", False),  # a name, for the rule too
    ("LC205", _LOGGER + "logger.info('%s %s', *args)\nlogger.info('%s', **kw)\n", False),
    # `{}` fields: only a `{}`-style family formats them, with keywords too
    ("LC205", "from loguru import logger\nlogger.info('{y}', x=1)\n", True),
    ("LC205", _LOGGER + "logger.info('{} and {}', 1, 2)\n", True),
    ("LC206", _LOGGER + "logger.info('x', extra={'user': u})\n", False),
    ("LC206", _LOGGER + "logger.info('x', extra={'name': u})\n", True),
    ("LC206", _LOGGER + "logger.info('x', extra=dict(module=u))\n", True),
    ("LC207", _LOGGER + "try:\n    f()\nexcept OSError as e:\n    logger.error('failed: %s', e)\n", False),
    ("LC207", _LOGGER + "try:\n    f()\nexcept OSError as e:\n    logger.error(e)\n", True),
    ("LC207", _LOGGER + "try:\n    f()\nexcept OSError as e:\n    err = e\nlogger.error(e)\n", False),  # outside
    ("LC207", _LOGGER + "try:\n    f()\nexcept OSError as e:\n    def g():\n        logger.error(e)\n", False),
    # LC301 / LC302 / LC303
    ("LC301", _LOGGER + "logger.warning('x')\n", False),
    ("LC301", _LOGGER + "logger.warn('x')\n", True),
    ("LC301", "import logging\nlevel = logging.WARN\n", True),
    ("LC301", "import warnings\nwarnings.warn('x')\n", False),  # a module is no logger
    ("LC301", "import log\nlog.warn('x')\n", True),  # unless it has a logger's name (an unknown one)
    ("LC301", "import logging, warnings\ndef f():\n    warnings = logging.getLogger()\n    warnings.warn('x')\n", True),
    ("LC302", _LOGGER + "logger.critical('x')\n", False),
    ("LC302", _LOGGER + "logger.fatal('x')\n", True),
    ("LC303", _LOGGER + "logger.setLevel(logging.INFO)\nlogger.log(logging.DEBUG, 'x')\n", False),
    ("LC303", _LOGGER + "logger.setLevel('info')\n", True),
    ("LC303", _LOGGER + "logger.log('x')\n", True),
    ("LC303", "import logging\nlogging.basicConfig(level=15)\n", True),
    ("LC303", "import logging.config\nlogging.config.dictConfig({'version': 1, 'root': {'level': 'info'}})\n", True),
    # LC304-LC306: exception and exc_info
    ("LC304", _LOGGER + "try:\n    f()\nexcept OSError:\n    logger.exception('x')\nlogger.error('x', exc_info=e)\n",
     False),
    ("LC304", _LOGGER + "logger.exception('x')\n", True),
    ("LC304", _LOGGER + "try:\n    f()\nexcept OSError:\n    def _g():\n        logger.error('x', exc_info=True)\n", True),
    ("LC305", _LOGGER + "try:\n    f()\nexcept OSError:\n    logger.warning('x', exc_info=True)\n", False),
    ("LC305", _LOGGER + "try:\n    f()\nexcept OSError:\n    logger.error('x', exc_info=True)\n", True),
    ("LC305", _LOGGER + "import sys\ntry:\n    f()\nexcept OSError:\n    logger.error('x', exc_info=sys.exc_info())\n",
     True),
    ("LC305", _LOGGER + "try:\n    f()\nexcept OSError as e:\n    logger.error('x', exc_info=e)\n", True),
    ("LC305", _LOGGER + "try:\n    f()\nexcept OSError as e:\n    logger.error('x', exc_info=verbose)\n", False),
    ("LC305", _LOGGER + "logger.error('x', exc_info=True)\n", False),  # outside: LC304's
    ("LC305", _LOGGER + "try:\n    f()\nexcept OSError:\n    logger.error('x', exc_info=0)\n", False),
    ("LC306", _LOGGER + "try:\n    f()\nexcept OSError:\n    logger.exception('x')\n", False),
    ("LC306", _LOGGER + "try:\n    f()\nexcept OSError:\n    logger.exception('x', exc_info=True)\n", True),
    # LC401-LC403: calls of the output functions only
    ("LC402", "from pprint import pformat\nimport pprint\ntext = pformat(x)\n", False),
    ("LC402", "import pprint\npprint.pprint(x)\n", True),
    ("LC402", "from pprint import pp as show\nshow(x)\n", True),
    ("LC402", "import pprint as p\np.pp(x)\n", True),
    ("LC401", "import pprint\nprinter.print_table(x)\nblueprint = 1\n", False),
    ("LC401", "print('x')\n", True),
    ("LC403", "import sys\nsys.stdout.flush()\nout = sys.stderr\n", False),
    ("LC403", "import sys\nsys.stderr.write('x')\n", True),
    # LC5xx: what the configuration model reads (the table below has more)
    ("LC502", "import logging\nh = logging.FileHandler('app.log')\nlogging.getLogger().addHandler(h)\n", True),
    ("LC502", "from logging import FileHandler as FH\nFH('app.log')\n", True),
    ("LC502", "import logging\nclass Mine(logging.FileHandler):\n    pass\nMine('app.log')\n", True),
    ("LC502", "from logging import FileHandler as FH\nclass A(FH):\n    pass\nclass B(A):\n    pass\nB('x.log')\n",
     True),
    ("LC502", "from django.core.handlers.wsgi import WSGIHandler\napp = WSGIHandler()\n", False),
    ("LC502", "from .base import BaseHandler\nclass ClientHandler(BaseHandler):\n    pass\nh = ClientHandler()\n",
     False),  # a module class is read as a handler only when built on FileHandler
    ("LC502", "import logging\nclass Mine(logging.FileHandler, Other):\n    pass\nMine('app.log')\n", False),
    ("LC502", "import logging\nlogger = logging.getLogger(__name__)\nlogger.setLevel(logging.INFO)\n"
              "handler.setFormatter(fmt)\nlogger.addHandler(handler)\n", False),
    ("LC506", "LOGGING = {'version': 1, 'handlers': {'f': {'class': 'logging.StreamHandler'}}}\n", True),
    ("LC506", "def f():\n    config = {'version': 1, 'handlers': {'f': {'class': 'logging.StreamHandler'}}}\n"
              "    return config\n", False),
    ("LC507", "import logging.config as lc\nlc.fileConfig('logging.ini')\n", True),
    # LC601: identifiers that name a secret, with the configured secret names
    ("LC601", _LOGGER + "logger.info('user %s logged in with password', user)\npassword = 1\n", False),
    ("LC601", _LOGGER + "logger.info('login %s', password)\n", True),
    ("LC601", _LOGGER + "logger.info('login', extra={'api_key': k})\n", True),
    ("LC601", _LOGGER + "logger.info('login %s', creds['token'])\n", True),
    ("LC601", _LOGGER + "logger.info('login', **credentials)\n", True),  # only in the unpacked keywords
    ("LC601", "import structlog\nlog = structlog.get_logger().bind(password=p)\n", True),  # only in a bind
    # a method of the file that returns the root logger, called on `self`
    ("LC101", "import logging\nclass T:\n    def setup(self):\n        return logging.root\n"
              "    def test(self):\n        logger = self.setup()\n        logger.error('x')\n", True),
]


@pytest.mark.parametrize("code, source, may", GATE_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(GATE_CASES)])
def test_the_logger_call_gates_say_no_to_clean_calls_and_yes_to_positives(code, source, may):
    settings = _settings({})
    rule = registry.all_rules()[code]
    assert rule.ast_gate(facts_of(ast.parse(source)), settings) is may
    found = [d.code for d in check_source("x.py", SourceText(source, "utf-8", False), [rule],
                                                 settings).diagnostics]
    assert bool(found) is may, found


def _reference_calls(tree: ast.AST) -> Dict[int, bool]:
    """id of every call with a plain or dotted callee -> whether it is inside an except
    block of its function, found recursively with `ast.iter_child_nodes`."""
    out: Dict[int, bool] = {}

    def visit(node: ast.AST, in_handler: bool) -> None:
        if isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute)):
            out[id(node)] = in_handler
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            in_handler = False
        for child in ast.iter_child_nodes(node):
            visit(child, in_handler or (isinstance(node, ast.ExceptHandler) and child in node.body))

    visit(tree, False)
    return out


def held_in_trees() -> Iterator[Tuple[str, ast.Module]]:
    """The held-in sources the interpreter parses, with their trees."""
    for name, source, _filename, _table in held_in_sources():
        try:
            yield name, ast.parse(source)
        except (SyntaxError, ValueError):
            continue


def test_the_facts_walk_meets_every_call_in_its_context():
    """The facts' own walk (field lists read once per class, context markers on its
    stack) against a plain recursive one, on every held-in source."""
    checked = 0
    for name, tree in held_in_trees():
        facts = facts_of(tree)
        reference = _reference_calls(tree)
        assert sorted(id(call) for _names, call in facts.calls) == sorted(reference), name
        assert all(c.in_handler is reference[id(c.node)] for c in facts.log_calls), name
        checked += 1
    assert checked > 50


def test_every_built_in_rule_has_an_ast_gate():
    """So a file only some rule's needles let through is parsed with libcst only when a
    gate says yes (the ungated path is for rules added later)."""
    assert [code for code, rule in registry.all_rules().items() if rule.ast_gate is None] == []


def test_with_a_star_import_the_names_the_module_does_not_bind_may_be_the_root():
    facts = facts_of(ast.parse("import logging\nfrom app.helpers import *\nlogger = logging.getLogger(__name__)\n"
                               "def f(self):\n    log.info('a')\n    logger.info('b')\n    self.log.info('c')\n"))
    receivers = {ast.unparse(c.receiver): facts.may_be_root(c.receiver) for c in facts.log_calls}
    assert receivers == {"log": True, "logger": False, "self.log": True}


def test_the_runner_walks_only_the_rules_whose_gate_admits_the_file():
    asked = []

    def shared(facts, settings):
        asked.append(1)
        return True

    class A(Rule):
        code, needles, ast_gate = "LC991", (word("x"),), staticmethod(shared)

    class B(Rule):
        code, needles, ast_gate = "LC992", (word("x"),), staticmethod(shared)

    class C(Rule):
        code, needles, ast_gate = "LC993", (word("x"),), staticmethod(lambda facts, settings: False)

    admitted = runner._rules_gates_admit((A, B, C, _Ungated), facts_of(ast.parse("x = 1\n")), _settings({}))
    assert admitted == (A, B) and asked == [1]  # one question for the gate A and B share


def test_the_secret_gate_follows_the_configured_secret_names():
    source = _LOGGER + "logger.info('login %s', pin_code)\n"
    facts = facts_of(ast.parse(source))
    gate = registry.all_rules()["LC601"].ast_gate
    assert not gate(facts, _settings({}))
    assert gate(facts, _settings({"secret-names": ["pin_code"]}))


def test_one_pass_finds_the_logger_call_shapes():
    facts = facts_of(ast.parse("from logging import warning as w\nw('x', 1)\nlog.log(10, msg='y')\n"
                               "log.info(*args)\nprint('x')\n"))
    shapes = [(c.method, c.receiver is None, c.message.value if c.message else None, c.format_args is None)
              for c in facts.log_calls]
    assert shapes == [("warning", True, "x", False), ("log", False, "y", False), ("info", False, None, True)]


@pytest.mark.parametrize("path, may", [("tests/test_fmt.py", False), ("pkg/fmt.py", True)])
def test_the_format_args_gate_says_no_in_tests(path, may):
    """LC205 is silent in tests (a test logs odd messages on purpose), so its gate does not
    send a test to the parser for it; the rule alone agrees."""
    source = _LOGGER + "logger.info('x %s and %s', y)\n"
    settings = _settings({})
    rule = registry.all_rules()["LC205"]
    assert rule.ast_gate(facts_of(ast.parse(source), path=Path(path)), settings) is may
    found = check_source(path, SourceText(source, "utf-8", False), [rule], settings).diagnostics
    assert bool(found) is may
