"""logcheck/semantics/module_logger.py, case by case: where a fix may call an existing module
logger, and when it inserts one, under which name, through which import and where
(rules/LC101.md, "Fix"; LC401 and LC402 use the same logger). Written against the survivors
of mutmut's `module_logger` run. Each table pins one behaviour of the rule page, and each
expected text follows from when Python runs which statement of a module: a function's body
runs when it is called, a decorator, a default value and a class body when the statement
runs, an imported module's body when it is first imported (and not again while it is being
imported)."""

from __future__ import annotations

import logging
import signal
import textwrap
from contextlib import contextmanager
from pathlib import Path
from typing import List

import pytest
from helpers import check, check_project_file, fix, fix_project_file, project_files

from logcheck.semantics.module_logger import ModuleLoggerPlan, ModuleLoggers, header_end
from logcheck.semantics.project import ProjectIndex
from logcheck.semantics.provenance import Semantics
from logcheck.source.parse import parse_module

#: the root-logger call every case below makes, and the call a fix turns it into
CALL = 'logging.info("x")'
LOGGING_LINE = "import logging\n"


def src(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def fixed(source: str, select: str = "LC101", *, unsafe: bool = False, path: str = "example.py") -> str:
    return fix(source, [select], unsafe=unsafe, path=path, dedent=False)


def reused(source: str, name: str = "logger") -> str:
    """`source` fixed by calling its own `name = logging.getLogger(__name__)`."""
    return source.replace(CALL, f'{name}.info("x")')


def inserted(source: str, after: str = LOGGING_LINE, name: str = "_logger") -> str:
    """`source` fixed by inserting `name = logging.getLogger(__name__)` after the line
    `after` (the end of the import header), set off by blank lines, and calling it."""
    head, line, tail = source.partition(after)
    assert line, after
    gap = "" if tail.startswith("\n") else "\n"
    return reused(f"{head}{line}\n{name} = logging.getLogger(__name__)\n{gap}{tail}", name)


@contextmanager
def deadline(seconds: float):
    """Fail (rather than hang) when the block runs longer than `seconds` (where SIGALRM exists)."""
    if not hasattr(signal, "setitimer"):
        yield
        return

    def expired(*_):
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def cases(*rows):
    """`(id, source, expected)` rows as pytest params."""
    return [pytest.param(source, expected, id=name) for name, source, expected in rows]


# --------------------------------------------------------------------------- module level


CALL_THEN_BINDING = src('''
    import logging
    logging.info("x"); logger = logging.getLogger(__name__)
    ''')


def test_a_module_level_call_before_the_binding_on_its_line_does_not_reuse_it():
    """At module level `logger` is reused only by statements after the one binding it: on
    `call(); logger = ...` the call runs first, and `logger.info` would be a NameError."""
    assert fixed(CALL_THEN_BINDING) == inserted(CALL_THEN_BINDING)


def test_a_call_in_the_header_runs_before_any_inserted_logger():
    """The module's first string is its header (taken for a docstring), but its f-string
    part runs `print` at import, before a logger inserted after the header can exist: no
    fix there; the `print` in `f` runs later and is fixed."""
    source = src('''
        "Loaded " f"{print('x')}"


        def f():
            print("y")
        ''')
    assert [(d.row, d.fix is not None) for d in check(source, ["LC401"], dedent=False)] == [(1, False), (5, True)]


def test_a_lambda_parameter_hides_the_inserted_name():
    """`lambda logger: ...` binds `logger` in the lambda: its call cannot use an inserted
    `logger` (the first pass leaves it, the next one inserts `_logger` for it)."""
    source = src('''
        import logging


        def f():
            logging.info("x")


        g = lambda logger: logging.info("y")
        ''')
    assert fixed(source) == src('''
        import logging

        _logger = logging.getLogger(__name__)

        logger = logging.getLogger(__name__)


        def f():
            logger.info("x")


        g = lambda logger: _logger.info("y")
        ''')


@pytest.mark.parametrize("source, name", [
    # Python binds the targets of `a = b = value` left to right: `logger` first
    pytest.param("logger = log = logging.getLogger(__name__)\n", "logger", id="chained-logger-first"),
    pytest.param("log = logger = logging.getLogger(__name__)\n", "log", id="chained-log-first"),
    # `getLogger(name=...)`: the stdlib's parameter is `name`
    pytest.param("log = logging.getLogger(name=__name__)\n", "log", id="name-keyword"),
    # `json` bound twice is no module logger, and does not hide the one after it
    pytest.param("import json\ntry:\n    import ujson as json\nexcept ImportError:\n    pass\n"
                 "logger = logging.getLogger(__name__)\n", "logger", id="after-a-rebound-name"),
])
def test_the_existing_module_logger_is_the_first_bound(source, name):
    """The first name bound once, unconditionally, to `getLogger(__name__)` is the one reused."""
    source = f"import logging\n{source}\n\ndef f():\n    {CALL}\n"
    assert fixed(source) == reused(source, name)


# --------------------------------------------------------------------------- import-time code


#: a module logger bound after code that may or may not call the function holding the call;
#: `reused` where nothing can call that function before the binding runs, `inserted` (after
#: the imports, before any code runs) where something can
IMPORT_TIME = [
    # lru_cache(...) builds a wrapper and calls nothing; a default `None` calls nothing
    ("inert-decorator-call", src('''
        import functools
        import logging


        @functools.lru_cache(maxsize=None)
        def settings(path=None):
            logging.info("x")


        logger = logging.getLogger(__name__)
        '''), reused),
    # creating an Exception subclass, or a class without a base, runs none of its methods;
    # a method body (here `size` calling `helper`) runs only when called
    ("classes-that-call-nothing", src('''
        import logging


        class NotFound(Exception):
            pass


        class Store:
            def __init__(self):
                logging.info("x")

            @property
            def size(self):
                return helper()


        def helper():
            return 0


        logger = logging.getLogger(__name__)
        '''), reused),
    # the default `compute()` runs when `def f` runs, before `logger` is bound
    ("default-calls-a-function", src('''
        import logging


        def compute():
            logging.info("x")


        def f(x=compute()):
            return x


        logger = logging.getLogger(__name__)
        '''), inserted),
    # a class body runs when the class statement runs: `defaults = load()` calls `load`
    ("class-body-calls-its-method", src('''
        import logging


        class Config:
            def load():
                logging.info("x")

            defaults = load()


        logger = logging.getLogger(__name__)
        '''), inserted),
    # Enum calls `__init__` for each member while the class statement runs
    ("enum-member-init", src('''
        import enum
        import logging


        class Color(enum.Enum):
            RED = 1

            def __init__(self, value):
                logging.info("x")


        logger = logging.getLogger(__name__)
        '''), inserted),
]


@pytest.mark.parametrize("source, expected", cases(*IMPORT_TIME))
def test_a_function_reuses_the_logger_only_if_no_earlier_code_can_call_it(source, expected):
    """Decorators, defaults, class bodies and class-creation hooks run at import time; function bodies do not."""
    assert fixed(source) == expected(source)


def test_a_first_statement_that_runs_code_keeps_the_later_logger_from_being_reused():
    """The class body at the very top calls `load` before anything else: the logger goes
    above it, with its own `import logging` (the module's comes too late), and LC401's
    `print` becomes a call on that logger, not on the `logger` bound at the end."""
    source = src('''
        class Config:
            def load():
                print("x")

            defaults = load()


        import logging

        logger = logging.getLogger(__name__)
        ''')
    assert fixed(source, "LC401", unsafe=True) == "import logging\n\n_logger = logging.getLogger(__name__)\n\n" + \
        source.replace('print("x")', '_logger.info("x")')


def test_imports_are_quiet_when_the_project_cannot_be_read():
    """From stdin there is no project to follow: an import is taken for what it usually is,
    code that runs no function of this module, and the logger bound after it is reused."""
    source = src('''
        import logging

        logger = logging.getLogger(__name__)


        def f():
            logging.info("x")
        ''')
    assert fixed(source, path="-") == reused(source)


# --------------------------------------------------------------------------- call-backs


#: `a.py` with the logger bound after an import (`{import}`) that may call `f` back
LATE_LOGGER = '''\
import logging


def f():
    logging.info("x")


{import}

logger = logging.getLogger(__name__)
'''
#: `a.py` with the logger bound before that import
EARLY_LOGGER = '''\
import logging

logger = logging.getLogger(__name__)


def f():
    logging.info("x")


{import}
'''
#: a module that imports `a` again and calls `f` while `a` is half-initialised
CALLS_BACK = "import a\na.f()\n"

#: (import line in a.py, the other project files, does the import call `a.f` back)
IMPORTS = [
    pytest.param("import b", {"b.py": CALLS_BACK}, True, id="import"),
    pytest.param("from b import *", {"b.py": CALLS_BACK}, True, id="star-import"),
    # importing `pkg.sub` runs `pkg/__init__.py` first
    pytest.param("from pkg.sub import x", {"pkg/__init__.py": CALLS_BACK, "pkg/sub.py": "x = 1\n"}, True,
                 id="through-the-package"),
    pytest.param("from pkg import b", {"pkg/__init__.py": "", "pkg/b.py": CALLS_BACK}, True, id="submodule"),
    # `import pkg.b` binds `pkg` but runs `pkg/b.py` too
    pytest.param("import pkg.b", {"pkg/__init__.py": "", "pkg/b.py": CALLS_BACK}, True, id="dotted-import"),
    # the import calls nothing back, but the line goes on to call `f`
    pytest.param("import os; f()", {}, True, id="a-call-after-an-import-on-its-line"),
    # b imports e, x and c; c imports x again; only e calls back
    pytest.param("import b", {"b.py": "import e\nimport x\nimport c\n", "c.py": "import x\n", "x.py": "",
                              "e.py": CALLS_BACK}, True, id="past-a-module-seen-twice"),
    # a project file that does not parse says nothing about the modules imported beside it
    pytest.param("import b", {"b.py": "import e\nimport broken\n", "broken.py": "def (:\n", "e.py": CALLS_BACK},
                 True, id="past-a-file-that-does-not-parse"),
    pytest.param("import b", {"b.py": "x = 1\n"}, False, id="no-call-back"),
    # a module met twice does not end the search: `y`, still to read, is read (and calls nothing back)
    pytest.param("import b", {"b.py": "import y\nimport x\nimport c\n", "c.py": "import x\n", "x.py": "", "y.py": ""},
                 False, id="a-module-met-twice-then-others"),
]


@pytest.mark.parametrize("line, files, calls_back", IMPORTS)
def test_an_import_that_calls_back_comes_before_the_logger(tmp_path, line, files, calls_back):
    """`b` imported after `def f` can call `a.f` while `a` is being imported: a logger bound
    after that import is not reused (one is inserted after the header); one bound before is."""
    late = LATE_LOGGER.format(**{"import": line})
    root = project_files(tmp_path, {**files, "a.py": late})
    assert fix_project_file(root, "a.py", ["LC101"]) == (inserted(late) if calls_back else reused(late))
    early = EARLY_LOGGER.format(**{"import": line})
    (root / "a.py").write_text(early)
    assert fix_project_file(root, "a.py", ["LC101"]) == reused(early)


def test_code_before_the_logger_on_its_own_line_runs_first():
    """`main(); logger = ...`: `main` runs before `logger` exists (a NameError if it used
    it); `logger = ...; main()` binds it first."""
    before = src('''
        import logging


        def main():
            logging.info("x")


        main(); logger = logging.getLogger(__name__)
        ''')
    assert fixed(before) == inserted(before)
    after = before.replace("main(); logger = logging.getLogger(__name__)", "logger = logging.getLogger(__name__); main()")
    assert fixed(after) == reused(after)


def test_a_logger_bound_inside_a_block_that_calls_first_is_not_reused():
    """The binding's statement is a block (`if`, `try`) that calls `main` before binding the
    logger inside it: only a line of simple statements is split at the binding."""
    source = src('''
        import logging


        def main():
            logging.info("x")


        if True:
            main()
            logger = logging.getLogger(__name__)
        ''')
    assert fixed(source) == inserted(source)


def test_the_call_back_search_past_its_cap_may_call_back(tmp_path, monkeypatch):
    """Modules left when the search stops may call back: the logger bound after the import
    is not reused (not shown, so not safe)."""
    from logcheck.semantics import module_logger

    monkeypatch.setattr(module_logger, "_MAX_CALLBACK_MODULES", 1)
    late = LATE_LOGGER.format(**{"import": "import b"})
    root = project_files(tmp_path, {"b.py": "import c\n", "c.py": "x = 1\n", "a.py": late})
    assert fix_project_file(root, "a.py", ["LC101"]) == inserted(late)


def test_the_package_being_imported_is_not_imported_again(tmp_path):
    """`pkg/__init__.py` imports `pkg.a`, so `pkg` is already in `sys.modules` when
    `pkg/a.py` runs `from pkg import helpers`: only `helpers` runs, and it calls nothing back."""
    late = LATE_LOGGER.format(**{"import": "from pkg import helpers"})
    root = project_files(tmp_path, {"pkg/__init__.py": "from .a import f\nf()\n", "pkg/helpers.py": "",
                                    "pkg/a.py": late})
    assert fix_project_file(root, "pkg/a.py", ["LC101"]) == reused(late)


def test_an_import_cycle_among_other_modules_ends_the_search(tmp_path):
    """`b` and `c` import each other and never `a`: the search visits each once and stops."""
    late = LATE_LOGGER.format(**{"import": "import b"})
    root = project_files(tmp_path, {"b.py": "import c\n", "c.py": "import b\n", "a.py": late})
    with deadline(10):
        assert fix_project_file(root, "a.py", ["LC101"]) == reused(late)


def test_a_logger_bound_on_the_line_of_a_circular_import_is_reused(tmp_path):
    """`b` imports `a` again, but `f` is defined after the line that imports `b` and binds
    `logger`: nothing can call `f` before `logger` exists. (Which part of the line runs
    first is what matters: with code that can call `f` before the binding on its line, as
    in `f(); logger = ...`, reusing `logger` would be a NameError.)"""
    source = src('''
        import logging, b; logger = logging.getLogger(__name__)


        def f():
            logging.info("x")
        ''')
    root = project_files(tmp_path, {"b.py": "import a\n", "a.py": source})
    assert fix_project_file(root, "a.py", ["LC101"]) == reused(source)


@pytest.mark.parametrize("files, read", [
    pytest.param({"b.py": "import e\nimport x\nimport c\n", "c.py": "import x\n", "x.py": "", "e.py": CALLS_BACK},
                 {"b.py", "c.py", "e.py", "x.py"}, id="call-back-search"),
    pytest.param({"b.py": "import c\n", "c.py": "LIMIT = 1\n"}, {"b.py", "c.py"}, id="no-call-back"),
])
def test_the_modules_the_call_back_search_read_are_dependencies(tmp_path, files, read):
    """The decision depends on every module the search read: a change to one of them must
    invalidate a cached result for `a.py`."""
    root = project_files(tmp_path, {**files, "a.py": LATE_LOGGER.format(**{"import": "import b"})})
    dependencies = {Path(p).name for p in check_project_file(root, "a.py", ["LC101"]).dependencies}
    assert read <= dependencies


# --------------------------------------------------------------------------- the inserted logger

UNUSED = src('''
    import logging

    {taken} = None


    def f():
        logging.info("x")
    ''')


@pytest.mark.parametrize("taken, name", [
    ("logger", "_logger"),
    ("logger = _logger", "module_logger"),
    ("logger = _logger = module_logger", "logger2"),
    ("logger = _logger = module_logger = logger2", "logger3"),
    ("logger = _logger = module_logger = logger2 = logger3", "logger4"),
])
def test_the_inserted_logger_takes_the_first_free_name(taken, name):
    """`logger`, `_logger`, `module_logger`, then `logger2`, `logger3`, ...: the first name the file binds nowhere."""
    source = UNUSED.format(taken=taken)
    assert fixed(source) == inserted(source, name=name)


#: `json` bound twice (so not a plain import) before `import logging`
REBOUND_BEFORE_LOGGING = src('''
    import json
    import logging

    try:
        import ujson as json
    except ImportError:
        pass


    def f():
        logging.info("x")
    ''')


@pytest.mark.parametrize("source, expected", cases(
    # `from logging import getLogger` is used: no `import logging` is added
    ("from-logging-import-getLogger", src('''
        from logging import getLogger, info


        def f():
            info("x")
        '''), src('''
        from logging import getLogger, info

        logger = getLogger(__name__)


        def f():
            logger.info("x")
        ''')),
    # the rebound `json` does not hide the header's `import logging`: no second one is added
    ("import-logging-after-a-rebound-name", REBOUND_BEFORE_LOGGING,
     inserted(REBOUND_BEFORE_LOGGING, after="    pass\n", name="logger")),
))
def test_the_inserted_logger_calls_getLogger_through_the_header_imports(source, expected):
    """The inserted statement uses the module's own import of `logging` or of `getLogger`, after the whole header."""
    assert fixed(source) == expected


PRINTS = src('''
    {header}


    def f():
        print("x")
    ''')


@pytest.mark.parametrize("header, files, expected", [
    # `logging` is the project's own module: the stdlib one comes in as `_logging`
    pytest.param("from myproject import log as logging", {},
                 "import logging as _logging\n\nlogger = _logging.getLogger(__name__)", id="logging-is-another-module"),
    pytest.param("from compat import *", {"compat.py": "logging = None\n"},
                 "import logging as _logging\n\nlogger = _logging.getLogger(__name__)", id="star-import-binds-logging"),
    # and where `_logging` is taken too, no name is left for the module: no fix
    pytest.param("from myproject import log as logging\n_logging = None", {}, None, id="_logging-taken"),
    pytest.param("from compat import *",
                 {"compat.py": '__all__ = ["logging", "_logging"]\nlogging = _logging = None\n'},
                 None, id="star-import-binds-both"),
])
def test_the_logging_module_under_another_name(tmp_path, header, files, expected):
    """When `logging` means something else, the inserted logger imports the module as `_logging`, if that is free."""
    source = PRINTS.format(header=header)
    root = project_files(tmp_path, {**files, "a.py": source})
    if expected is not None:
        source = source.replace(header + "\n", f"{header}\n{expected}\n", 1).replace('print("x")', 'logger.info("x")')
    assert fix_project_file(root, "a.py", ["LC401"], unsafe=True) == source


STAR_IMPORT = src('''
    import logging
    from consts import *


    def f():
        logging.info("x")
    ''')


def test_a_star_import_of_a_project_module_hides_the_names_it_binds(tmp_path):
    """`from consts import *` binds `logger` (consts has one and no `__all__`): the inserted
    logger takes the next name, and the result depends on `consts.py`."""
    root = project_files(tmp_path, {"consts.py": "logger = None\nLIMIT = 3\n", "a.py": STAR_IMPORT})
    assert fix_project_file(root, "a.py", ["LC101"]) == inserted(STAR_IMPORT, "from consts import *\n")
    assert "consts.py" in {Path(p).name for p in check_project_file(root, "a.py", ["LC101"]).dependencies}


def test_a_star_import_that_cannot_be_read_leaves_the_call_unfixed():
    """From stdin `consts` cannot be read: it may bind any name, and no logger is inserted."""
    assert [(d.code, d.fix) for d in check(STAR_IMPORT, ["LC101"], path="-", dedent=False)] == [("LC101", None)]


# --------------------------------------------------------------------------- the API itself


def _module_loggers(source: str, index=None, module_name=None) -> ModuleLoggers:
    return ModuleLoggers(Semantics(parse_module(src(source)), (), index, module_name))


def test_the_plan_of_a_plain_module_model():
    """`ModuleLoggers` works over any `Semantics`, not only over a checked file's (which knows the project)."""
    assert _module_loggers("import logging\n").plan() == ModuleLoggerPlan("logger", "logging.getLogger", False, 0)


@pytest.mark.parametrize("index, module_name", [
    pytest.param(None, "a", id="no-index"),
    pytest.param("project", None, id="no-module-name"),
])
def test_without_an_index_or_an_own_name_no_import_is_followed(tmp_path, index, module_name):
    """The call-back search needs both the project and the module's own name in it; without
    either, imports are not followed (and the search does not fail)."""
    (tmp_path / "b.py").write_text("LIMIT = 1\n")
    loggers = _module_loggers('''
        import b
        import logging

        logger = logging.getLogger(__name__)


        def f():
            logging.info("x")
        ''', ProjectIndex([tmp_path], ()) if index else None, module_name)
    function = loggers.module.body[3]
    assert loggers.for_call(loggers.table.chain([function]), 3, True) == ("logger", False)


@pytest.mark.parametrize("block, end", [
    # one-line suites: `try: import x` / `except ImportError: import y`
    pytest.param("try: import ujson as json\nexcept ImportError: import json\n", 1, id="try-one-liners"),
    pytest.param("try: import a\nexcept ImportError: import b\nelse: import c\n", 1, id="try-else"),
    pytest.param("if DEBUG: import pdb\nelse: pass\n", 1, id="if-else-pass"),
    pytest.param("if DEBUG: import pdb\nelif TRACE: import trace\n", 1, id="elif"),
    # an import-only block nested in another
    pytest.param(src('''
        if sys.version_info >= (3, 11):
            import tomllib
        else:
            try:
                import tomli as tomllib
            except ImportError:
                import toml as tomllib
        '''), 1, id="nested-blocks"),
    # a branch that runs code: the header ends before the block
    pytest.param("if DEBUG: level = 10\n", 0, id="if-assigns"),
    pytest.param("if DEBUG: import pdb\nelse: pdb = None\n", 0, id="else-assigns"),
    pytest.param("if DEBUG: import pdb\nelif TRACE: trace = 1\n", 0, id="elif-assigns"),
    pytest.param("try: import ujson as json\nexcept ImportError: json = None\n", 0, id="except-assigns"),
])
def test_the_header_ends_after_import_only_blocks(block, end):
    """`header_end`: a block whose every branch only imports belongs to the header, however nested or written."""
    assert header_end(parse_module("import sys\n" + block + "x = 1\n").body) == end


def _records(source: str) -> List[tuple]:
    """(level, message) of every record running `source` as a module logs."""
    records: List[logging.LogRecord] = []
    handler = logging.Handler(logging.DEBUG)
    handler.emit = records.append  # type: ignore[method-assign]
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        exec(compile(source, "mod.py", "exec"), {"__name__": "mod"})
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
    return [(r.levelname, r.getMessage()) for r in records]


@pytest.mark.parametrize("source", [
    src("""
        import logging


        def main():
            logging.info("x")


        main(); logger = logging.getLogger(__name__)
        """),
    src("""
        import logging


        def main():
            logging.info("x")


        if True:
            main()
            logger = logging.getLogger(__name__)
        """),
], ids=["same-line", "block"])
def test_the_fixed_module_runs_and_logs_the_same(source):
    """Proof by execution: the fixed module imports without a NameError and logs the same
    records as the original (only the logger they come from changes, which LC101 names)."""
    assert _records(fixed(source)) == _records(source) == [("INFO", "x")]
