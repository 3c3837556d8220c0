"""LC401 print-call, LC402 pprint-call, LC403 std-stream-write."""

from __future__ import annotations

import textwrap

import pytest

from helpers import check, codes, fix

HEADER = "import logging\n\nlogger = logging.getLogger(__name__)\n\n\ndef run(items, n):\n"


def _fn(body: str) -> str:
    return HEADER + textwrap.indent(textwrap.dedent(body), "    ")


@pytest.mark.parametrize("before,after", [
    ('print("hello")', 'logger.info("hello")'),
    ('print("done", n)', 'logger.info("done %s", n)'),
    ('print("100%", n)', 'logger.info("100%% %s", n)'),
    ('print("100%")', 'logger.info("100%")'),
    ('print(n, items, sep=", ")', 'logger.info("%s, %s", n, items)'),
    ('print(n, items, sep="%")', 'logger.info("%s%%%s", n, items)'),
    ('print("a", "b", sep="")', 'logger.info("ab")'),
    ('print(n, sep=None, end=None)', 'logger.info("%s", n)'),
    ('print(n, end="", flush=True)', 'logger.info("%s", n)'),
    ('print("it\'s", n)', 'logger.info("it\'s %s", n)'),
    ('print(\'say "hi"\', n)', 'logger.info(\'say "hi" %s\', n)'),
    ('print("tab\\there")', 'logger.info("tab\\there")'),
    ('print(f"got {n}")', 'logger.info(f"got {n}")'),
    ('print("got %s" % n)', 'logger.info("got %s" % n)'),
    ('print("got {}".format(n))', 'logger.info("got {}".format(n))'),
    ('print("got " + items)', 'logger.info("got " + items)'),
    ('print(n % items)', 'logger.info("%s", n % items)'),
    ('print("x", file=sys.stderr)', 'logger.warning("x")'),
    ('print("Error: cannot open", n, file=sys.stderr)', 'logger.error("Error: cannot open %s", n)'),
    ('print(f"upload failed: {n}", file=sys.stderr)', 'logger.error(f"upload failed: {n}")'),
    ('print("x", file=sys.stdout)', 'logger.info("x")'),
    ('print("x", file=None)', 'logger.info("x")'),
    ('print(b"raw", n)', 'logger.info("%s %s", b"raw", n)'),
    ('print(\n    "multi",\n    n,\n)', 'logger.info("multi %s", n)'),
])
def test_lc401_fix(before, after):
    source = "import sys\n" + _fn(before + "\n")
    assert codes(source, ["LC401"]) == ["LC401"]
    assert fix(source, ["LC401"]) == source  # unsafe only
    assert fix(source, ["LC401"], unsafe=True) == "import sys\n" + _fn(after + "\n")


@pytest.mark.parametrize("call", [
    "print()", "print(*items)", "print(n, sep=SEP)", "print(n, end=END)", "print(n, flush=flag)",
    "print(n,  # why\n      items)",
])
def test_lc401_no_fix(call):
    source = "import sys\n" + _fn(call + "\n")
    found = check(source, ["LC401"])
    assert [d.code for d in found] == ["LC401"]
    assert found[0].fix is None


def test_lc401_then_message_rules_make_it_lazy():
    source = _fn('print("got %s" % n)\nprint(f"got {n:d} items")\n')
    assert fix(source, unsafe=True) == _fn('logger.info("got %s", n)\nlogger.info("got %d items", n)\n')


def test_lc401_inserts_module_logger():
    source = '"""Doc."""\nimport os\n\n\ndef run():\n    print("x", os.sep)\n'
    assert fix(source, ["LC401"], unsafe=True) == (
        '"""Doc."""\nimport os\nimport logging\n\nlogger = logging.getLogger(__name__)\n\n\n'
        'def run():\n    logger.info("x %s", os.sep)\n')


def test_lc401_module_level_call_before_logger_inserts_its_own():
    # the existing `logger` is bound after the print runs: a free name is inserted first
    source = 'print("early")\nimport logging\nlogger = logging.getLogger(__name__)\n'
    assert fix(source, ["LC401"], unsafe=True) == (
        'import logging\n\n_logger = logging.getLogger(__name__)\n\n_logger.info("early")\n'
        'import logging\nlogger = logging.getLogger(__name__)\n')


