"""Safe fixes, round two (issue 25): every binding Python has, every way a name is reached.

One section per class of the issue's "What was measured", each a table of variants in
the general form. The expected texts are written out by hand; that the fixes kept keep
behaviour is proven by execution in tests/test_fix_differential.py (the families named in
each section's comment).
"""

from __future__ import annotations

import textwrap

import pytest
from helpers import check, check_project_file, fix, fix_project_file, project_files

from logcheck.semantics.scopes import ScopeTable
from logcheck.source.parse import parse_module


def _fixes(source, select):
    return [(d.code, d.fix.applicability if d.fix else None) for d in check(source, select)]


# ----------------------------------------------------------------- 1. bindings the scopes see
# families: walrus-and-match-bindings, nonlocal-defined-first

#: a local that hides the module logger, bound by each kind of binding Python has in an
#: expression or a pattern (`$` is where the root-logger call goes)
HIDING_LOCALS = [
    "if (logger := Other()):\n        $",
    "while (logger := Other()) is None:\n        pass\n    $",
    "[logger := Other() for _ in range(1)]\n    $",
    "print((logger := Other()))\n    $",
    "{k: (logger := Other()) for k in 'a'}\n    $",
    "match obj:\n        case Other() as logger:\n            $",
    "match [obj]:\n        case [logger]:\n            $",
    "match {'k': obj}:\n        case {'k': logger}:\n            $",
    "match {'k': obj}:\n        case {**logger}:\n            $",
    "match [obj, obj]:\n        case [_, *logger]:\n            $",
    "match obj:\n        case logger:\n            $",
    "match obj:\n        case Other(name=logger):\n            $",
    "match obj:\n        case Other() | None as logger:\n            $",
    # a value pattern binds nothing, but the capture beside it does
    "match [obj, obj]:\n        case [logger, Color.RED]:\n            $",
]


@pytest.mark.parametrize("local", HIDING_LOCALS)
def test_lc101_never_calls_a_local_that_hides_the_module_logger(local):
    body = local.replace("$", 'logging.info("root %s", 1)')
    source = (f"import logging\n\nlogger = logging.getLogger(__name__)\n\n\ndef f(obj):\n    {body}\n")
    fixed = fix(source, ["LC101"], dedent=False)
    assert 'logging.info("root %s", 1)' not in fixed
    assert '    logger.info("root %s", 1)' not in fixed
    assert '_logger.info("root %s", 1)' in fixed and "_logger = logging.getLogger(__name__)" in fixed


@pytest.mark.parametrize("binding", [
    "if (logger := 5):\n    pass",
    "[logger := 5 for _ in range(1)]",
    "match 5:\n    case logger:\n        pass",
    "match [5]:\n    case [*logger]:\n        pass",
])
def test_an_inserted_logger_takes_a_name_no_walrus_or_capture_binds(binding):
    source = f"import logging\n\n\ndef f():\n    logging.info('x')\n\n\n{binding}\nf()\n"
    fixed = fix(source, ["LC101"], dedent=False)
    assert "_logger = logging.getLogger(__name__)" in fixed and "    _logger.info('x')" in fixed


@pytest.mark.parametrize("binding", ["(logging := 3)", "[logging := 3 for _ in '']",
                                     "match 3:\n        case logging:\n            pass"])
def test_a_local_logging_bound_by_walrus_or_capture_is_not_the_module(binding):
    """`logging.log(20, ...)` would be LC303 with `logging.INFO`: an UnboundLocalError when
    `logging` is local to the function."""
    source = f"import logging\n\n\ndef f():\n    logging.log(20, 'x')\n    {binding}\n"
    assert check(source, ["LC303", "LC101"], dedent=False) == []


@pytest.mark.parametrize("capture", ["case Other() as logger:", "case logger:", "case [logger]:",
                                     "case {'k': logger}:"])
