"""Provenance across the project (issue 20 item 3, issue 25 class 3): attribute chains are
classified by every assignment to the attribute in the project; generic and aliased bases
count as their origin; a method that returns an adapter is a factory."""

from __future__ import annotations

from pathlib import Path
from typing import Dict

import pytest
from helpers import check, package_project

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
