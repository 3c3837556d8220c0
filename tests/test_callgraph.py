"""The project call graph (`semantics/callgraph.py`) and LC304, which asks it: reported only
where no exception can be in flight. Every case is a small project on disk, checked as the
command line checks it, so that callers in other modules are seen as they are."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Dict

import pytest
from helpers import checkout_env, package_project

from logcheck.semantics import callgraph

REPO = Path(__file__).resolve().parent.parent
LOGGER = "import logging\nlogger = logging.getLogger(__name__)\n"


def _project(root: Path, files: Dict[str, str]) -> Path:
    return package_project(root, "pkg", files)


def _lc304_rows(root: Path, *extra: str):
    out = subprocess.run([sys.executable, "-m", "logcheck", "pkg", "--preview", "--select", "LC304", "--output-format", "concise",
                          "--exit-zero", *extra], cwd=root, capture_output=True, text=True,
                         env=checkout_env())
    assert out.returncode == 0, out.stderr
    return sorted(line.split(":")[0].rsplit("/", 1)[-1] + ":" + line.split(":")[1]
                  for line in out.stdout.splitlines() if "LC304" in line)


# Each case: the module `a.py` (and more modules), with `logger.exception("here")` in the
# function under test. SILENT: an exception may be in flight there, or a caller cannot be seen.
SILENT = {
    "private helper called from a handler": """
        def _report():
            logger.exception("here")
        def run():
            try:
                work()
            except OSError:
                _report()
        """,
    "nested function called from a handler": """
        def run():
            def report():
                logger.exception("here")
            try:
                work()
            except OSError:
                report()
        """,
    "method of the same class called from a handler": """
        class Job:
            def _fail(self):
                logger.exception("here")
            def run(self):
                try:
                    work()
                except OSError:
                    self._fail()
        """,
    "called from a finally clause": """
        def _cleanup():
            logger.exception("here")
        def run():
            try:
                work()
            finally:
                _cleanup()
        """,
    "through a private helper that a handler calls": """
        def _inner():
            logger.exception("here")
        def _outer():
            _inner()
        def run():
            try:
                work()
            except OSError:
                _outer()
        """,
    "public function (called from outside the project)": """
        def report():
            logger.exception("here")
        """,
    "protocol method": """
        class Guard:
            def __exit__(self, *exc):
                logger.exception("here")
        """,
    "passed as a callback": """
        import threading
        def _work():
            logger.exception("here")
        threading.Thread(target=_work).start()
        """,
    "reached by getattr": """
        class Job:
            def _fail(self):
                logger.exception("here")
            def run(self, what):
                getattr(self, "_fail")()
        """,
    "lambda": """
        report = lambda: logger.exception("here")
        """,
    "method of a library class (may override what the library calls)": """
        import socketserver
        class Handler(socketserver.BaseRequestHandler):
            def _handle_error(self):
                logger.exception("here")
            def handle(self):
                self._handle_error()
        """,
    "Starlette add_exception_handler": """
        async def _on_error(request, exc):
            logger.exception("here")
        app.add_exception_handler(Exception, _on_error)
        """,
    "FastAPI exception_handler decorator": """
        @app.exception_handler(Exception)
        async def _on_error(request, exc):
            logger.exception("here")
        """,
    "Flask errorhandler": """
        @app.errorhandler(500)
        def _internal_error(error):
            logger.exception("here")
        """,
    "Django process_exception": """
        class ErrorMiddleware:
            def process_exception(self, request, exception):
                logger.exception("here")
        """,
    "Django handler500 view": """
        def server_error(request):
            logger.exception("here")
        handler500 = server_error
        """,
    "aiohttp middleware": """
        from aiohttp import web
        @web.middleware
        async def _errors(request, handler):
            logger.exception("here")
        """,
    "sys.excepthook": """
        import sys
        def _hook(kind, value, tb):
            logger.error("uncaught", exc_info=True)
        sys.excepthook = _hook
        """,
    "threading.excepthook": """
        import threading
        def _hook(args):
            logger.exception("here")
        threading.excepthook = _hook
        """,
    "loop.set_exception_handler": """
        def _on_loop_error(loop, context):
            logger.exception("here")
        def install(loop):
            loop.set_exception_handler(_on_loop_error)
        """,
}

# registered exception handlers: the framework calls them inside its `except`
SILENT.update({
    "helper of a Powertools exception_handler": """
        from aws_lambda_powertools.event_handler import APIGatewayRestResolver
        app = APIGatewayRestResolver()
        def _report(ex):
            logger.exception("here")
        @app.exception_handler(ValueError)
        def handle_value_error(ex):
            _report(ex)
        """,
    "helper of a Flask errorhandler": """
        def _report():
            logger.exception("here")
        def register(app):
            @app.errorhandler(500)
            def failed(error):
                _report()
        """,
    "helper of a handler given to add_exception_handler": """
        def _report():
            logger.exception("here")
        def _on_error(request, exc):
            _report()
        def build(app):
            app.add_exception_handler(ValueError, _on_error)
        """,
})

#: REPORTED: every caller is known and none is in a handler
REPORTED = {
    "helper of a route (not an exception handler)": """
        from aws_lambda_powertools.event_handler import APIGatewayRestResolver
        app = APIGatewayRestResolver()
        def _report():
            logger.exception("here")
        @app.get("/orders")
        def orders():
            _report()
        """,
    "module level": """
        logger.exception("here")
        """,
    "private helper called outside handlers": """
        def _check(status):
            if status >= 500:
                logger.exception("here")
        def fetch(status):
            _check(status)
        """,
    "nested function called outside handlers": """
        def run():
            def report():
                logger.exception("here")
            report()
        """,
    "private method called outside handlers": """
        class Job:
            def _fail(self):
                logger.exception("here")
            def run(self):
                self._fail()
        """,
    "recursive private helper": """
        def _walk(n):
            if n:
                _walk(n - 1)
            logger.exception("here")
        _walk(3)
        """,
    "a class body at import": """
        class Config:
            logger.error("here", exc_info=True)
        """,
}


@pytest.mark.parametrize("case", sorted(SILENT))
def test_lc304_silent_where_an_exception_may_be_in_flight(tmp_path, case):
    root = _project(tmp_path, {"a.py": LOGGER + textwrap.dedent(SILENT[case])})
    assert _lc304_rows(root) == []


@pytest.mark.parametrize("case", sorted(REPORTED))
def test_lc304_reported_where_no_exception_can_be_in_flight(tmp_path, case):
    root = _project(tmp_path, {"a.py": LOGGER + textwrap.dedent(REPORTED[case])})
    assert len(_lc304_rows(root)) == 1


def test_lc304_base_class_method_called_from_a_subclass_handler_in_another_module(tmp_path):
    root = _project(tmp_path, {
        "base.py": LOGGER + "class Base:\n    def _failed(self):\n        logger.exception('here')\n",
        "worker.py": "from pkg.base import Base\nclass Worker(Base):\n    def run(self):\n        try:\n"
                     "            work()\n        except OSError:\n            self._failed()\n",
    })
    assert _lc304_rows(root) == []


def test_lc304_helper_imported_and_called_from_a_handler_elsewhere(tmp_path):
    root = _project(tmp_path, {
        "util.py": LOGGER + "def _report():\n    logger.exception('here')\n",
        "main.py": "from pkg.util import _report\ntry:\n    work()\nexcept OSError:\n    _report()\n",
    })
    assert _lc304_rows(root) == []


def test_an_edit_in_a_caller_invalidates_the_callee_result(tmp_path):
    # the result cache records the files the call graph read: a caller that starts calling
    # the helper from a handler takes the finding away on the next (cached) run
    root = _project(tmp_path, {
        "util.py": LOGGER + "def _report():\n    logger.exception('here')\n",
        "main.py": "from pkg.util import _report\n_report()\n",
    })
    cache = ["--cache-dir", str(tmp_path / "cache")]
    assert _lc304_rows(root, *cache) == ["util.py:4"]
    (root / "pkg" / "main.py").write_text("from pkg.util import _report\ntry:\n    work()\nexcept OSError:\n"
                                          "    _report()\n")
    assert _lc304_rows(root, *cache) == []


# --------------------------------------------------------------------------- the graph itself


def test_call_sites_say_where_they_are(tmp_path):
    root = _project(tmp_path, {"a.py": """
        def _f():
            pass
        _f()
        def g():
            for x in y:
                _f()
            try:
                pass
            except E:
                _f()
            h(_f)
        """})
    graph = callgraph.ProjectCallGraph(root)
    sites = graph.sites("_f")
    assert sites is not None
    described = sorted((s.where, s.called, s.in_handler, s.in_loop, s.at_import) for s in sites)
    assert described == [((), True, False, False, True),
                         (("g",), False, False, False, False),
                         (("g",), True, False, True, False),
                         (("g",), True, True, False, False)]
    assert graph.read_for("_f") == (root / "pkg" / "a.py",)


def test_a_project_too_large_to_list_is_unknown(tmp_path, monkeypatch):
    root = _project(tmp_path, {"a.py": "x = 1\n", "b.py": "y = 2\n"})
    monkeypatch.setattr(callgraph, "MAX_FILES", 1)
    assert callgraph.ProjectCallGraph(root).sites("x") is None


def test_the_project_root_is_the_nearest_marked_folder(tmp_path):
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "src").mkdir()
    assert callgraph.project_root(tmp_path / "src") == tmp_path
    bare = tmp_path / "src" / "x" / "y" / "z"
    bare.mkdir(parents=True)
    assert callgraph.project_root(bare) == bare


# --------------------------------------------------------------------------- LC511 asks the graph

_ADDS = LOGGER + textwrap.dedent("""
    def get_logger(name):
        log = logging.getLogger(name)
        {before}
        log.addHandler(logging.StreamHandler())
        return log
    """)


def _lc511_rows(root: Path):
    out = subprocess.run([sys.executable, "-m", "logcheck", "pkg", "--preview", "--select", "LC511", "--output-format", "concise",
                          "--exit-zero", "--no-cache"], cwd=root, capture_output=True, text=True,
                         env=checkout_env())
    assert out.returncode == 0, out.stderr
    return [line.split(":")[0].rsplit("/", 1)[-1] for line in out.stdout.splitlines() if "LC511" in line]


@pytest.mark.parametrize("callers, reported", [
    ({}, False),                                                        # no call seen: not shown
    ({"a.py": "from pkg.util import get_logger\nlog = get_logger('a')\n"}, False),  # once per process
    ({"a.py": "from pkg.util import get_logger\nlog = get_logger('a')\n",
      "b.py": "from pkg.util import get_logger\nlog = get_logger('b')\n"}, True),     # two modules
    ({"a.py": "from pkg.util import get_logger\nfor n in names:\n    get_logger(n)\n"}, True),  # a loop
    ({"a.py": "from other.util import get_logger\nget_logger('a')\n",
      "b.py": "from other.util import get_logger\nget_logger('b')\n"}, False),  # another module's function
])
def test_lc511_reports_what_the_graph_shows_runs_more_than_once(tmp_path, callers, reported):
    root = _project(tmp_path, {"util.py": _ADDS.replace("{before}", "pass"), **callers})
    assert _lc511_rows(root) == (["util.py"] if reported else [])


@pytest.mark.parametrize("removal", [
    "log.handlers.clear()",
    "log.handlers = []",
    "del log.handlers[:]",
    "for h in list(log.handlers): log.removeHandler(h)",
    "_reset(log)",                                       # through a helper of the module
])
def test_lc511_a_function_that_removes_the_handlers_it_adds_is_no_finding(tmp_path, removal):
    util = _ADDS.replace("{before}", removal) + "def _reset(log):\n    for h in log.handlers[:]:\n" \
                                                "        log.removeHandler(h)\n"
    callers = {"a.py": "from pkg.util import get_logger\nfor n in names:\n    get_logger(n)\n"}
    root = _project(tmp_path, {"util.py": util, **callers})
    assert _lc511_rows(root) == []


def test_the_files_holding_a_word_are_the_same_from_the_index_as_from_a_scan(tmp_path):
    """`files_containing` scans the project for its first words, then indexes every word of
    it; both answer whole words only (`data` is not in `metadata`)."""
    from logcheck.semantics import callgraph

    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'p'\n", encoding="utf-8")
    texts = {"a.py": "data = 1\n", "b.py": "metadata = 2\n", "c.py": "x.data_2 = data\n", "d.py": "# data.\n",
             "e.py": "données = 3\n"}
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    words = ["data", "metadata", "data_2", "x", "données", "missing"] + [f"w{i}" for i in range(callgraph._SCANS_BEFORE_INDEX)]
    scanned = callgraph.ProjectCallGraph(tmp_path)
    by_scan = {w: sorted(p.name for p in scanned.files_containing(w)) for w in words}
    indexed = callgraph.ProjectCallGraph(tmp_path)
    for i in range(callgraph._SCANS_BEFORE_INDEX):
        indexed.files_containing(f"w{i}")
    assert indexed._words is None
    by_index = {w: sorted(p.name for p in indexed.files_containing(w)) for w in words}
    assert indexed._words is not None
    assert by_index == by_scan
    assert by_scan["data"] == ["a.py", "c.py", "d.py"]
    assert by_scan["données"] == ["e.py"]