def test_a_match_capture_is_not_the_module_logger(capture):
    source = ("import logging\n\nlogger = logging.getLogger(__name__)\n\n\ndef f(obj):\n"
              f"    match obj:\n        {capture}\n            logger.warn('x')\n")
    assert check(source, ["LC301"], dedent=False) == []


def test_walrus_in_a_lambda_binds_in_the_lambda_only():
    source = ("import logging\n\nlogger = logging.getLogger(__name__)\nf = lambda: (logger := 3)\n"
              "logger.warn('x')\n")
    assert _fixes(source, ["LC301"]) == [("LC301", "safe")]


@pytest.mark.parametrize("order", ["inner first", "outer first"])
@pytest.mark.parametrize("value,expected", [("Other()", [("LC301", "unsafe")]), ("logging.getLogger('y')", [("LC301", "safe")])])
def test_nonlocal_binds_the_enclosing_function_in_any_definition_order(order, value, expected):
    inner = f"    def inner():\n        nonlocal logger\n        logger = {value}\n"
    outer_binding = "    logger = logging.getLogger('x')\n"
    body = inner + outer_binding if order == "inner first" else outer_binding + inner
    source = f"import logging\n\n\ndef outer():\n{body}    inner()\n    logger.warn('w')\n"
    assert _fixes(source, ["LC301"]) == expected


def test_nonlocal_through_a_middle_function_reaches_the_owner():
    source = ("def outer():\n    def middle():\n        nonlocal x\n        def inner():\n            nonlocal x\n"
              "            x = 2\n        x = 3\n    x = 1\n")
    table = ScopeTable(parse_module(source))
    outer = table.scope(table.root.bindings["outer"][0].node)
    assert [(b.kind, b.value.value) for b in outer.bindings["x"]] == [("assign", "2"), ("assign", "3"),
                                                                       ("assign", "1")]
    assert "x" not in table.root.bindings


@pytest.mark.parametrize("source,name,scope_of", [
    ("def f():\n    [y := 1 for _ in '']\n", "y", "f"),
    ("def f():\n    if (y := 1):\n        pass\n", "y", "f"),
    ("def f():\n    match 1:\n        case y:\n            pass\n", "y", "f"),
    ("def f(a=(y := 1)):\n    pass\n", "y", "<module>"),
    ("@(y := staticmethod)\ndef f():\n    pass\n", "y", "<module>"),
    ("class C:\n    if (y := 1):\n        pass\n", "y", "C"),
    ("def f():\n    global y\n    [y := 1 for _ in '']\n", "y", "<module>"),
])
def test_walrus_and_capture_bind_in_the_scope_python_uses(source, name, scope_of):
    table = ScopeTable(parse_module(source))
    owners = []
    for scope in table._scopes.values():
        if name in scope.bindings:
            owners.append("<module>" if scope.is_module else scope.node.name.value)
    assert owners == [scope_of]


def test_walrus_scan_is_skipped_only_when_the_source_has_none():
    module = parse_module("def f():\n    if (y := 1):\n        pass\n")
    assert "y" in ScopeTable(module).all_names
    assert "y" not in ScopeTable(module, may_have_walrus=False).all_names


# ----------------------------------------------------------------- 2. proof from bindings, not text
# families: logging-name-rebound, decorated-factory

@pytest.mark.parametrize("binding", [
    "def f(logging):\n    $",
    "def f():\n    logging = Other()\n    $",
    "def f():\n    (logging := Other())\n    $",
    "def f():\n    for logging in [Other()]:\n        $",
    "def f():\n    with make() as logging:\n        $",
    "def f():\n    import mylog as logging\n    $",
    "def f(obj):\n    match obj:\n        case Other() as logging:\n            $",
    "logging = Other()\n$",
])
def test_logging_bound_to_something_else_proves_no_logger(binding):
    call = 'logging.getLogger("x").warn("w %s" % 1)'
    source = "import logging\n\n" + binding.replace("$", call) + "\n"
    assert check(source, ["LC301", "LC202", "LC101", "LC102", "LC103"], dedent=False) == []


