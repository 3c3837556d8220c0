"""What a file and its code are for (logcheck/semantics/purpose.py), and the rules that depend on it:
LC401/LC402 where output is the point, LC307's reasons, LC504/LC507 in application code."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from helpers import check, codes, fix

from logcheck.semantics.purpose import module_names, read_project

# --------------------------------------------------------------------------- projects


def _tree(root: Path, files: dict) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def _entries(root: Path) -> dict:
    return {m: set(a) for m, a in read_project(root.resolve()).entry_points}


def test_pyproject_program_entry_points(tmp_path):
    _tree(tmp_path, {"pyproject.toml": """
        [project]
        name = "x"
        [project.scripts]
        x = "pkg.cli:main"
        [project.gui-scripts]
        xg = "pkg.gui:App.run"
        [project.entry-points.console_scripts]
        old = "pkg.old:run [extra]"
        [project.entry-points."pytest11"]
        plug = "pkg.plugin"
        [tool.poetry.scripts]
        po = "pkg.po:go"
    """})
    # a plugin group (pytest11) runs inside another program: not an entry point of this one
    assert _entries(tmp_path) == {"pkg.cli": {"main"}, "pkg.gui": {"App"}, "pkg.old": {"run"}, "pkg.po": {"go"}}


def test_setup_cfg_and_literal_setup_py_entry_points(tmp_path):
    _tree(tmp_path, {
        "setup.cfg": """
            [options.entry_points]
            console_scripts =
                tool = pkg.tool:main
            flake8.extension =
                X = pkg.plugin:Checker
        """,
        "setup.py": """
            from setuptools import setup
            setup(name="x", entry_points={"console_scripts": ["other = pkg.other:cli"]})
        """,
    })
    assert _entries(tmp_path) == {"pkg.tool": {"main"}, "pkg.other": {"cli"}}


@pytest.mark.parametrize("entry,files,expected", [
    # `python -m pkg` and the console script both run `main` from pkg/cli.py
    ("pkg.__main__:main", {"pkg/__main__.py": "from .cli import main\nmain()\n", "pkg/cli.py": ""},
     {"pkg.__main__": {"main"}, "pkg.cli": {"main"}}),
    # absolute, aliased, from a package's __init__, two steps, a src layout
    ("pkg:run", {"pkg/__init__.py": "from pkg.app.entry import start as run\n",
                 "pkg/app/__init__.py": "", "pkg/app/entry.py": "from ..core import start\n"},
     {"pkg": {"run"}, "pkg.app.entry": {"start"}, "pkg.core": {"start"}}),
    ("pkg.__main__:main", {"src/pkg/__main__.py": "from .commands import main\n", "src/pkg/commands.py": ""},
     {"pkg.__main__": {"main"}, "pkg.commands": {"main"}}),
    # defined where it is named, imported under another name, a star import, a module
    # that is not there: nothing more to follow
    ("pkg.cli:main", {"pkg/cli.py": "from .util import helper\n\ndef main(): helper()\n"},
     {"pkg.cli": {"main"}}),
    ("pkg.cli:main", {"pkg/cli.py": "from .util import *\n"}, {"pkg.cli": {"main"}}),
    ("pkg.gone:main", {}, {"pkg.gone": {"main"}}),
    # a relative import above the top package is no module
    ("pkg.cli:main", {"pkg/cli.py": "from ...outside import main\n"}, {"pkg.cli": {"main"}}),
])
def test_entry_points_follow_reexports(tmp_path, entry, files, expected):
    _tree(tmp_path, {"pyproject.toml": f'[project]\nname = "x"\n[project.scripts]\nx = "{entry}"\n', **files})
    assert _entries(tmp_path) == expected


def test_lc207_top_level_error_report_of_a_reexported_entry_point(tmp_path, monkeypatch):
    # dramatiq's shape: the console script names pkg.__main__:main, defined in pkg/cli.py
    _tree(tmp_path, {
        "pyproject.toml": '[project]\nname = "x"\n[project.scripts]\nx = "pkg.__main__:main"\n',
        "pkg/__init__.py": "", "pkg/__main__.py": "from .cli import main\n",
    })
    monkeypatch.chdir(tmp_path)
    source = textwrap.dedent("""\
        import logging
        logger = logging.getLogger(__name__)


        def main():
            try:
                setup()
            except RuntimeError as e:
                logger.critical(e)
                return 2


        def serve():
            try:
                setup()
            except RuntimeError as e:
                logger.error(e)
    """)
    found = check(source, ["LC207"], path=str(tmp_path / "pkg" / "cli.py"))
    assert [(d.code, d.row) for d in found] == [("LC207", 17)]


def test_unreadable_manifest_declares_nothing(tmp_path):
    _tree(tmp_path, {"pyproject.toml": "[project\n", "setup.py": "setup(entry_points=make())\n"})
    assert _entries(tmp_path) == {}


def test_module_names_src_layout_and_packages(tmp_path):
    _tree(tmp_path, {"src/pkg/__init__.py": "", "src/pkg/cli.py": "", "pyproject.toml": ""})
    names = module_names(tmp_path / "src" / "pkg" / "cli.py", tmp_path.resolve())
    assert "pkg.cli" in names and "src.pkg.cli" in names


# --------------------------------------------------------------------------- LC401 exemptions

LIB = "import logging\n\nlogger = logging.getLogger(__name__)\n\n\n"


@pytest.mark.parametrize("source", [
    # code reachable only from the __main__ guard, transitively
    LIB + 'def helper():\n    print("x")\n\n\ndef main():\n    helper()\n\n\nif __name__ == "__main__":\n    main()\n',
    # a guard written as a term of `and`
    LIB + 'def run():\n    print("x")\n\n\nif sys.platform != "win32" and __name__ == "__main__":\n    run()\n',
    # a module that parses a command line and has a guard is a program as a whole
    "import argparse\n\n\ndef report(rows):\n    print(rows)\n\n\nif __name__ == '__main__':\n    argparse.ArgumentParser().parse_args()\n",
    "import sys\n\n\ndef report(rows):\n    print(rows)\n\n\nif __name__ == '__main__':\n    report(sys.argv)\n",
    # commands a CLI framework registers
    "import click\n\n\n@click.command()\ndef deploy():\n    print('deployed')\n",
    "import typer\napp = typer.Typer()\n\n\n@app.command('rm')\ndef remove(name):\n    print(f'{name} deleted')\n",
    "def delete(args):\n    print('deleted')\n\n\ndef build(sub):\n    sub.add_parser('delete').set_defaults(func=delete)\n",
    # output functions, by name, docstring, or because they ask the user
    "def print_table(rows):\n    print(rows)\n",
    "def _handle_print(self, node):\n    print(node)\n",
    "class ConsolePrinter:\n    def update(self, n):\n        print(n)\n",
    "def showDiff(a, b):\n    print(a, b)\n",
    'def reveal(obj):\n    """Print the runtime type of obj."""\n    print(type(obj))\n',
    "def ask(message):\n    print(message)\n    return input('> ')\n",
    # a serialised document on stdout is a protocol
    "import json\n\n\ndef emit(result):\n    print(json.dumps(result))\n",
    "def emit(model):\n    print(model.model_dump_json())\n",
])
def test_lc401_output_is_the_point(source):
    assert codes(source, ["LC401"], path="pkg/mod.py") == []


@pytest.mark.parametrize("path", [
    "pkg/test/helpers.py", "pkg/testing/tools.py", "examples/demo.py", "docs/conf.py", "tools/gen.py",
    "pkg/cmd/list_env.py", "pkg/commands/sync.py", "pkg/cli/main.py", "bin/run.py",
    "app/migrations/0001_initial.py",
])
def test_lc401_exempt_folders(path):
    assert codes('def f():\n    print("x")\n', ["LC401"], path=path) == []


@pytest.mark.parametrize("source", [
    # a library function that the guard calls but library code calls too
    LIB + 'def helper():\n    print("x")\n\n\ndef api():\n    helper()\n\n\nif __name__ == "__main__":\n    helper()\n',
    # exported: other modules may call it
    LIB + '__all__ = ["helper"]\n\n\ndef helper():\n    print("x")\n\n\nif __name__ == "__main__":\n    helper()\n',
    # a guard alone does not make the module a program
    LIB + 'def sync(items):\n    print(len(items))\n\n\nif __name__ == "__main__":\n    pass\n',
    # service code: a method, a module-level statement, stderr
    "class Worker:\n    def handle(self, job):\n        print('handling', job)\n",
    "print('loaded plugin')\n",
    "import sys\n\n\ndef resolve(host):\n    print(f'Error resolving {host}', file=sys.stderr)\n",
    # a name with an output word inside another word is not an output function
    "def fingerprint(data):\n    print(data)\n",
    # printing a value that is not a serialised document
    "import json\n\n\ndef load(text):\n    print(json.loads(text))\n",
])
def test_lc401_print_left_in_library_code_is_reported(source):
    assert codes(source, ["LC401"], path="pkg/mod.py") == ["LC401"]


@pytest.mark.parametrize("source", [
    # on the print's line, inside a call over several lines, on the line above, on the
    # header of the block the print opens
    "def f(x):\n    print(x)  # shown to the user\n",
    "def f(x):\n    print(\n        x,  # stdout is read by the calling script\n    )\n",
    "def f(x):\n    # print, not logging: the CLI's table\n    print(x)\n",
    "def f(x):\n    if x:  # terminal only\n        print(x)\n",
    "def f(x):\n    # logging is not configured this early\n    print(x, file=sys.stderr)\n",
    # a tool directive beside the reason does not hide it
    "def f(x):\n    print(x)  # pragma: no cover  # interactive output\n",
])
def test_lc401_a_comment_that_says_why_it_prints_is_a_reason(source):
    assert codes(source, ["LC401"], path="pkg/mod.py") == []


@pytest.mark.parametrize("source", [
    # a comment that says something else, tool directives alone, a comment further up
    "def f(x):\n    print(x)  # TODO remove\n",
    "def f(x):\n    print(x)  # pragma: no cover\n",
    "def f(x):\n    print(x)  # type: ignore[misc]\n",
    "def f(x):\n    print(x)  # pylint: disable=print-statement\n",
    "def f(x):\n    # shown to the user\n\n    print(x)\n",
    "def f(x):\n    # shown to the user\n    y = x\n    print(y)\n",
    "def f(x):\n    print(x)\n    # printed above\n",
])
def test_lc401_comments_that_give_no_reason(source):
    assert codes(source, ["LC401"], path="pkg/mod.py") == ["LC401"]


def test_lc401_entry_point_function_and_its_helpers_are_exempt(tmp_path, monkeypatch):
    _tree(tmp_path, {
        "pyproject.toml": '[project]\nname = "x"\n[project.scripts]\nx = "pkg.tool:run"\n',
        "pkg/__init__.py": "",
    })
    monkeypatch.chdir(tmp_path)
    source = ("def _progress(n):\n    print('done', n)\n\n\ndef run():\n    _progress(1)\n\n\n"
              "def api(n):\n    print('api', n)\n")
    found = check(source, ["LC401"], path=str(tmp_path / "pkg" / "tool.py"))
    assert [(d.code, d.row) for d in found] == [("LC401", 10)]


def test_lc401_alembic_versions_and_env(tmp_path, monkeypatch):
    _tree(tmp_path, {"alembic/env.py": "", "alembic/versions/__init__.py": ""})
    monkeypatch.chdir(tmp_path)
    source = "def upgrade():\n    print('ALTER TABLE x')\n"
    assert codes(source, ["LC401"], path=str(tmp_path / "alembic" / "versions" / "0001_init.py")) == []
    assert codes(source, ["LC401"], path=str(tmp_path / "alembic" / "env.py")) == []
    # a `versions` folder of anything else is library code
    (tmp_path / "pkg" / "versions").mkdir(parents=True)
    assert codes(source, ["LC401"], path=str(tmp_path / "pkg" / "versions" / "v1.py")) == ["LC401"]


def test_lc401_extend_allow_print_adds_and_allow_print_replaces():
    source = 'def f():\n    print("x")\n'
    assert codes(source, ["LC401"], path="pkg/ui/view.py", settings={"extend-allow-print": ["pkg/ui/**"]}) == []
    # extending keeps the defaults
    assert codes(source, ["LC401"], path="tests/test_x.py", settings={"extend-allow-print": ["pkg/ui/**"]}) == []
    assert codes(source, ["LC401"], path="tests/test_x.py", settings={"allow-print": ["pkg/ui/**"]}) == ["LC401"]


# --------------------------------------------------------------------------- LC401/LC402 streams


@pytest.mark.parametrize("call,expected", [
    ('print("x", file=None)', ["LC401"]),
    ('print("x", file=sys.stdout)', ["LC401"]),
    ('print("x", file=sys.stderr)', ["LC401"]),
    ('print("x", file=fh)', []),
    ("pprint.pprint(x, stream=sys.stdout)", ["LC402"]),
    ("pprint.pprint(x, sys.stdout)", ["LC402"]),
    ("pprint.pprint(x, sys.stderr)", ["LC402"]),
    ("pprint.pprint(x, None)", ["LC402"]),
    ("pprint.pprint(x, fh)", []),
    ("pprint.pprint(x, stream=fh)", []),
])
def test_console_streams_spelled_explicitly(call, expected):
    source = f"import pprint\nimport sys\n\n\ndef f(x, fh):\n    {call}\n"
    assert codes(source, ["LC401", "LC402"], path="pkg/mod.py") == expected


def test_lc402_explicit_stream_has_no_fix():
    source = "import pprint\nimport sys\n" + LIB + "def f(x):\n    pprint.pprint(x, sys.stdout)\n"
    found = check(source, ["LC402"], path="pkg/mod.py")
    assert [d.code for d in found] == ["LC402"] and found[0].fix is None


# --------------------------------------------------------------------------- LC401 fix


def test_lc401_no_fix_in_a_program_that_configures_no_logging():
    # run as a program (a guard), nothing configures logging: logger.info would go nowhere
    source = LIB + 'def sync(items):\n    print(len(items))\n\n\ndef api(items):\n    sync(items)\n\n\n' \
                   'if __name__ == "__main__":\n    sync([])\n'
    found = check(source, ["LC401"], path="pkg/mod.py")
    assert [d.code for d in found] == ["LC401"] and found[0].fix is None


def test_lc401_fix_in_a_program_that_configures_logging():
    source = LIB + 'def sync(items):\n    print(len(items))\n\n\ndef api(items):\n    sync(items)\n\n\n' \
                   'if __name__ == "__main__":\n    logging.basicConfig(level=logging.INFO)\n    sync([])\n'
    assert 'logger.info("%s", len(items))' in fix(source, ["LC401"], unsafe=True, path="pkg/mod.py")


@pytest.mark.parametrize("text,method", [
    ('"Warning: disk almost full"', "warning"),
    ('"retrying in 5s"', "warning"),
    ('"ERROR: bad input"', "error"),
    ('"could not connect: unable to resolve"', "error"),
    ('f"Traceback follows for {n}"', "error"),
    ('"Upload failed"', "error"),
])
def test_lc401_stderr_level_fits_the_text(text, method):
    source = "import sys\n" + LIB + f"def f(n):\n    print({text}, file=sys.stderr)\n"
    fixed = fix(source, ["LC401"], unsafe=True, path="pkg/mod.py")
    assert f"logger.{method}({text})" in fixed


# --------------------------------------------------------------------------- LC307

SWALLOW = "def f():\n    try:\n        run()\n    except Exception:\n        pass\n"


def test_lc307_is_off_by_default():
    assert "LC307" not in codes(SWALLOW, path="pkg/mod.py")


def test_lc307_reports_a_swallow_without_a_reason():
    assert codes(SWALLOW, ["LC307"], path="pkg/mod.py") == ["LC307"]
    assert codes("for x in y:\n    try:\n        run(x)\n    except:\n        continue\n", ["LC307"],
                 path="pkg/mod.py") == ["LC307"]


@pytest.mark.parametrize("source", [
    # a comment in the handler, on the except line, or just above it
    "try:\n    run()\nexcept Exception:\n    # not required to operate\n    pass\n",
    "try:\n    run()\nexcept Exception:  # best effort\n    pass\n",
    "try:\n    run()\nexcept Exception:\n    pass  # silently ignore if not importable\n",
    "try:\n    run()\n# the plugin may be missing\nexcept Exception:\n    pass\n",
    # optional-import probes
    "try:\n    import yaml\nexcept Exception:\n    yaml = None\n",
    "try:\n    from lxml import etree\n    HAS_LXML = True\nexcept Exception:\n    HAS_LXML = False\n",
    # resource cleanup in the try, or teardown code around it
    "try:\n    conn.close()\nexcept Exception:\n    pass\n",
    "try:\n    shutil.rmtree(tmp)\nexcept BaseException:\n    pass\n",
    "try:\n    work()\nfinally:\n    try:\n        flush()\n    except Exception:\n        pass\n",
    "class R:\n    def __exit__(self, *exc):\n        try:\n            self.flush()\n        except Exception:\n            pass\n",
    "class T:\n    def tearDown(self):\n        try:\n            self.db.drop()\n        except Exception:\n            pass\n",
    "def __del__(self):\n    try:\n        self.flush()\n    except:\n        pass\n",
])
def test_lc307_reasons(source):
    assert codes(source, ["LC307"], path="pkg/mod.py") == []
    # the strict variant accepts no reason
    assert codes(source, ["LC307"], path="pkg/mod.py", settings={"swallowed-exception": "strict"}) == ["LC307"]


def test_lc307_tests_are_exempt_unless_strict():
    for path in ("tests/test_x.py", "pkg/testing/util.py", "conftest.py", "x_test.py"):
        assert codes(SWALLOW, ["LC307"], path=path) == [], path
    assert codes(SWALLOW, ["LC307"], path="qa/check.py", settings={"extend-test-paths": ["qa/**"]}) == []
    assert codes(SWALLOW, ["LC307"], path="tests/test_x.py", settings={"test-paths": []}) == ["LC307"]
    assert codes(SWALLOW, ["LC307"], path="tests/test_x.py", settings={"swallowed-exception": "strict"}) == ["LC307"]


@pytest.mark.parametrize("comment", ["# pragma: no cover", "# type: ignore[misc]", "# nosec"])
def test_lc307_a_tool_directive_is_no_reason(comment):
    source = f"try:\n    run()\nexcept Exception:  {comment}\n    pass\n"
    assert codes(source, ["LC307"], path="pkg/mod.py") == ["LC307"]


def test_lc307_a_try_that_also_does_other_work_is_no_import_probe():
    # a try that imports and calls is not a probe
    source = "try:\n    import yaml\n    load()\nexcept Exception:\n    pass\n"
    assert codes(source, ["LC307"], path="pkg/mod.py") == ["LC307"]


# --------------------------------------------------------------------------- LC504 / LC507

LIBRARY = {"policy": {"preset": "library"}}


@pytest.mark.parametrize("source", [
    'import logging\nif __name__ == "__main__":\n    logging.basicConfig(level=logging.INFO)\n',
    'import logging\n\n\ndef main():\n    logging.basicConfig(level=logging.INFO)\n\n\nif __name__ == "__main__":\n    main()\n',
    'import logging\n\n\ndef _setup():\n    logging.basicConfig(level=logging.INFO)\n\n\ndef main():\n    _setup()\n\n\n'
    'if __name__ == "__main__":\n    main()\n',
    "import click\nimport logging\n\n\n@click.command()\ndef serve():\n    logging.basicConfig(level=logging.INFO)\n",
])
def test_lc504_lc507_application_code_is_judged_as_an_application(source):
    assert codes(source, ["LC504", "LC507"], path="pkg/mod.py", settings=LIBRARY) == []


@pytest.mark.parametrize("path", ["examples/demo.py", "scripts/run.py", "pkg/__main__.py", "tests/test_x.py",
                                  "docs/conf.py"])
def test_lc504_lc507_application_paths(path):
    source = "import logging\nlogging.basicConfig(level=logging.INFO)\n"
    assert codes(source, ["LC504", "LC507"], path=path, settings=LIBRARY) == []


def test_lc507_library_code_still_reported():
    # main() is also called from library code: not program code
    source = ('import logging\n\n\ndef main():\n    logging.basicConfig(level=logging.INFO)\n\n\n'
              'def api():\n    main()\n\n\nif __name__ == "__main__":\n    main()\n')
    assert codes(source, ["LC504", "LC507"], path="pkg/mod.py", settings=LIBRARY) == ["LC507"]
    assert codes(source, ["LC507"], path="pkg/tool.py",
                 settings={**LIBRARY, "application-paths": []}) == ["LC507"]
    assert codes("import logging\nlogging.basicConfig()\n", ["LC507"], path="pkg/x.py",
                 settings={**LIBRARY, "extend-application-paths": ["pkg/x.py"]}) == []


def test_one_finding_per_mistake():
    # a library's single basicConfig line: LC507, not also LC501 (format) and LC504 (stderr)
    source = 'import logging\nlogging.basicConfig(format="%(message)s", level=logging.INFO)\n'
    assert codes(source, ["LC501", "LC504", "LC505", "LC507"], path="pkg/mod.py", settings=LIBRARY) == ["LC507"]
    # with LC507 off, the others speak
    assert sorted(codes(source, path="pkg/mod.py", settings={**LIBRARY, "select": ["LC501", "LC504"]})) == [
        "LC501", "LC504"]
    # a configuration that fails at startup is a mistake of its own
    broken = 'import logging\nlogging.basicConfig(level="verbose")\n'
    assert "LC507" in codes(broken, ["LC303", "LC507", "LC508"], path="pkg/mod.py", settings=LIBRARY)


def test_one_finding_per_mistake_only_on_that_call():
    # the handler built on its own line is its own finding (LC504), the addHandler call LC507
    source = ("import logging\n\nhandler = logging.FileHandler('x.log')\n"
              "logging.getLogger('pkg').addHandler(handler)\n")
    found = check(source, ["LC504", "LC507"], path="pkg/mod.py", settings=LIBRARY)
    assert [(d.code, d.row) for d in found] == [("LC504", 3), ("LC507", 4)]


def test_lc504_config_file_in_application_path_under_library_preset():
    from helpers import make_settings

    from logcheck.workspace.config_files import check_config_file

    ini = textwrap.dedent("""
        [loggers]
        keys=root
        [handlers]
        keys=console
        [formatters]
        keys=plain
        [logger_root]
        level=INFO
        handlers=console
        [handler_console]
        class=StreamHandler
        args=(sys.stdout,)
        formatter=plain
        [formatter_plain]
        format=%(asctime)s %(levelname)s %(name)s %(message)s
    """).encode()
    settings = make_settings({"policy": {"preset": "library"}})
    assert [d.code for d in check_config_file("pkg/logging.ini", ini, settings)[0]] == ["LC504"]
    assert [d.code for d in check_config_file("examples/logging.ini", ini, settings)[0]] == []



def test_lc403_shares_the_exemptions():
    assert codes("import json, sys\n\n\ndef emit(x):\n    sys.stdout.write(json.dumps(x))\n", ["LC403"],
                 path="pkg/mod.py") == []
    assert codes("import sys\n\n\ndef print_row(x):\n    sys.stdout.write(x)\n", ["LC403"], path="pkg/mod.py") == []
    assert codes("import sys\n\n\ndef sync(x):\n    sys.stdout.write(x)\n", ["LC403"], path="pkg/mod.py") == ["LC403"]
