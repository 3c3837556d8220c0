"""One read of a project per run: the call graph, attribute provenance and the project-wide
facts search the same bytes (`callgraph.project_sources`), and the file being checked and
the project index share one parse of it (`ProjectIndex.share_tree`). The answers are those
of separate reads; the result cache still sees every file an answer came from."""

from __future__ import annotations

import json
import pathlib
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import checkout_env, project_files

from logcheck.semantics import callgraph, project
from logcheck.source.parse import parse_module

SETS_CLASS = "import logging\nlogging.setLoggerClass(Brace)\n"
SETS_FACTORY = "import logging\nlogging.setLogRecordFactory(make)\n"
STAR = "from app.util import *\n"


def _layout(tmp_path: Path) -> Path:
    """Facts in folders of code and in folders the facts leave out but the call graph's
    walk keeps (`__pypackages__`, `*.egg-info`) or leaves out too (`build`, dotted)."""
    return project_files(tmp_path, {
        "app/__init__.py": "",
        "app/util.py": "def _helper():\n    pass\n",
        "app/main.py": STAR + "_helper()\n",
        "__pypackages__/3.11/lib/vendored.py": SETS_CLASS,
        "demo.egg-info/hook.py": SETS_CLASS,
        "build/lib/app/main.py": SETS_CLASS,
        ".tox/py/site.py": SETS_CLASS,
        ".hidden/helper.py": SETS_CLASS,
        "tools/factory.py": SETS_FACTORY,
    })


def _read_apart(roots):
    """The facts as the scan found them when it read the files itself."""
    shared = callgraph.project_sources
    try:
        callgraph.project_sources = lambda root: None
        return project.scan_project(roots)
    finally:
        callgraph.project_sources = shared


def test_facts_from_the_shared_read_are_those_of_a_read_of_their_own(tmp_path):
    root = _layout(tmp_path).absolute()
    apart = _read_apart([root])
    shared = project.scan_project([root])
    assert shared == apart
    # the folders the facts leave out say nothing, though the call graph reads them
    assert shared.logger_class is False and shared.record_factory is True
    assert shared.star_imported == frozenset({"app.util"})
    assert sorted(p.relative_to(root).as_posix() for p in shared.files) == ["app/main.py", "tools/factory.py"]
    assert root / "__pypackages__/3.11/lib/vendored.py" in callgraph.project_sources(root)


def test_each_project_file_is_read_once_for_the_graph_and_the_facts(tmp_path, monkeypatch):
    root = _layout(tmp_path).absolute()
    reads = []
    real = pathlib.Path.read_bytes

    def counted(self):
        reads.append(self)
        return real(self)

    monkeypatch.setattr(pathlib.Path, "read_bytes", counted)
    index = project.ProjectIndex([root], ["logger"])
    graph = callgraph.graph_for(root)
    assert graph.sites("_helper") is not None
    assert index.facts(root / "app" / "main.py").star_imported == frozenset({"app.util"})
    assert graph.sites("_other") == []
    assert len(reads) == len(set(reads)) == len(callgraph.project_sources(root))


def test_the_checked_tree_is_shared_only_for_the_text_on_disk(tmp_path):
    root = project_files(tmp_path, {"app/__init__.py": "", "app/opts.py": "import logging\nlog = 1\n"})
    path = (root / "app" / "opts.py").absolute()
    index = project.ProjectIndex([root], ["logger"])
    on_disk = path.read_text()
    checked = parse_module(on_disk)
    assert index.share_tree(path, on_disk, lambda text: checked) is checked
    assert index.semantics("app.opts").module is checked  # the same text: no second parse

    other = project.ProjectIndex([root], ["logger"])
    edited = on_disk + "x = 2\n"  # an editor's unsaved text: the index reads the file
    other.share_tree(path, edited, parse_module)
    assert other.semantics("app.opts").module.code == on_disk

    def no_parse(text):
        raise AssertionError("parsed twice")

    assert other.share_tree(path, on_disk, no_parse) is other.semantics("app.opts").module


def _lc201_fix(root: Path, cache: Path) -> str:
    out = subprocess.run([sys.executable, "-m", "logcheck", "app", "--select", "LC201", "--output-format", "json",
                          "--exit-zero", "--cache-dir", str(cache)], cwd=root, capture_output=True, text=True,
                         env=checkout_env())
    assert out.returncode == 0, out.stderr
    [finding] = json.loads(out.stdout)
    return finding["fix"]["applicability"] if finding.get("fix") else "none"


@pytest.mark.parametrize("setup", [SETS_CLASS, SETS_FACTORY])
def test_a_fact_read_from_the_shared_sources_is_a_dependency_of_the_cached_result(tmp_path, setup):
    # the facts come from the call graph's read of the project: when the file that
    # installs a logger class (or a record factory) stops doing so, the next, cached, run
    # checks the module that logs again and its fix becomes safe
    root = project_files(tmp_path, {
        "app/__init__.py": "",
        "app/work.py": "import logging\nlog = logging.getLogger(__name__)\n\n\ndef _step(n):\n"
                       "    log.info(f'n={n}')\n\n\ndef run():\n    _step(1)\n",
        "app/setup_logging.py": setup,
    })
    cache = tmp_path / "cache"
    assert _lc201_fix(root, cache) == "unsafe"
    (root / "app" / "setup_logging.py").write_text("import logging\n")
    assert _lc201_fix(root, cache) == "safe"


def _by_pattern(data: bytes, word: bytes, on_other_only: bool) -> bool:
    """The byte patterns the search stands for, searched from every byte."""
    tail = rb"\s*(?::[^=\n]*)?=(?!=)"
    head = rb"(?<!self)(?<!cls)\." if on_other_only else rb"(?:\.\s*|^[ \t]+)"
    return re.search(head + re.escape(word) + tail, data, re.MULTILINE) is not None


PIECES = [b".", b". ", b" ", b"\t", b"\n", b"\r\n", b"\f", b"self", b"cls", b"myself", b"x", b"=", b"==", b": int",
          b":", b"(", b"#", b"log", b"logger", b"aa", b"a"]


@pytest.mark.parametrize("word", [b"log", b"logger", b"aa", b"a"])
def test_the_assignment_search_finds_what_the_patterns_find(word):
    rng = random.Random(20)
    texts = [b"".join(rng.choice(PIECES) for _ in range(rng.randint(0, 14))) for _ in range(4000)]
    texts += [b"self.logger = x", b"  logger = 1", b"\tlogger: Log = 1", b"o.logger==1", b"cls.logger = 1",
              b"a.\n  logger = 1", b"x\n logger =", b"logger = 1", b"aaa.aa = 1", b"self . logger = 1"]
    for data in texts:
        for on_other in (False, True):
            assert project._assigned(data, word, on_other) == _by_pattern(data, word, on_other), (data, on_other)