@pytest.mark.parametrize("binding", ["def f(logging):\n    $", "def f():\n    logging = Other()\n    $"])
@pytest.mark.parametrize("call,code", [("logging.getLogger(__file__)", "LC102"), ("logging.Logger('x')", "LC103"),
                                       ("logging.info('x')", "LC101"), ("logging.warn('x')", "LC301")])
def test_rules_on_logging_names_resolve_at_the_call(binding, call, code):
    source = "import logging\n\n" + binding.replace("$", call) + "\n"
    assert check(source, [code], dedent=False) == []
    at_module = f"import logging\n\n\ndef f():\n    {call}\n"
    assert [d.code for d in check(at_module, [code], dedent=False)] == [code]


WRAPS = "def traced(fn):\n    @functools.wraps(fn)\n    def wrapper(*args, **kwargs):\n        return fn(*args, **kwargs)\n    return wrapper\n\n\n"


@pytest.mark.parametrize("decorators,expected", [
    ("@functools.lru_cache(maxsize=None)\n", "safe"),
    ("@functools.lru_cache\n", "safe"),
    ("@functools.cache\n", "safe"),
    ("@lru_cache(8)\n", "safe"),
    (WRAPS + "@traced\n", "safe"),
    (WRAPS + "@traced\n@functools.cache\n", "safe"),
    # the decorator may return anything in place of the function
    ("def deco(fn):\n    def wrapper(*a):\n        return Other()\n    return wrapper\n\n\n@deco\n", "unsafe"),
    ("def deco(fn):\n    @functools.wraps(fn)\n    def wrapper(*a):\n        return fn(*a) or Other()\n"
     "    return wrapper\n\n\n@deco\n", "unsafe"),
    ("def deco(fn):\n    @functools.wraps(fn)\n    def wrapper(*a):\n        yield fn(*a)\n    return wrapper\n\n\n@deco\n",
     "unsafe"),
    ("def deco(fn):\n    @functools.wraps(fn)\n    def wrapper(*a):\n        fn = Other\n        return fn(*a)\n"
     "    return wrapper\n\n\n@deco\n", "unsafe"),
    ("def deco(fn):\n    return Other\n\n\n@deco\n", "unsafe"),
    ("from elsewhere import deco\n\n\n@deco\n", "unsafe"),
    ("@functools.partial(print)\n", "unsafe"),
    # `functools.wraps` imported where the decorator is written
    ("def deco(fn):\n    from functools import wraps\n\n    @wraps(fn)\n    def wrapper(*a):\n        return fn(*a)\n"
     "    return wrapper\n\n\n@deco\n", "safe"),
    # a decorator without the function's parameter, or a coroutine function: not a wrapper
    ("def deco(*fns):\n    @functools.wraps(fns[0])\n    def wrapper(*a):\n        return fns[0](*a)\n"
     "    return wrapper\n\n\n@deco\n", "unsafe"),
    ("async def deco(fn):\n    @functools.wraps(fn)\n    def wrapper(*a):\n        return fn(*a)\n"
     "    return wrapper\n\n\n@deco\n", "unsafe"),
    # the wrapper is a coroutine function, or a generator however deep its `yield`
    ("def deco(fn):\n    @functools.wraps(fn)\n    async def wrapper(*a):\n        return fn(*a)\n"
     "    return wrapper\n\n\n@deco\n", "unsafe"),
    ("def deco(fn):\n    @functools.wraps(fn)\n    def wrapper(*a):\n        if a:\n            yield\n"
     "        return fn(*a)\n    return wrapper\n\n\n@deco\n", "unsafe"),
    ("def deco(fn):\n    @functools.wraps(fn)\n    def wrapper(*a):\n        if a:\n            yield\n"
     "        def helper():\n            pass\n        return fn(*a)\n    return wrapper\n\n\n@deco\n", "unsafe"),
    # a generator defined inside the wrapper does not make the wrapper one
    ("def deco(fn):\n    @functools.wraps(fn)\n    def wrapper(*a):\n        def each():\n            yield a\n"
     "        return fn(*a)\n    return wrapper\n\n\n@deco\n", "safe"),
    # the wrapper's decorators: exactly `functools.wraps(<the function>)`
    ("def deco(fn):\n    @other\n    def wrapper(*a):\n        return fn(*a)\n    return wrapper\n\n\n@deco\n",
     "unsafe"),
    ("def deco(fn):\n    @other(fn)\n    def wrapper(*a):\n        return fn(*a)\n    return wrapper\n\n\n@deco\n",
     "unsafe"),
    ("def deco(fn):\n    @functools.wraps(fn)\n    @other\n    def wrapper(*a):\n        return fn(*a)\n"
     "    return wrapper\n\n\n@deco\n", "unsafe"),
    ("def deco(fn):\n    @functools.wraps(other)\n    def wrapper(*a):\n        return fn(*a)\n"
     "    return wrapper\n\n\n@deco\n", "unsafe"),
    # a decorator defined twice, or an attribute of an object: not followed
    ("if X:\n" + textwrap.indent(WRAPS.rstrip("\n"), "    ") + "\nelse:\n" + textwrap.indent(WRAPS, "    ") + "\n\n@traced\n",
     "unsafe"),
    ("registry = make()\n\n\n@registry.cached\n", "unsafe"),
    # the decorator rebinds the function before wrapping it
    ("def deco(fn):\n    fn = Other\n    @functools.wraps(fn)\n    def wrapper(*a):\n        return fn(*a)\n"
     "    return wrapper\n\n\n@deco\n", "unsafe"),
])
def test_a_decorated_factory_is_trusted_only_when_the_decorator_keeps_its_return(decorators, expected):
    source = ("import functools\nimport logging\nfrom functools import lru_cache\n\n\n" + decorators
              + "def get():\n    return logging.getLogger('x')\n\n\nlog = get()\nlog.warn('w')\n")
    assert _fixes(source, ["LC301"]) == [("LC301", expected)]


