"""The preview group (`rules/preview.py`): its rules run only with preview on, as ruff's."""

from __future__ import annotations

from pathlib import Path

import pytest

from logcheck.errors import ConfigError
from logcheck.interfaces import cli
from logcheck.rules import registry
from logcheck.rules.preview import PREVIEW
from logcheck.rules.selection import enabled_codes, preview_selected_without_preview
from logcheck.settings.model import Settings
from logcheck.workspace.settings_loader import Overrides, settings_from_table

#: a default-on rule and a default-off one, put in preview for the test
DEFAULT_ON, DEFAULT_OFF = "LC201", "LC401"


@pytest.fixture
def in_preview(monkeypatch):
    for code in (DEFAULT_ON, DEFAULT_OFF):
        monkeypatch.setitem(PREVIEW, code, "test")
    enabled_codes.cache_clear()
    yield
    enabled_codes.cache_clear()


def test_every_entry_is_a_registered_rule_with_its_reason():
    rules = registry.all_rules()
    for code, why in PREVIEW.items():
        assert code in rules and why.strip(), code


def _settings(table) -> Settings:
    return settings_from_table(table, Path.cwd(), None)


@pytest.mark.parametrize("table, on", [
    ({}, set()),                                                   # preview off: neither runs
    ({"select": [DEFAULT_ON]}, set()),                             # selected by code: still off
    ({"extend-select": [DEFAULT_OFF]}, set()),
    ({"select": ["LC2", "LC4"]}, set()),                           # by prefix: off
    ({"preview": True}, {DEFAULT_ON}),                             # preview: default-on ones run
    ({"preview": True, "extend-select": [DEFAULT_OFF]}, {DEFAULT_ON, DEFAULT_OFF}),
    ({"preview": True, "ignore": [DEFAULT_ON]}, set()),
])
def test_preview_rules_run_only_with_preview(in_preview, table, on):
    codes = enabled_codes(_settings(table))
    assert codes & {DEFAULT_ON, DEFAULT_OFF} == on
    assert "LC202" in codes or table.get("select")  # the other rules are untouched


def test_the_command_line_turns_preview_on(in_preview):
    settings = Overrides(preview=True).apply(_settings({}))
    assert settings.preview and DEFAULT_ON in enabled_codes(settings)


def test_selecting_a_preview_rule_without_preview_is_named(in_preview):
    assert preview_selected_without_preview(_settings({"select": [DEFAULT_ON, "LC202"]})) == (DEFAULT_ON,)
    assert preview_selected_without_preview(_settings({"preview": True, "select": [DEFAULT_ON]})) == ()


def test_the_cli_warns_once_and_checks_without_the_rule(in_preview, tmp_path, capsys, monkeypatch):
    (tmp_path / "a.py").write_text("import logging\nlogging.getLogger(__name__).info(f'{1}')\n")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["a.py", "--select", DEFAULT_ON, "--no-cache"]) == 0
    err = capsys.readouterr().err
    assert err.count(f"selecting {DEFAULT_ON} has no effect") == 1
    assert cli.main(["a.py", "--select", DEFAULT_ON, "--preview", "--no-cache", "-q"]) == 1
    captured = capsys.readouterr()
    assert DEFAULT_ON in captured.out and "no effect" not in captured.err


def test_preview_must_be_a_boolean():
    with pytest.raises(ConfigError, match="`preview` must be true or false"):
        _settings({"preview": "yes"})



def test_the_first_look_rules_below_90_percent_are_in_preview():
    """issue 20's first look (docs/precision.md, round 3): the default-on rules below 90%."""
    enabled_codes.cache_clear()
    below = ("LC304", "LC402", "LC511", "LC601", "LC502", "LC506")  # LC502/LC506: with round families-1
    assert set(below) <= PREVIEW.keys()
    default = enabled_codes(_settings({}))
    with_preview = enabled_codes(_settings({"preview": True}))
    for code in below:
        assert code not in default and code in with_preview, code


LOGURU_PERCENT = 'from loguru import logger\n\n\ndef paid(name):\n    logger.info("user %s paid" % name)\n'
STDLIB_PERCENT = ('import logging\n\nlogger = logging.getLogger(__name__)\n\n\ndef paid(name):\n'
                  '    logger.info("user %s paid" % name)\n')


@pytest.mark.parametrize("source, preview, reported", [
    (LOGURU_PERCENT, False, False),  # LC202's reach to loguru is in preview
    (LOGURU_PERCENT, True, True),
    (STDLIB_PERCENT, False, True),  # the rule itself is not
    (STDLIB_PERCENT, True, True),
])
def test_a_rules_reach_to_a_family_in_preview(source, preview, reported):
    from logcheck.lint.check import check_source
    from logcheck.rules.preview import PREVIEW_FAMILIES
    from logcheck.source.text import SourceText

    assert "loguru" in PREVIEW_FAMILIES["LC202"]
    settings = _settings({"preview": preview})
    result = check_source("app.py", SourceText(source, "utf-8", False), registry.rules_for(["LC202"]), settings)
    assert [d.code for d in result.diagnostics] == (["LC202"] if reported else [])


def test_every_family_entry_names_a_rule_and_a_family_it_covers():
    from logcheck.rules.preview import PREVIEW_FAMILIES
    from logcheck.semantics import families

    rules = registry.all_rules()
    for code, entries in PREVIEW_FAMILIES.items():
        for family, why in entries.items():
            assert rules[code].covers(families.by_name(family)) and why.strip(), (code, family)
            assert family in rules[code].preview_families


STRUCTLOG = "import structlog\nlogger = structlog.get_logger()\n"


#: (code, prelude, call, reported without preview): LC201 and LC204 on loguru left preview
#: after first look families-1; LC202/LC203 on loguru and LC204 on structlog are in it
@pytest.mark.parametrize("code,prelude,call,default", [
    ("LC201", "from loguru import logger\n", 'logger.info(f"x {v}")', True),
    ("LC202", "from loguru import logger\n", 'logger.info("x %s" % (v,))', False),
    ("LC203", "from loguru import logger\n", 'logger.info("x {}".format(v))', False),
    ("LC204", "from loguru import logger\n", 'logger.info("x " + str(v))', True),
    ("LC204", STRUCTLOG, 'logger.info("x " + str(v))', False),
])
@pytest.mark.parametrize("preview", [False, True])
def test_eager_messages_on_the_families_and_preview(code, prelude, call, default, preview):
    from logcheck.lint.check import check_source
    from logcheck.source.text import SourceText

    source = prelude + call + "\n"
    result = check_source("app.py", SourceText(source, "utf-8", False), registry.rules_for([code]),
                          _settings({"preview": preview}))
    assert [d.code for d in result.diagnostics] == ([code] if preview or default else [])
