"""The project's part of the root-logger gate (`semantics.root_exports`): a file whose
imports the project shows cannot be the root logger is not parsed for LC101, and the gate
never says no where the rule reports (each case is checked against the rule run without
the gate)."""

from __future__ import annotations

import ast
import json
import textwrap
from pathlib import Path

import pytest

from logcheck.interfaces import cli
from logcheck.rules import registry
from logcheck.semantics.root_exports import ProjectRootExports, root_exports_for
from logcheck.source.astfacts import facts_of

from helpers import check_project_file, make_settings

#: the project's logging helpers every case imports from
LOG_MODULE = """\
    import logging

    LOG = logging.getLogger("pkg")
    ROOT = logging.root
    ALIAS = ROOT

    def get_logger(name):
        return logging.getLogger(name)

    def root_logger():
        return logging.getLogger()

    def wrapped(name):
        return get_logger(name)
    """

#: (the checked module's source, whether LC101 may report: the gate's answer and the rule's)
CASES = [
    # a project factory returning a named logger, by every way of importing it
    ("from .log import get_logger\nlogger = get_logger(__name__)\nlogger.info('x')\n", False),
    ("from pkg.log import get_logger\nget_logger(__name__).info('x')\n", False),
    ("from pkg import log\nlog.get_logger(__name__).info('x')\n", False),
    ("import pkg.log\npkg.log.get_logger(__name__).info('x')\n", False),
    ("from .log import wrapped\nwrapped('a').info('x')\n", False),
    ("from .log import LOG\nLOG.info('x')\n", False),
    ("from . import log as lg\nlg.LOG.warning('x')\n", False),
    # the root logger, through the project
    ("from .log import root_logger\nroot_logger().info('x')\n", True),
    ("from pkg.log import ROOT\nROOT.info('x')\n", True),
    ("from .log import ALIAS\nlogger = ALIAS\nlogger.error('x')\n", True),
    ("from pkg import log\nlog.root_logger().info('x')\n", True),
    ("from pkg import log\nlog.ROOT.info('x')\n", True),
    ("from .reexport import ROOT as R\nR.info('x')\n", True),
    # outside the project: the model never takes the root logger from there
    ("from optparse import OptionParser\nparser = OptionParser()\nparser.error('x')\n", False),
    ("import os.path\nos.path.info('x')\n", False),
    # functions named like log methods: only `logging`'s own are log calls
    ("from requests.help import info\ninfo()\n", False),
    ("from socket import error as SocketError\nSocketError('x')\n", False),
    ("from logging import info\ninfo('x')\n", True),
]

FILES = {
    "pyproject.toml": "[project]\nname = 'demo'\n",
    "pkg/__init__.py": "",
    "pkg/log.py": LOG_MODULE,
    "pkg/reexport.py": "from .log import ROOT\n",
}


def _project(root: Path, checked: str) -> Path:
    for rel, text in {**FILES, "pkg/mod.py": checked}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root / "pkg" / "mod.py"


def _gate(path: Path) -> bool:
    settings = make_settings(None, path.parent.parent)
    exports = root_exports_for(path, settings)
    facts = facts_of(ast.parse(path.read_bytes()), exports)
    return bool(registry.all_rules()["LC101"].ast_gate(facts, settings))


@pytest.mark.parametrize("source, reports", CASES, ids=[f"case{i}" for i in range(len(CASES))])
def test_the_gate_follows_the_import_and_agrees_with_the_rule(tmp_path, source, reports):
    path = _project(tmp_path, source)
    found = [d.code for d in check_project_file(tmp_path, "pkg/mod.py", ["LC101"]).diagnostics]
    assert (found == ["LC101"]) is reports, found
    assert _gate(path) is reports


@pytest.mark.parametrize("helper", [
    "def __getattr__(name):\n    import logging\n    return logging.getLogger()\n",   # PEP 562
    "from .other import *\n",                                                      # a star import
    "def broken(:\n",                                                              # does not parse
    "from .log2 import *\n",                                                       # a module that is missing
])
def test_what_cannot_be_followed_may_be_the_root(tmp_path, helper):
    path = _project(tmp_path, "from .helper import thing\nthing.info('x')\n")
    (tmp_path / "pkg" / "helper.py").write_text(helper, encoding="utf-8")
    (tmp_path / "pkg" / "other.py").write_text("import logging\nthing = logging.root\n", encoding="utf-8")
    assert _gate(path) is True


def test_an_import_cycle_is_maybe(tmp_path):
    path = _project(tmp_path, "from .a import X\nX.info('x')\n")
    (tmp_path / "pkg" / "a.py").write_text("from .b import Y\nX = Y\n", encoding="utf-8")
    (tmp_path / "pkg" / "b.py").write_text("from .a import X\nY = X\n", encoding="utf-8")
    assert _gate(path) is True


def test_the_answer_names_the_modules_it_read(tmp_path):
    path = _project(tmp_path, "from .log import wrapped\nwrapped('a').info('x')\n")
    exports = ProjectRootExports([tmp_path]).for_file(path)
    assert facts_of(ast.parse(path.read_bytes()), exports).may_be_root(ast.parse("wrapped('a')").body[0].value) is False
    assert exports.consulted == {tmp_path / "pkg" / "log.py"}


def test_a_file_gated_out_on_another_module_is_checked_again_when_that_module_changes(tmp_path, monkeypatch, capsys):
    """The result cache keeps a gated-out file's answer only while the modules the gate
    read are unchanged: `log.py` starting to return the root logger brings LC101 in."""
    _project(tmp_path, "from .log import get_logger\nget_logger('a').info('x')\n")
    monkeypatch.chdir(tmp_path)

    def lc101_rows():
        cli.main(["pkg", "--output-format", "json", "-j", "1", "--select", "LC101"])
        return [(Path(d["filename"]).name, d["code"]) for d in json.loads(capsys.readouterr().out)]

    assert lc101_rows() == []
    assert lc101_rows() == []  # from the cache
    log = tmp_path / "pkg" / "log.py"
    log.write_text(log.read_text(encoding="utf-8").replace("return logging.getLogger(name)",
                                                           "return logging.getLogger()"), encoding="utf-8")
    assert lc101_rows() == [("mod.py", "LC101")]


def test_a_module_asked_again_while_its_answer_is_worked_out_may_be_the_root(tmp_path):
    """`a.X` leans on `b.Y`, which leans on `a.Z` (the root logger): the question back into
    `a` while `a` is being worked out is answered maybe, never with a half-done no."""
    path = _project(tmp_path, "from .a import X\nX.info('x')\n")
    (tmp_path / "pkg" / "a.py").write_text("import logging\nfrom .b import Y\nX = Y\nZ = logging.root\n",
                                           encoding="utf-8")
    (tmp_path / "pkg" / "b.py").write_text("from .a import Z\nY = Z\n", encoding="utf-8")
    assert _gate(path) is True
    found = [d.code for d in check_project_file(tmp_path, "pkg/mod.py", ["LC101"]).diagnostics]
    assert found == ["LC101"]