def test_a_wraps_wrapper_of_another_project_module_keeps_the_return(tmp_path):
    root = project_files(tmp_path, {
        "util.py": "import functools\n\n\n" + WRAPS,
        "app.py": """\
            import logging
            from util import traced


            @traced
            def get():
                return logging.getLogger("x")


            get().warn("w")
            """,
    })
    result = check_project_file(root, "app.py", ["LC301"])
    assert [(d.code, d.fix.applicability) for d in result.diagnostics] == [("LC301", "safe")]
    assert str(root / "util.py") in result.dependencies


# ----------------------------------------------------------------- 4. loggers that format on their own
# families: adapter-process-override, project-logger-class

ADAPTERS = [
    ("    def process(self, msg, kwargs):\n        return '[100%%] ' + msg, kwargs\n", "unsafe"),
    ("    def process(self, msg, kwargs):\n        return msg, kwargs\n", "unsafe"),
    ("    def log(self, level, msg, *args, **kwargs):\n        super().log(level, msg.upper(), *args, **kwargs)\n",
     "unsafe"),
    ("    def __init__(self, logger):\n        super().__init__(logger, {})\n", "safe"),
    ("    pass\n", "safe"),
]


@pytest.mark.parametrize("body,expected", ADAPTERS)
@pytest.mark.parametrize("message", ['f"n={n}"', '"n=%s" % (n,)', '"n={}".format(n)', '"n=" + str(n)'])
def test_an_adapter_that_overrides_a_method_makes_message_fixes_unsafe(body, expected, message):
    source = ("import logging\n\n\nclass Ad(logging.LoggerAdapter):\n" + body
              + f"\n\nlog = Ad(logging.getLogger('x'))\nn = 3\nlog.warning({message})\n")
    [(code, applicability)] = _fixes(source, ["LC201", "LC202", "LC203", "LC204"])
    assert applicability == expected