@pytest.mark.parametrize("source", [
    'if __name__ == "__main__":\n    print("main")\n',
    'def print(*a):\n    pass\nprint("x")\n',
    'from rich import print\nprint("x")\n',
    'def f(print):\n    print("x")\n',
    'print("x", file=fh)\n',
    'with open("f", "w") as fh:\n    print("x", file=fh)\n',
    'obj.print("x")\n',
])
def test_lc401_exempt(source):
    assert codes(source, ["LC401"]) == []


@pytest.mark.parametrize("path,flagged", [
    ("pkg/mod.py", True), ("example.py", True), ("pkg/__main__.py", False), ("pkg/cli.py", False),
    ("scripts/tool.py", False), ("tests/test_x.py", False), ("test_x.py", False), ("pkg/x_test.py", False),
    ("conftest.py", False), ("setup.py", False), ("noxfile.py", False), ("bin/run.py", False),
])
def test_lc401_allow_print_defaults(path, flagged):
    assert codes('print("x")\n', ["LC401"], path=path) == (["LC401"] if flagged else [])


def test_lc401_allow_print_setting():
    assert codes('print("x")\n', ["LC401"], path="tools/gen.py", settings={"allow-print": ["tools/**"]}) == []
    assert codes('print("x")\n', ["LC401"], path="pkg/cli.py", settings={"allow-print": []}) == ["LC401"]


# --------------------------------------------------------------------------- LC402


def test_lc402_fixes():
    source = "import pprint\nfrom pprint import pp\n" + _fn("pprint.pprint(items)\npp(items, width=20)\n")
    assert codes(source, ["LC402"]) == ["LC402", "LC402"]
    assert fix(source, ["LC402"]) == source
    assert fix(source, ["LC402"], unsafe=True) == "import pprint\nfrom pprint import pp\n" + _fn(
        'logger.debug("%s", pprint.pformat(items))\n'
        'logger.debug("%s", pprint.pformat(items, width=20, sort_dicts=False))\n')


def test_lc402_without_module_import_has_no_fix():
    source = "from pprint import pprint\n" + _fn("pprint(items)\n")
    found = check(source, ["LC402"])
    assert [d.code for d in found] == ["LC402"] and found[0].fix is None


@pytest.mark.parametrize("source", [
    "import pprint\npprint.pprint(x, stream=fh)\n",
    "from pprint import pprint\npprint(x, fh)\n",
    "import pprint\nif __name__ == '__main__':\n    pprint.pprint(x)\n",
    "import pprint\npprint.pformat(x)\n",
    "printer.pprint(x)\n",
])
def test_lc402_clean(source):
    assert codes(source, ["LC402"]) == []


def test_lc402_exempt_file():
    assert codes("import pprint\npprint.pprint(x)\n", ["LC402"], path="scripts/dump.py") == []


# --------------------------------------------------------------------------- LC403


def test_lc403_off_by_default_and_flags_when_selected():
    source = "import sys\nsys.stdout.write('x')\nsys.stderr.write('y')\n"
    assert "LC403" not in codes(source)
    assert codes(source, ["LC403"]) == ["LC403", "LC403"]
    assert codes(source, settings={"extend-select": ["LC403"]}).count("LC403") == 2


@pytest.mark.parametrize("source", [
    "import sys\nif __name__ == '__main__':\n    sys.stdout.write('x')\n",
    "fh.write('x')\n",
    "import sys\nsys.stdout.flush()\n",
])
def test_lc403_clean(source):
    assert codes(source, ["LC403"]) == []


def test_lc403_flags_writelines():
    source = "import sys\nsys.stdout.writelines(['a\\n'])\nsys.stderr.writelines(lines)\n"
    assert [(d.row, d.message) for d in check(source, ["LC403"])] == [
        (2, "Direct `sys.stdout.writelines()`; use a logger"),
        (3, "Direct `sys.stderr.writelines()`; use a logger"),
    ]


def test_lc403_alias():
    assert codes("from sys import stderr\nstderr.write('x')\n", ["LC403"]) == ["LC403"]
