"""Provenance across the project (issue 20 item 3, issue 25 class 3): attribute chains are
classified by every assignment to the attribute in the project; generic and aliased bases
count as their origin; a method that returns an adapter is a factory."""

from __future__ import annotations

from pathlib import Path
from typing import Dict

import pytest
from helpers import check, check_project_file, package_project

from logcheck.semantics.project import MAX_MODULES

LOGGING = "import logging\n"
FOREIGN_CLASS = "class MyLogger:\n    def warn(self, msg):\n        print(msg)\n"


def _project(root: Path, files: Dict[str, str]) -> Path:
    return package_project(root, "app", files)


def _found(root: Path, name: str, codes):
    path = root / "app" / name
    return [(d.code, d.row, d.fix is not None and d.fix.applicability == "safe")
            for d in check(path.read_text(), codes, path=str(path), dedent=False)]


USE = """
    import logging
    class Runner:
        def __init__(self, options):
            self.options = options
        def go(self, x):
            self.options.logger.info(f"x {x}")
    """


@pytest.mark.parametrize("assignments, expected", [
    # every assignment foreign: foreign, nothing reported
    ({"opts.py": "from app.log import MyLogger\nclass Options:\n    def __init__(self):\n"
                 "        self.logger = MyLogger()\n"}, []),
    ({"opts.py": "from app.log import MyLogger\nclass Options:\n    logger = MyLogger()\n"}, []),
    ({"opts.py": "from app.log import MyLogger\ndef make(o):\n    o.logger = MyLogger()\n"}, []),
    # every assignment a logger of one other family: that family's rule and fix (LC201 on loguru)
    ({"opts.py": "from loguru import logger as lg\ndef make(o):\n    o.logger = lg\n"}, [("LC201", 7, True)]),
    # every assignment stdlib: proven, a safe fix
    ({"opts.py": "import logging\ndef make(o):\n    o.logger = logging.getLogger('x')\n"}, [("LC201", 7, True)]),
    ({"opts.py": "import logging\nclass Options:\n    logger: logging.Logger = build()\n"}, [("LC201", 7, True)]),
    # mixed: unknown (reported, no safe fix)
    ({"opts.py": "import logging\nfrom app.log import MyLogger\ndef make(o, p):\n"
                 "    o.logger = logging.getLogger('x')\n    p.logger = MyLogger()\n"}, [("LC201", 7, False)]),
    # none, or one that cannot be followed: unknown
    ({}, [("LC201", 7, False)]),
    ({"opts.py": "def make(o, x):\n    o.logger = x\n"}, [("LC201", 7, False)]),
])
def test_attribute_chains_by_every_assignment_in_the_project(tmp_path, assignments, expected):
    root = _project(tmp_path, {"log.py": FOREIGN_CLASS, "run.py": USE, **assignments})
    assert _found(root, "run.py", ["LC201"]) == expected


@pytest.mark.parametrize("elsewhere, safe", [
    ("", True),                                                          # only the class: proven
    ("from app.base import Base\nfrom app.log import MyLogger\nclass Sub(Base):\n"
     "    def __init__(self):\n        self.log = MyLogger()\n", False),   # a subclass rebinds it
    ("from app.log import MyLogger\ndef patch(obj):\n    obj.log = MyLogger()\n", False),  # assigned on an instance
    ("import logging\ndef patch(obj):\n    obj.log = logging.getLogger('y')\n", True),     # stdlib again: still proven
])
def test_self_attribute_rebound_elsewhere_is_no_longer_proven(tmp_path, elsewhere, safe):
    base = "import logging\nclass Base:\n    def __init__(self):\n        self.log = logging.getLogger(__name__)\n" \
           "    def go(self, x):\n        self.log.info(f'x {x}')\n"
    files = {"log.py": FOREIGN_CLASS, "base.py": base}
    if elsewhere:
        files["other.py"] = elsewhere
    root = _project(tmp_path, files)
    assert _found(root, "base.py", ["LC201"]) == [("LC201", 6, safe)]