def test_an_override_in_a_base_class_of_the_file_counts():
    source = ("import logging\n\n\nclass Base(logging.LoggerAdapter):\n    def process(self, msg, kw):\n"
              "        return msg, kw\n\n\nclass Ad(Base):\n    pass\n\n\nlog = Ad(logging.getLogger('x'), {})\n"
              "n = 3\nlog.warning(f'n={n}')\nlog.warn('x')\n")
    assert _fixes(source, ["LC201", "LC301"]) == [("LC201", "unsafe"), ("LC301", "safe")]


@pytest.mark.parametrize("bases", ["Base, Plain", "Plain, Base"])
def test_an_override_in_any_base_counts_whatever_the_order(bases):
    source = ("import logging\n\n\nclass Base(logging.LoggerAdapter):\n    def process(self, msg, kw):\n"
              "        return msg, kw\n\n\nclass Plain(logging.LoggerAdapter):\n    pass\n\n\n"
              f"class Ad({bases}):\n    pass\n\n\nlog = Ad(logging.getLogger('x'), {{}})\nn = 3\nlog.warning(f'n={{n}}')\n")
    assert _fixes(source, ["LC201"]) == [("LC201", "unsafe")]


@pytest.mark.parametrize("setup,message_fix,root_fix", [
    ("class Brace(logging.Logger):\n    def makeRecord(self, *a, **k):\n        return super().makeRecord(*a, **k)\n\n\n"
     "logging.setLoggerClass(Brace)\n", "unsafe", "unsafe"),
    ("logging.setLogRecordFactory(lambda *a, **k: logging.LogRecord(*a, **k))\n", "unsafe", "safe"),
    ("from logging import setLogRecordFactory\nsetLogRecordFactory(logging.LogRecord)\n", "unsafe", "safe"),
    ("logging.setLoggerClass(logging.Logger)\n", "safe", "safe"),
    ("", "safe", "safe"),
])
def test_a_logger_class_or_record_factory_set_anywhere_in_the_project(tmp_path, setup, message_fix, root_fix):
    root = project_files(tmp_path, {
        "setup_logging.py": "import logging\n\n" + setup,
        "app.py": """\
            import logging

            log = logging.getLogger(__name__)


            def work(n):
                log.info(f"n={n}")
                logging.info("root")
            """,
    })
    result = check_project_file(root, "app.py", ["LC201", "LC101"])
    assert [(d.code, d.fix.applicability) for d in result.diagnostics] == [("LC201", message_fix),
                                                                           ("LC101", root_fix)]
    if message_fix == "unsafe":  # a change to that file must check this one again
        assert str(root / "setup_logging.py") in result.dependencies


# ----------------------------------------------------------------- 5. the inserted or reused module logger
# families: star-imported-module, module-getattr, import-time-hooks, import-cycle-callback

ROOT_CALL_MODULE = "import logging\n\n\ndef work():\n    logging.info('x')\n"


@pytest.mark.parametrize("importer,module_all,expected", [
    ("from app import *\n", "", "_logger"),
    ("from .app import *\n", "", "_logger"),
    ("from app import *\n", "__all__ = ['work']\n", "logger"),
    ("from app import work\n", "", "logger"),
    ("import app\n", "", "logger"),
])
def test_a_logger_inserted_in_a_star_imported_module_is_private(tmp_path, importer, module_all, expected):
    files = {"app.py": ROOT_CALL_MODULE + module_all, "main.py": "logger = 'mine'\n" + importer}
    if importer.startswith("from ."):
        files = {"pkg/__init__.py": "", "pkg/app.py": files["app.py"], "pkg/main.py": files["main.py"]}
    root = project_files(tmp_path, files)
    rel = "pkg/app.py" if "pkg/app.py" in files else "app.py"
    fixed = fix_project_file(root, rel, ["LC101"])
    assert f"\n{expected} = logging.getLogger(__name__)\n" in fixed and f"    {expected}.info('x')" in fixed


