"""Program code across the project (`semantics/programs.py`, asked by `semantics/purpose.py`):
functions a dispatch table, a CLI framework or another package's `__main__` makes program code,
and helpers reached only from program code. LC207 and LC401 are silent there (a program's own
top-level error report and output are what the program is for) and report everywhere else.

Every case is a small project on disk; the module under test is checked at its path, so that
the modules around it are read as the command line reads them."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Dict, List

import pytest
from helpers import check

LOGGER = "import logging\nlogger = logging.getLogger(__name__)\n"
#: the code of a command: LC207 reports `logger.error(e)` unless it is program code
REPORT = """
def {name}(args):
    try:
        work(args)
    except OSError as e:
        logger.error(e)
"""


def _project(root: Path, files: Dict[str, str], scripts: str = "") -> Path:
    manifest = '[project]\nname = "p"\nversion = "0"\n' + (f"[project.scripts]\n{scripts}\n" if scripts else "")
    (root / "pyproject.toml").write_text(manifest, encoding="utf-8")
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        for folder in path.relative_to(root).parents:
            if str(folder) != "." and not (root / folder / "__init__.py").exists():
                (root / folder / "__init__.py").write_text("", encoding="utf-8")
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def _rows(root: Path, rel: str, select: List[str], monkeypatch) -> List[int]:
    monkeypatch.chdir(root)
    path = root / rel
    return [d.row for d in check(path.read_text(encoding="utf-8"), select, path=str(path), dedent=False)]


def _commands(*names: str) -> str:
    return LOGGER + "".join(REPORT.format(name=n) for n in names)


# --------------------------------------------------------------------------- one module

#: dispatchers in the module of the commands: `run` (and `stop`) are program code
DISPATCHERS = {
    "a dict the entry point indexes and calls": """
        COMMANDS = {"run": run, "stop": stop}
        def main():
            args = parse()
            COMMANDS[args.cmd](args)
        """,
    "a dict looked up with get()": """
        COMMANDS = {"run": run, "stop": stop}
        def main():
            handler = COMMANDS.get(parse().cmd)
            handler(None)
        """,
    "a list iterated into argparse": """
        COMMANDS = [run, stop]
        def main():
            sub = parser.add_subparsers()
            for command in COMMANDS:
                sub.add_parser(command.__name__).set_defaults(func=command)
        """,
    "a tuple of (name, function, help) rows": """
        COMMANDS = (("run", run, "runs"), ("stop", stop, "stops"))
        def main():
            for name, function, _ in COMMANDS:
                if name == parse().cmd:
                    function(None)
        """,
    "dict(...) with keywords": """
        COMMANDS = dict(run=run, stop=stop)
        def main():
            COMMANDS[parse().cmd](None)
        """,
    "functools.partial entries": """
        from functools import partial
        COMMANDS = {"run": partial(run), "stop": partial(stop)}
        def main():
            COMMANDS[parse().cmd]()
        """,
    "an alias of the table": """
        COMMANDS = {"run": run, "stop": stop}
        ACTIONS = COMMANDS
        def main():
            ACTIONS[parse().cmd](None)
        """,
    "a private table and a helper that builds the parser": """
        _COMMANDS = {"run": run, "stop": stop}
        def _parser():
            p = make()
            p.add_argument("cmd", choices=sorted(_COMMANDS))
            return p
        def main():
            _COMMANDS[_parser().parse_args().cmd](None)
        """,
    "argparse set_defaults(func=...) directly": """
        def main():
            sub = parser.add_subparsers()
            sub.add_parser("run").set_defaults(func=run)
            sub.add_parser("stop").set_defaults(handler=stop)
        """,
    "click add_command and typer's command() applied by hand": """
        def main():
            cli.add_command(run)
            app.command("stop")(stop)
        """,
}


@pytest.mark.parametrize("dispatcher", DISPATCHERS.values(), ids=list(DISPATCHERS))
@pytest.mark.parametrize("entry", ["guard", "manifest", "dunder-main"])
def test_dispatched_functions_are_program_code(tmp_path, monkeypatch, dispatcher, entry):
    source = _commands("run", "stop") + textwrap.dedent(dispatcher)
    files = {"pkg/tool.py": source + ('if __name__ == "__main__":\n    main()\n' if entry == "guard" else "")}
    if entry == "dunder-main":  # another package's __main__.py calls the entry point
        files["pkg_cli/__main__.py"] = "from pkg.tool import main\nmain()\n"
    root = _project(tmp_path, files, 'p = "pkg.tool:main"' if entry == "manifest" else "")
    assert _rows(root, "pkg/tool.py", ["LC207"], monkeypatch) == []


#: the same tables where the code does not show that only a program uses them: reported
NOT_DISPATCHED = {
    "a table no entry point uses": """
        COMMANDS = {"run": run, "stop": stop}
        def main():
            pass
        """,
    "a table library code uses too": """
        COMMANDS = {"run": run, "stop": stop}
        def main():
            COMMANDS[parse().cmd](None)
        def api(name):
            return COMMANDS[name]
        """,
    "a table exported by __all__": """
        __all__ = ["COMMANDS"]
        COMMANDS = {"run": run, "stop": stop}
        def main():
            COMMANDS[parse().cmd](None)
        """,
    "a table of what calls return at import": """
        COMMANDS = {"run": wrap(run), "stop": wrap(stop)}
        def main():
            COMMANDS[parse().cmd](None)
        """,
}


@pytest.mark.parametrize("table", NOT_DISPATCHED.values(), ids=list(NOT_DISPATCHED))
def test_tables_program_code_does_not_own_are_not_dispatchers(tmp_path, monkeypatch, table):
    source = _commands("run", "stop") + textwrap.dedent(table) + 'if __name__ == "__main__":\n    main()\n'
    root = _project(tmp_path, {"pkg/tool.py": source})
    assert _rows(root, "pkg/tool.py", ["LC207"], monkeypatch) == [8, 14]


def test_a_table_another_module_imports_is_not_only_the_programs(tmp_path, monkeypatch):
    source = _commands("run", "stop") + textwrap.dedent("""
        COMMANDS = {"run": run, "stop": stop}
        def main():
            COMMANDS[parse().cmd](None)
        if __name__ == "__main__":
            main()
        """)
    root = _project(tmp_path, {"pkg/tool.py": source,
                               "pkg/api.py": "from pkg.tool import COMMANDS\n\ndef call(name):\n    COMMANDS[name]()\n"})
    assert _rows(root, "pkg/tool.py", ["LC207"], monkeypatch) == [8, 14]
    # ...and when the importer is itself program code (its guard), the table is the program's
    (root / "pkg/api.py").write_text("from pkg.tool import COMMANDS\n\nif __name__ == '__main__':\n"
                                     "    COMMANDS['run']()\n", encoding="utf-8")
    other = tmp_path / "again"
    other.mkdir()
    root = _project(other, {"pkg/tool.py": source, "pkg/api.py": (root / "pkg/api.py").read_text()})
    assert _rows(root, "pkg/tool.py", ["LC207"], monkeypatch) == []


# --------------------------------------------------------------------------- across modules

#: an entry module (`pkg/entry.py`) and how it reaches the commands of `pkg/actions.py`
CROSS = {
    "a table of imported functions, aliased": """
        from pkg.actions import run as do_run, stop
        COMMANDS = {"run": do_run, "stop": stop}
        def main():
            COMMANDS[parse().cmd](None)
        """,
    "a table of a module's attributes": """
        import pkg.actions as actions
        COMMANDS = [actions.run, actions.stop]
        def main():
            for command in COMMANDS:
                command(None)
        """,
    "a relative import": """
        from . import actions
        from .actions import stop
        TABLE = {"run": actions.run, "stop": stop}
        def main():
            TABLE[parse().cmd](None)
        """,
    "set_defaults in the entry module": """
        from pkg import actions
        def main():
            sub = parser.add_subparsers()
            sub.add_parser("run").set_defaults(func=actions.run)
            sub.add_parser("stop").set_defaults(func=actions.stop)
        """,
    # the names held across lines, in a conditional, by a hand-applied decorator: a file is
    # read for them only where the name is not called (`_files_with`), which these are not
    "held across lines and in expressions": """
        from pkg import actions
        COMMANDS = {
            "run":
                actions.run if FAST else actions.stop,
        }
        def main():
            COMMANDS[parse().cmd](None)
        """,
    # the text filters (`_imports_of`, `may_make_root`): the table holds the names only
    # under their aliases; only through a chain on the package, after a function whose
    # docstring names them
    "a list of imported functions, only their aliases": """
        from pkg.actions import (
            run as do_run,  # (the first)
            stop as do_stop,
        )
        COMMANDS = [do_run, do_stop]
        def main():
            for handler in COMMANDS:
                handler(None)
        """,
    "a chain on the package": """
        import pkg
        def helper():
            '''Not run or stop: pkg imports its actions module.'''
        COMMANDS = (pkg.actions.run, pkg.actions.stop)
        def main():
            COMMANDS[0](None)
        """,
    "registered by a decorator applied by hand": """
        from pkg import actions
        def main():
            app.command("run")(
                actions.run)
            app.command("stop")(actions.stop
            )
            app()
        """,
}


@pytest.mark.parametrize("entry_module", CROSS.values(), ids=list(CROSS))
def test_commands_dispatched_from_another_module(tmp_path, monkeypatch, entry_module):
    root = _project(tmp_path, {"pkg/actions.py": _commands("run", "stop"), "pkg/entry.py": entry_module},
                    'p = "pkg.entry:main"')
    assert _rows(root, "pkg/actions.py", ["LC207"], monkeypatch) == []


def test_commands_of_a_table_that_no_program_uses_are_reported(tmp_path, monkeypatch):
    entry = CROSS["a table of imported functions, aliased"]
    root = _project(tmp_path, {"pkg/actions.py": _commands("run", "stop"), "pkg/entry.py": entry})  # no manifest
    assert _rows(root, "pkg/actions.py", ["LC207"], monkeypatch) == [8, 14]


@pytest.mark.parametrize("dunder_main", [
    "from pkg.cli_impl import main\nmain()\n",
    "import sys\nfrom pkg.cli_impl import main\nsys.exit(main())\n",
    "import pkg.cli_impl\npkg.cli_impl.main()\n",
    "from pkg import cli_impl\n\nif __name__ == '__main__':\n    cli_impl.main()\n",
    "import sys\nfrom pkg.cli_impl import main\n\nif __name__ == '__main__':\n    sys.exit(main())\n",
    # through the package's re-export
    "from pkg import main\nmain()\n",
])
def test_another_packages_dunder_main_makes_an_entry_point(tmp_path, monkeypatch, dunder_main):
    impl = LOGGER + textwrap.dedent("""
        def main(args=None):
            _check(args)
            try:
                work(args)
            except OSError as e:
                logger.error(e)
        def _check(args):
            try:
                work(args)
            except OSError as e:
                logger.error(e)
        def serve(args):
            try:
                work(args)
            except OSError as e:
                logger.error(e)
        """)
    root = _project(tmp_path, {"pkg/__init__.py": "from .cli_impl import main\n", "pkg/cli_impl.py": impl,
                               "pkg_cli/__main__.py": dunder_main})
    # main (an entry point) and its private helper _check are program code; serve is not
    assert _rows(root, "pkg/cli_impl.py", ["LC207"], monkeypatch) == [19]


def test_a_library_function_that_imports_the_entry_module_makes_no_entry_point(tmp_path, monkeypatch):
    root = _project(tmp_path, {"pkg/cli_impl.py": _commands("main"),
                               "pkg/api.py": "from pkg.cli_impl import main\n\ndef start():\n    main(None)\n"})
    assert _rows(root, "pkg/cli_impl.py", ["LC207"], monkeypatch) == [8]


# --------------------------------------------------------------------------- helpers

def test_private_helpers_reached_only_from_entry_points(tmp_path, monkeypatch):
    helpers_module = LOGGER + textwrap.dedent("""
        def _progress(n):
            print("done", n)
        def _shared(n):
            print("shared", n)
        def progress_public(n):
            print("public", n)
        """)
    entry = textwrap.dedent("""
        from pkg.util import _progress, _shared, progress_public
        def main():
            _progress(1)
            _shared(1)
            progress_public(1)
        """)
    library = "from pkg import util\n\ndef sync():\n    util._shared(2)\n"
    root = _project(tmp_path, {"pkg/util.py": helpers_module, "pkg/entry.py": entry, "pkg/sync.py": library},
                    'p = "pkg.entry:main"')
    # _progress: every use is in program code; _shared: library code calls it too;
    # progress_public: public, so code outside the project may call it (unknown)
    assert _rows(root, "pkg/util.py", ["LC401"], monkeypatch) == [7, 9]


def test_a_private_helper_used_as_a_callback_by_library_code_is_not_program_code(tmp_path, monkeypatch):
    root = _project(tmp_path, {
        "pkg/util.py": LOGGER + "\ndef _progress(n):\n    print('done', n)\n",
        "pkg/entry.py": "from pkg.util import _progress\n\ndef main():\n    _progress(1)\n",
        "pkg/hooks.py": "from pkg import util\n\nHOOKS = [util._progress]\n",
    }, 'p = "pkg.entry:main"')
    assert _rows(root, "pkg/util.py", ["LC401"], monkeypatch) == [5]


def test_a_call_from_a_function_of_another_program_makes_no_entry_point(tmp_path, monkeypatch):
    # a shared helper that a command-line module (argparse and a guard) calls from one of its
    # functions, and library code calls too: a caller like any other
    tool = textwrap.dedent("""
        import argparse
        from pkg.util import _run_cmd
        def setup():
            _run_cmd(["pip", "install"])
        if __name__ == "__main__":
            argparse.ArgumentParser().parse_args()
            setup()
        """)
    root = _project(tmp_path, {"pkg/util.py": LOGGER + "\n\ndef _run_cmd(cmd):\n    print(cmd)\n",
                               "pkg/tool.py": tool,
                               "pkg/env.py": "from pkg.util import _run_cmd\n\ndef create():\n    _run_cmd(['x'])\n"})
    assert _rows(root, "pkg/util.py", ["LC401"], monkeypatch) == [6]
    # without the library caller every use is program code
    (root / "pkg/env.py").unlink()
    other = tmp_path / "again"
    other.mkdir()
    root = _project(other, {"pkg/util.py": LOGGER + "\n\ndef _run_cmd(cmd):\n    print(cmd)\n", "pkg/tool.py": tool})
    assert _rows(root, "pkg/util.py", ["LC401"], monkeypatch) == []


def test_a_script_whose_guard_calls_a_library_function_makes_no_entry_point(tmp_path, monkeypatch):
    # an example or a test script runs a library helper from its guard: the helper is still
    # library code that other programs import
    root = _project(tmp_path, {
        "pkg/debug.py": LOGGER + "\n\ndef setup_logging():\n    print('debug logging on')\n",
        "examples/worker.py": "from pkg.debug import setup_logging\n\nif __name__ == '__main__':\n"
                              "    setup_logging()\n",
    })
    assert _rows(root, "pkg/debug.py", ["LC401"], monkeypatch) == [6]


# --------------------------------------------------------------------------- how much a question reads

def test_a_name_more_files_mention_than_the_limit_is_not_followed(tmp_path, monkeypatch):
    """A name half of a large project mentions (salt's `data`, in `match`) would read
    hundreds of files for one question: past `_MAX_FILES` it is not followed, so the
    function is not shown to be program code (the rule reports, as for a chain too long)."""
    from logcheck.semantics import programs

    entry = CROSS["a table of imported functions, aliased"]
    files = {"pkg/actions.py": _commands("run", "stop"), "pkg/entry.py": entry}
    files.update({f"pkg/other{i}.py": "from pkg import actions\nactions.run\n" for i in range(3)})
    root = _project(tmp_path, files, 'p = "pkg.entry:main"')
    assert _rows(root, "pkg/actions.py", ["LC207"], monkeypatch) == []
    monkeypatch.setattr(programs, "_MAX_FILES", 3)  # entry.py and the three others mention `run`
    assert _rows(root, "pkg/actions.py", ["LC207"], monkeypatch) == [8]  # `stop`: entry.py only


def test_the_import_statements_are_every_import_of_the_tree():
    """`module_facts` finds imports by walking statements only (functions, classes, every
    block, `except` handlers and `match` cases), not every expression."""
    import ast

    from logcheck.semantics.programs import _statements
    from test_precheck import held_in_trees

    checked = 0
    for name, tree in held_in_trees():
        expected = sorted(id(n) for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom)))
        assert sorted(id(n) for n in _statements(tree.body) if isinstance(n, (ast.Import, ast.ImportFrom))) \
            == expected, name
        checked += 1
    tree = ast.parse("def f():\n    match x:\n        case 1:\n            import a\n"
                     "try:\n    pass\nexcept E:\n    from b import c\nelse:\n    import d\nfinally:\n    import e\n"
                     "class K:\n    async def g(self):\n        async with x:\n            import f\n")
    assert sorted(n.names[0].name for n in _statements(tree.body) if isinstance(n, (ast.Import, ast.ImportFrom))) \
        == ["a", "c", "d", "e", "f"]
    assert checked > 50


def test_past_the_limit_a_dunder_main_still_makes_an_entry_point(tmp_path, monkeypatch):
    from logcheck.semantics import programs

    files = {"pkg/cli_impl.py": _commands("main"), "pkg/__main__.py": "from pkg.cli_impl import main\nmain()\n"}
    files.update({f"pkg/other{i}.py": "from pkg import cli_impl\nHANDLERS = [cli_impl.main]\n" for i in range(3)})
    root = _project(tmp_path, files)
    monkeypatch.setattr(programs, "_MAX_FILES", 2)
    assert _rows(root, "pkg/cli_impl.py", ["LC207"], monkeypatch) == []


@pytest.mark.parametrize("test_file", ["tests/test_entry.py", "pkg/tests/__main__.py", "pkg/test_cli.py"])
@pytest.mark.parametrize("entry", ["registered by a decorator applied by hand", "a table of a module's attributes"])
def test_a_test_that_registers_or_tables_commands_makes_no_entry_point(tmp_path, monkeypatch, test_file, entry):
    """The same dispatch, in a file `test-paths` calls a test (or a test package's
    `__main__.py`): a test registers or tables a function to exercise it."""
    root = _project(tmp_path, {"pkg/actions.py": _commands("run", "stop"), test_file: CROSS[entry]})
    assert _rows(root, "pkg/actions.py", ["LC207"], monkeypatch) == [8, 14]