@pytest.mark.parametrize("definition", [
    "class ProjectAdapter(logging.LoggerAdapter[logging.Logger]):\n    pass\n",
    "from typing import Generic, TypeVar\nT = TypeVar('T')\n"
    "class ProjectAdapter(logging.LoggerAdapter[logging.Logger], Generic[T]):\n    pass\n",
    "Alias = logging.LoggerAdapter\nclass ProjectAdapter(Alias):\n    pass\n",
    "Alias = logging.LoggerAdapter[logging.Logger]\nclass ProjectAdapter(Alias):\n    pass\n",
    "from logging import LoggerAdapter\nclass ProjectAdapter(LoggerAdapter['logging.Logger']):\n    pass\n",
])
@pytest.mark.parametrize("use", [
    "log = ProjectAdapter(logging.getLogger(__name__), {})\nlog.info(f'{1}')\n",
    "class Svc:\n    def make(self):\n        return ProjectAdapter(logging.getLogger(__name__), {})\n"
    "    def run(self):\n        lg = self.make()\n        lg.info(f'{1}')\n",
    "class Svc:\n    def __init__(self):\n        self.events = self.make()\n"
    "    def make(self):\n        return ProjectAdapter(logging.getLogger(__name__), {})\n"
    "    def run(self):\n        self.events.info(f'{1}')\n",
    "def annotated(a: ProjectAdapter):\n    a.info(f'{1}')\n",
])
def test_generic_and_aliased_adapter_bases_and_factories(tmp_path, definition, use):
    root = _project(tmp_path, {"log.py": FOREIGN_CLASS, "a.py": LOGGING + definition + use})
    found = _found(root, "a.py", ["LC201"])
    assert [(code, safe) for code, _, safe in found] == [("LC201", True)]


# ----------------------------------------------------------------- names reached in another module
# what `from app.x import name` and calling it give, followed into app/x.py: each row a
# module `log.py` (and its helpers), the use in `main.py`, and LC301's findings there

WRAPS = ("import functools\n\n\ndef traced(fn):\n    @functools.wraps(fn)\n    def wrapper(*args, **kwargs):\n"
         "        return fn(*args, **kwargs)\n    return wrapper\n")
FACTORY = "def get():\n    return logging.getLogger('x')\n\n\nget().warn('w')\n"


@pytest.mark.parametrize("files, use, expected", [
    # an alias of `logging.getLogger` re-exported, imported or assigned
    ({"log.py": "from logging import getLogger as get\n"}, "from app.log import get\nget('x').warn('w')\n",
     [("LC301", 2, True)]),
    ({"log.py": "import logging\nget = logging.getLogger\n"}, "from app.log import get\nget('x').warn('w')\n",
     [("LC301", 2, True)]),
    # another family's factory re-exported: structlog's `warn` is its own alias
    ({"log.py": "from structlog import get_logger\n"}, "from app.log import get_logger\nget_logger().warn('w')\n", []),
    # a factory of a third module, followed through the re-export
    ({"log.py": "from app.make import make\n", "make.py": "import logging\ndef make():\n    return logging.getLogger('x')\n"},
     "from app.log import make\nmake().warn('w')\n", [("LC301", 2, True)]),
    # a name the module does not bind, binds twice, or only annotates: not followed
    ({"log.py": "import logging\n"}, "from app.log import nothing\nnothing().warn('w')\n", []),
    ({"log.py": "from logging import getLogger as get\nget = other\n"}, "from app.log import get\nget('x').warn('w')\n", []),
    ({"log.py": "from typing import Callable\nget: Callable\n"}, "from app.log import get\nget('x').warn('w')\n", []),
    # two functions of one module: each answered for itself, in either order
    ({"log.py": "import logging\ndef make_logger():\n    return logging.getLogger('x')\ndef make_other():\n    return Other()\n"},
     "from app.log import make_logger, make_other\nmake_logger().warn('w')\nmake_other().warn('w')\n", [("LC301", 2, True)]),
    ({"log.py": "import logging\ndef make_logger():\n    return logging.getLogger('x')\ndef make_other():\n    return Other()\n"},
     "from app.log import make_logger, make_other\nmake_other().warn('w')\nmake_logger().warn('w')\n", [("LC301", 3, True)]),
    # three names of one module (its parse is kept and reused)
    ({"log.py": "import logging\ndef a():\n    return logging.getLogger('a')\ndef b():\n    return logging.getLogger('b')\n"
                "def c():\n    return logging.getLogger('c')\n"},
     "from app.log import a, b, c\na().warn('w')\nb().warn('w')\nc().warn('w')\n",
     [("LC301", 2, True), ("LC301", 3, True), ("LC301", 4, True)]),
    # a module that imports one of its own functions under another name: two questions
    # about one module, one inside the other, are not a cycle
    ({"log.py": "import logging\n\n\ndef b():\n    return logging.getLogger('x')\n\n\nfrom app.log import b as a\n"},
     "from app.log import a\na().warn('w')\n", [("LC301", 2, True)]),
    # an import cycle cannot be followed: unknown (a call of a name the cycle binds: not a logger)
    ({"log.py": "from app.other import get\n", "other.py": "from app.log import get\n"},
     "from app.log import get\nget().warn('w')\n", []),
    ({"log.py": "from app.other import log\n", "other.py": "from app.log import log\n"},
     "from app.log import log\nlog.warn('w')\n", [("LC301", 2, False)]),
    # a return-keeping decorator of a module of the package, also imported inside a function
    ({"util.py": WRAPS}, "import logging\nfrom app.util import traced\n\n\n@traced\n" + FACTORY, [("LC301", 10, True)]),
    ({"util.py": WRAPS}, "import logging\nfrom app import util\n\n\n@util.traced\n" + FACTORY, [("LC301", 10, True)]),
    ({"util.py": WRAPS}, "import logging\n\n\ndef build():\n    from app.util import traced\n\n    @traced\n"
     "    def get():\n        return logging.getLogger('x')\n\n    get().warn('w')\n", [("LC301", 11, True)]),
    # a decorator the module does not define: the factory's return is not known
    ({"util.py": WRAPS}, "import logging\nfrom app.util import missing\n\n\n@missing\n" + FACTORY, []),
])
def test_names_reached_in_another_module(tmp_path, files, use, expected):
    root = _project(tmp_path, {**files, "main.py": use})
    assert _found(root, "main.py", ["LC301"]) == expected