@pytest.mark.parametrize("getattr_def", [
    "def __getattr__(name):\n    return 1\n",
    "__getattr__ = lambda name: 1\n",
])
def test_no_logger_is_inserted_over_a_module_getattr(getattr_def):
    source = ROOT_CALL_MODULE + "\n\n" + getattr_def
    assert _fixes(source, ["LC101"]) == [("LC101", None)]


#: class statements that run the module's `note()` while the class is made, before the
#: `logger` bound below them: the call must not reuse that logger
IMPORT_TIME_CLASSES = [
    "class Color(enum.Enum):\n    RED = 1\n\n    def __init__(self, value):\n        note(value)\n",
    "class Color(enum.Enum):\n    RED = 1\n\n    def __new__(cls, value):\n        note(value)\n"
    "        obj = object.__new__(cls)\n        obj._value_ = value\n        return obj\n",
    "class Color(enum.Enum):\n    def _generate_next_value_(name, start, count, last):\n        note(name)\n"
    "        return count\n\n    RED = enum.auto()\n",
    "class Base:\n    def __init_subclass__(cls):\n        note(cls)\n\n\nclass Sub(Base):\n    pass\n",
    "class Field:\n    def __set_name__(self, owner, name):\n        note(name)\n\n\nclass Model:\n    x = Field()\n",
    "class Model:\n    def helper():\n        note('h')\n\n    x = helper()\n",
    "class Model:\n    x = note('body')\n",
]


@pytest.mark.parametrize("cls", IMPORT_TIME_CLASSES)
def test_a_logger_bound_after_import_time_class_code_is_not_reused(cls):
    source = ("import enum\nimport logging\n\n\ndef note(v):\n    logging.info('note %s', v)\n\n\n" + cls
              + "\n\nlogger = logging.getLogger(__name__)\n")
    fixed = fix(source, ["LC101"], dedent=False)
    assert "    _logger.info('note %s', v)" in fixed
    assert fixed.index("_logger = logging.getLogger(__name__)") < fixed.index("def note")


@pytest.mark.parametrize("helper,reused", [
    ("import app\n\napp.work()\n", False),
    ("import middle\n", False),  # through another module
    ("import plain\n", True),
])
def test_an_import_that_calls_back_ends_the_quiet_prefix(tmp_path, helper, reused):
    """`work()` may run while `import helper` runs, before the `logger` bound below it."""
    root = project_files(tmp_path, {
        "app.py": "import logging\n\n\ndef work():\n    logging.info('x')\n\n\nimport helper\n\n"
                  "logger = logging.getLogger(__name__)\n",
        "helper.py": helper, "middle.py": "import app\n\napp.work()\n", "plain.py": "VALUE = 1\n",
    })
    fixed = fix_project_file(root, "app.py", ["LC101"])
    assert ("    logger.info('x')" in fixed) == reused and ("    _logger.info('x')" in fixed) != reused


# ----------------------------------------------------------------- 6. LC305 in `finally`
# family: exc-info-in-finally

