"""`--add-noqa`: silence every current finding on its line, keep the code valid."""

from __future__ import annotations

import textwrap

import pytest
from helpers import check

from logcheck.interfaces.cli import main
from logcheck.workspace.add_noqa import add_codes, add_noqa_to_text, unsafe_rows


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def add_noqa(project, capsys, source: str, name: str = "m.py", dedent: bool = True) -> str:
    path = project / name
    path.write_bytes((textwrap.dedent(source) if dedent else source).encode("utf-8"))
    capsys.readouterr()
    assert main(["--add-noqa", name]) == 0
    out = capsys.readouterr()
    assert out.out.startswith("Added "), out
    text = path.read_bytes().decode("utf-8")
    compile(text, name, "exec")
    # nothing is left to report, and running again changes nothing
    assert main(["-q", name]) == 0, capsys.readouterr().out
    assert main(["--add-noqa", name]) == 0
    assert "Added 0 noqa directives." in capsys.readouterr().out
    assert path.read_bytes().decode("utf-8") == text
    return text


def test_appends_codes(project, capsys):
    text = add_noqa(project, capsys, '''\
        import logging

        log = logging.getLogger(__name__)
        log.warn("slow")
        logging.info("root")  # why
        log.info("fine")
    ''')
    assert text.splitlines()[3:6] == [
        'log.warn("slow")  # noqa: LC301',
        'logging.info("root")  # why  # noqa: LC101',
        'log.info("fine")',
    ]


def test_several_codes_on_one_line_and_message(project, capsys):
    (project / "m.py").write_text('import logging\nlogging.warn("x")\n')
    assert main(["--add-noqa", "--preview", "m.py"]) == 0  # LC601 is in preview
    assert capsys.readouterr().out == "Added 1 noqa directive.\n"
    assert (project / "m.py").read_text().splitlines()[1] == 'logging.warn("x")  # noqa: LC101, LC301'


def test_merges_with_existing_codes(project, capsys):
    text = add_noqa(project, capsys, '''\
        import logging
        log = logging.getLogger(__name__)
        log.warn("slow")  # noqa: E501
        log.warn("slow")  # NOQA:E501,W291 trailing words
    ''')
    assert text.splitlines()[2:4] == [
        'log.warn("slow")  # noqa: E501, LC301',
        'log.warn("slow")  # NOQA:E501, W291, LC301 trailing words',
    ]


def test_bare_noqa_untouched():
    assert add_codes("x = 1  # noqa\n", ["LC101"]) == "x = 1  # noqa\n"
    assert add_codes("x = 1  # noqa:LC101\n", ["LC101"]) == "x = 1  # noqa:LC101\n"
    assert add_codes("x = 1\r\n", ["LC101"]) == "x = 1  # noqa: LC101\r\n"


def test_multiline_string_gets_comment_on_last_line(project, capsys):
    text = add_noqa(project, capsys, '''\
        import logging
        log = logging.getLogger(__name__)
        log.warn("""first
        second %s""", 1)
        log.warn(
            "x"
        )
    ''')
    lines = text.splitlines()
    assert lines[2] == 'log.warn("""first'
    assert lines[3] == 'second %s""", 1)  # noqa: LC301'
    assert lines[4] == "log.warn(  # noqa: LC301"


def test_multiline_fstring_and_backslash(project, capsys):
    text = add_noqa(project, capsys, '''\
        import logging
        log = logging.getLogger(__name__)
        n = 1
        log.warn(f"""a {n}
        b""")
        log.warn("a" \\
                 "b")
    ''')
    lines = text.splitlines()
    assert lines[3] == 'log.warn(f"""a {n}'
    assert lines[4].startswith('b""")  # noqa: ') and "LC301" in lines[4]  # (LC201 too: an f-string message)
    assert lines[5] == 'log.warn("a" \\'
    assert lines[6] == '         "b")  # noqa: LC301'


def test_unsafe_rows():
    src = 'x = """a\nb\nc"""\ny = 1 + \\\n    2\nz = 3\n'
    assert unsafe_rows(src) == {1, 2, 4}