@pytest.mark.parametrize("use", ["from app.log import log\nlog.warn('w')\n",
                                 "from app.log import make\nmake().warn('w')\n"])
def test_the_modules_a_proof_read_are_dependencies_of_the_file(tmp_path, use):
    # the cache must check main.py again when a module its proof read changes
    root = _project(tmp_path, {
        "log.py": "from app.make import make\nlog = make()\n",
        "make.py": "import logging\ndef make():\n    return logging.getLogger('x')\n",
        "main.py": use,
    })
    result = check_project_file(root, "app/main.py", ["LC301"])
    assert [(d.row, d.fix.applicability) for d in result.diagnostics] == [(2, "safe")]
    assert {Path(p).name for p in result.dependencies} == {"log.py", "make.py"}


def test_a_relative_import_in_the_packages_own_init_is_read_from_the_package(tmp_path):
    root = _project(tmp_path, {"log.py": "from logging import getLogger as get\n"})
    (root / "app" / "__init__.py").write_text("from .log import get\nget('x').warn('w')\n")
    assert _found(root, "__init__.py", ["LC301"]) == [("LC301", 2, True)]


def test_an_assignment_in_a_file_outside_the_packages_counts(tmp_path):
    # tools/ has no `__init__.py`: its file is read by path, not by module name
    root = _project(tmp_path, {"log.py": FOREIGN_CLASS, "use.py": USE})
    (root / "tools").mkdir()
    (root / "tools" / "extra.py").write_text("from app.log import MyLogger\ndef make(o):\n    o.logger = MyLogger()\n")
    (root / "app" / "opts.py").write_text("import logging\ndef make(o):\n    o.logger = logging.getLogger('x')\n")
    assert _found(root, "use.py", ["LC201"]) == [("LC201", 7, False)]


def test_a_project_with_more_modules_than_the_index_keeps(tmp_path):
    # the index keeps the most recent MAX_MODULES parses: older ones are dropped and read again
    count = MAX_MODULES + 2
    files = {f"m{i}.py": "import logging\nlog = logging.getLogger('x')\n" for i in range(count)}
    files["broken.py"] = "def (:\n"  # no text kept for it: dropping it must not fail
    imports = "".join(f"from app.m{i} import log as l{i}\n" for i in range(count))
    main = "from app.broken import log\nlog.warn('w')\n" + imports + "".join(f"l{i}.warn('w')\n" for i in range(count))
    root = _project(tmp_path, {**files, "main.py": main})
    found = _found(root, "main.py", ["LC301"])
    assert found == [("LC301", 2, False)] + [("LC301", count + 3 + i, True) for i in range(count)]


def test_declared_logger_factories_hold_in_every_module_the_proof_reads(tmp_path):
    root = _project(tmp_path, {"log.py": "from ext.logs import make_logger\nlog = make_logger()\n",
                               "main.py": "from app.log import log\nlog.warn('w')\n"})
    declared = check_project_file(root, "app/main.py", ["LC301"], {"logger-factories": ["ext.logs.make_logger"]})
    assert [(d.code, d.fix.applicability) for d in declared.diagnostics] == [("LC301", "safe")]
    undeclared = check_project_file(root, "app/main.py", ["LC301"])
    assert [(d.code, d.fix.applicability) for d in undeclared.diagnostics] == [("LC301", "unsafe")]


def test_self_attribute_of_a_base_class_defined_in_the_same_function(tmp_path):
    # Base, defined beside C inside build(), proves `self.log`; another file's class that
    # binds a `log` of its own cannot rebind C's (it does not name C)
    root = _project(tmp_path, {
        "other.py": "from app.log import MyLogger\nclass Other:\n    log = MyLogger()\n",
        "log.py": FOREIGN_CLASS,
        "use.py": "import logging\ndef build():\n    class Base:\n        log = logging.getLogger('x')\n"
                  "    class C(Base):\n        def f(self):\n            self.log.warn('x')\n    return C\n",
    })
    assert _found(root, "use.py", ["LC301"]) == [("LC301", 7, True)]