@pytest.mark.parametrize("body,expected", [
    # a `finally:` inside the handler: another exception may be propagating there
    ("    try:\n        risky()\n    finally:\n        log.error('x', exc_info=e)\n", []),
    ("    try:\n        risky()\n    except KeyError:\n        pass\n    finally:\n        log.error('x', exc_info=e)\n", []),
    ("    try:\n        pass\n    finally:\n        if e:\n            log.error('x', exc_info=e)\n", []),
    # the handler's own exception is the current one again
    ("    try:\n        pass\n    finally:\n        try:\n            risky()\n        except OSError as inner:\n"
     "            log.error('x', exc_info=inner)\n", [("LC305", "safe")]),
    ("    log.error('x', exc_info=e)\n", [("LC305", "safe")]),
    # `exc_info=True` and `sys.exc_info()` are read at the call, as `exception()` reads it
    ("    try:\n        pass\n    finally:\n        log.error('x', exc_info=True)\n", [("LC305", "safe")]),
    ("    try:\n        pass\n    finally:\n        log.error('x', exc_info=sys.exc_info())\n", [("LC305", "safe")]),
])
def test_lc305_with_the_handlers_exception_only_where_no_other_can_be_in_flight(body, expected):
    source = ("import logging\nimport sys\n\nlog = logging.getLogger(__name__)\n\ntry:\n    risky()\n"
              "except ValueError as e:\n" + body)
    assert _fixes(source, ["LC305"]) == expected


def test_a_finally_outside_the_function_does_not_count():
    source = ("import logging\n\nlog = logging.getLogger(__name__)\n\ntry:\n    pass\nfinally:\n"
              "    def f():\n        try:\n            risky()\n        except ValueError as e:\n"
              "            log.error('x', exc_info=e)\n")
    assert _fixes(source, ["LC305"]) == [("LC305", "safe")]


# ----------------------------------------------------------------- 7. LC201 `{expr=}`
# family: fstring-debug-multiline

@pytest.mark.parametrize("field", ["{len(\n    a)=}", "{a[\n0]=}", "{(a,\n   1)=}", "{a\n=}"])
@pytest.mark.parametrize("indent", ["", "    ", "        "])
def test_lc201_never_rewrites_a_debug_field_over_lines(field, indent):
    call = f'log.info(f"{field}")'
    body = textwrap.indent(call, indent)
    if indent:
        body = "".join(f"{'    ' * i}if True:\n" for i in range(len(indent) // 4)) + body
    source = "import logging\n\nlog = logging.getLogger(__name__)\na = [1]\n" + body + "\n"
    assert _fixes(source, ["LC201"]) == [("LC201", None)]


@pytest.mark.parametrize("field,expected", [("{a=}", '"a=%r", a'), ("{ a = }", '" a = %r", a'),
                                            ("{len(a)=}", '"len(a)=%r", len(a)')])
def test_lc201_keeps_a_one_line_debug_field_as_written(field, expected):
    source = f'import logging\n\nlog = logging.getLogger(__name__)\na = [1]\nif a:\n    log.info(f"{field}")\n'
    assert fix(source, ["LC201"], dedent=False).endswith(f"    log.info({expected})\n")


# ----------------------------------------------------------------- 8. unsafe fixes that say what they change
# families: print-under-redirect (no fix), and the pages: rules/LC103.md, LC201-LC204.md

@pytest.mark.parametrize("redirect", [
    "import contextlib\n\n\ndef f(buf):\n    with contextlib.redirect_stdout(buf):\n        $",
    "from contextlib import redirect_stderr\n\n\ndef f(buf):\n    with redirect_stderr(buf):\n        $",
    "import contextlib as cl\n\n\ndef f(buf):\n    with cl.redirect_stdout(buf), open('x'):\n        $",
    # the print is in a function the redirected block calls
    "import contextlib\n\n\ndef helper():\n    $\n\n\ndef f(buf):\n    with contextlib.redirect_stdout(buf):\n        helper()",
])
def test_lc401_has_no_fix_where_the_output_may_be_captured(redirect):
    source = redirect.replace("$", "print('hello')") + "\n"
    assert _fixes(source, ["LC401"]) == [("LC401", None)]
    plain = "import io\n\n\ndef f(buf):\n    print('hello')\n"
    assert _fixes(plain, ["LC401"]) == [("LC401", "unsafe")]


def test_lc103_stays_unsafe():
    assert _fixes("import logging\nlog = logging.Logger('x')\n", ["LC103"]) == [("LC103", "unsafe")]