def test_keeps_crlf_and_encoding(project, capsys):
    path = project / "m.py"
    source = '# -*- coding: latin-1 -*-\r\nimport logging\r\nlogging.info("caf\xe9")\r\n'
    path.write_bytes(source.encode("latin-1"))
    assert main(["--add-noqa", "--preview", "m.py"]) == 0  # LC601 is in preview
    assert path.read_bytes() == source.replace('caf\xe9")', 'caf\xe9")  # noqa: LC101').encode("latin-1")


def test_only_lines_with_findings_change(project, capsys):
    source = textwrap.dedent('''\
        import logging  # noqa: F401

        def f():
            logging.info("x")
    ''')
    text = add_noqa(project, capsys, source)
    assert text == source.replace('logging.info("x")', 'logging.info("x")  # noqa: LC101')


def test_text_level_api_reports_unplaceable(tmp_path):
    source = 'import logging\nlog = logging.getLogger(__name__)\nlog.warn("x")\n'
    diagnostics = check(source, dedent=False)
    new, changed, skipped = add_noqa_to_text(source, diagnostics)
    assert changed == 1 and skipped == []
    assert check(new, dedent=False) == []


def test_add_noqa_rejects_fix(project, capsys):
    (project / "m.py").write_text("import logging\nlogging.info('x')\n")
    assert main(["--add-noqa", "--fix", "m.py"]) == 2


def test_no_safe_line_is_reported_not_guessed(project, capsys):
    from logcheck.diagnostics import Diagnostic

    source = 'f(x, """a\nb""")\n'
    d = Diagnostic("m.py", "LC601", "secret-in-log", "m", 1, 3, 1, 4, None, 1)
    new, changed, skipped = add_noqa_to_text(source, [d])
    assert (new, changed, skipped) == (source, 0, [d])
    # through the command line: the finding is named on stderr and the file is untouched
    path = project / "m.py"
    path.write_text('import logging\nlogger = logging.getLogger(__name__)\nlogger.info("%s %s", password, """a\nb""")\n')
    before = path.read_text()
    assert main(["--add-noqa", "--preview", "m.py"]) == 0  # LC601 is in preview
    out = capsys.readouterr()
    # the secret rule reports `password` on a line that ends inside a string
    assert "m.py:3:22: LC601: no line can hold a noqa comment" in out.err
    assert path.read_text() == before


def test_config_comment_that_would_change_the_value_is_not_added():
    pytest.importorskip("yaml")
    from logcheck.diagnostics import Diagnostic
    from logcheck.workspace.add_noqa import add_noqa_to_config

    text = "version: 1\nformatters:\n  plain:\n    format: |\n      %(message)s\n"
    inside = Diagnostic("logging.yaml", "LC501", "format-missing-field", "m", 5, 7, 5, 7, None, 5)
    # `# noqa` at the end of a block scalar's line would become part of the format
    assert add_noqa_to_config(text, "yaml", [inside]) == (text, 0, [inside])
    on_key = Diagnostic("logging.yaml", "LC501", "format-missing-field", "m", 3, 3, 3, 3, None, 3)
    new, changed, skipped = add_noqa_to_config(text, "yaml", [on_key])
    assert (changed, skipped) == (1, []) and new.splitlines()[2] == "  plain:  # noqa: LC501"


def test_ini_comment_goes_after_the_section_header():
    from logcheck.diagnostics import Diagnostic
    from logcheck.workspace.add_noqa import add_noqa_to_config

    text = "[handlers]\nkeys=file\n\n[handler_file]\nclass=FileHandler\nargs=('a.log',)\n"
    d = Diagnostic("logging.ini", "LC502", "file-handler-without-rotation", "m", 5, 7, 5, 7, None, 5)
    new, changed, skipped = add_noqa_to_config(text, "ini", [d])
    assert (changed, skipped) == (1, [])
    assert new == text.replace("[handler_file]\n", "[handler_file]  ; noqa: LC502\n")
