"""Policy presets (what each allows and forbids), key-by-key overrides and their errors,
`logcheck policy`, discovery of configuration files, unreadable files, suppression in
files, the LC5xx fixes, and the exactness of the rules' needles."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from config_cases import run, src
from helpers import check, fix, make_settings

from logcheck.config_model.policy import PRESET_POLICIES, parse_policy
from logcheck.errors import ConfigError
from logcheck.rules import registry
from logcheck.source.precheck import precheck_for
from logcheck.workspace.config_files import check_config_file, looks_like_logging_config

GOOD = "%(asctime)s %(levelname)s %(name)s %(message)s"

SAMPLE = '''
import logging
import logging.handlers

import watchtower

fmt = logging.Formatter("%(levelname)s %(name)s %(message)s")
rotating = logging.handlers.RotatingFileHandler("app.log", maxBytes=1000, backupCount=3)
rotating.setFormatter(fmt)
stdout = logging.StreamHandler(sys.stdout)
stdout.setFormatter(fmt)
cloud = watchtower.CloudWatchLogHandler(log_group_name="app", log_group_retention_days=30)
cloud.setFormatter(fmt)
logging.basicConfig(level=logging.DEBUG, handlers=[rotating, stdout, cloud])
'''


def found(preset: str, text: str = SAMPLE, **policy):
    table = {"policy": {"preset": preset, **policy}}
    return {(d.code, d.row) for d in check(src(text), settings=table, dedent=False) if d.code.startswith("LC5")}


def codes_of(found_set):
    return {c for c, _ in found_set}


def test_default_preset_allows_every_destination_and_checks_no_format():
    result = found("default")
    assert "LC504" not in codes_of(result)
    # LC501/LC505 are on under a runtime preset only; the others are off by default
    assert not {"LC501", "LC505", "LC507", "LC510", "LC512"} & codes_of(result)


def test_server_preset_requires_process():
    result = found("server", f'''
        import logging
        logging.basicConfig(level=logging.INFO, format="{GOOD}")
        ''')
    assert codes_of(result) == {"LC501"}
    assert found("server", '''
        import logging
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(process)d %(levelname)s %(name)s %(message)s")
        ''') == set()


def test_container_preset_forbids_files_and_plain_text():
    result = found("container")
    assert ("LC504", 7) in result and ("LC504", 11) in result  # file, cloudwatch
    assert ("LC504", 9) not in result  # stdout
    assert "LC512" in codes_of(result)  # structured = true
    assert "LC501" not in codes_of(result)  # levelname + name is enough


def test_aws_lambda_preset():
    result = found("aws-lambda")
    assert ("LC504", 7) in result and ("LC504", 11) in result and ("LC504", 9) not in result
    assert ("LC510", 13) in result  # basicConfig without force=True
    assert ("LC505", 13) in result  # DEBUG below minimum-level INFO
    assert "LC512" not in codes_of(result) and "LC501" not in codes_of(result)


def test_aws_lambda_preset_overridden_key_by_key():
    result = found("aws-lambda", **{"minimum-level": "DEBUG", "destinations": ["stdout", "file", "cloudwatch"]})
    assert "LC505" not in codes_of(result) and "LC504" not in codes_of(result)
    assert "LC510" in codes_of(result)


def test_cloudwatch_preset_allows_watchtower_not_files():
    result = found("cloudwatch")
    assert ("LC504", 11) not in result and ("LC504", 7) in result


def test_library_preset_flags_any_configuration():
    result = found("library")
    assert ("LC507", 13) in result
    assert {("LC504", 7), ("LC504", 9), ("LC504", 11)} <= result
    assert found("library", '''
        import logging
        logging.getLogger(__name__).addHandler(logging.NullHandler())
        ''') == set()


def test_every_preset_sets_every_key():
    for name, policy in PRESET_POLICIES.items():
        assert policy.preset == name
        assert policy.destinations and policy.required_fields is not None


@pytest.mark.parametrize("table, key", [
    ({"preset": "lambda"}, "preset"),
    ({"rotation": "daily"}, "rotation"),
    ({"max-bytes": 0}, "max-bytes"),
    ({"backup-count": "5"}, "backup-count"),
    ({"destinations": ["stdout", "kafka"]}, "destinations"),
    ({"minimum-level": "info"}, "minimum-level"),
    ({"structured": "yes"}, "structured"),
    ({"required-fields": "asctime"}, "required-fields"),
    ({"colour": True}, "colour"),
])
def test_invalid_policy_values_name_the_key(table, key):
    with pytest.raises(ConfigError, match=f"`{key}`"):
        parse_policy(table, "pyproject.toml")


def _cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "logcheck", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=60)


def test_policy_command_prints_the_effective_policy(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.logcheck.policy]\npreset = "aws-lambda"\nbackup-count = 9\n')
    out = _cli("policy", ".", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert 'preset = "aws-lambda"' in out.stdout
    assert "backup-count = 9" in out.stdout
    assert 'destinations = ["stdout", "stderr", "queue", "null"]' in out.stdout
    assert 'minimum-level = "INFO"' in out.stdout
    other = _cli("policy", ".", "--preset", "container", cwd=tmp_path)
    assert 'preset = "container"' in other.stdout and "structured = true" in other.stdout


def test_invalid_policy_is_exit_2_naming_the_key(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.logcheck.policy]\nrotation = "daily"\n')
    (tmp_path / "app.py").write_text("x = 1\n")
    out = _cli("app.py", cwd=tmp_path)
    assert out.returncode == 2 and "`rotation`" in out.stderr


def test_folder_scan_finds_configs_by_content(tmp_path):
    (tmp_path / "logging.ini").write_text("[loggers]\nkeys=root\n[handlers]\nkeys=h\n[formatters]\nkeys=\n"
                                          "[logger_root]\nhandlers=h\n"
                                          "[handler_h]\nclass=StreamHandler\nargs=(sys.stdout,)\n")
    (tmp_path / "setup.cfg").write_text("[metadata]\nname = x\n")
    (tmp_path / "data.json").write_text('{"version": 3, "items": []}')
    (tmp_path / "log.yml").write_text("version: 1\nroot:\n  level: info\n")
    (tmp_path / "broken.json").write_text('{"version": 1, "handlers": {\n')
    assert looks_like_logging_config(tmp_path / "logging.ini")
    assert not looks_like_logging_config(tmp_path / "setup.cfg")
    assert not looks_like_logging_config(tmp_path / "data.json")
    out = _cli(".", "--output-format", "json", "--extend-select", "LC501,LC505", cwd=tmp_path)
    data = json.loads(out.stdout)
    items = data if isinstance(data, list) else data.get("diagnostics", [])
    paths = {Path(d.get("path") or d.get("filename")).name for d in items}
    assert paths == {"logging.ini", "log.yml", "broken.json"}, out.stdout
    assert out.returncode == 1


@pytest.mark.parametrize("name, text, line", [
    ("bad.json", '{\n  "version": 1,\n  "root": {"level": "INFO",}\n}\n', 3),
    ("bad.yaml", "version: 1\nroot:\n  level: [INFO\n", 4),
    ("bad.toml", 'version = 1\n[root]\nlevel = "INFO\n', 3),
    ("bad.ini", "[loggers]\nkeys=root\n[handlers]\nkeys=\nkeys=again\n[formatters]\nkeys=\n", 5),
])
def test_broken_config_file_is_one_finding_with_its_line(name, text, line):
    diagnostics, messages = check_config_file(name, text.encode(), make_settings())
    assert messages == []
    assert [(d.code, d.row) for d in diagnostics] == [("LC000", line)], diagnostics
    assert "\n" not in diagnostics[0].message


def test_yaml_without_pyyaml_is_reported_once(monkeypatch):
    monkeypatch.setitem(sys.modules, "yaml", None)  # `import yaml` raises ImportError
    text = b"version: 1\nhandlers:\n  file:\n    class: logging.FileHandler\n"
    diagnostics, messages = check_config_file("logging.yaml", text, make_settings())
    assert diagnostics == []
    assert len(messages) == 1 and "pip install -e '.[yaml]'" in messages[0]
    # a YAML file that is not a logging configuration (what pre-commit passes) is passed over silently
    assert check_config_file("other.yaml", b"name: shop\n", make_settings()) == ([], [])


def test_suppression_in_files():
    yaml_text = "version: 1\nhandlers:\n  file:\n    class: logging.FileHandler  # noqa: LC502\n    filename: a.log\n"
    assert [d.code for d in run("LC502", "yaml", yaml_text)] == []
    toml_text = '# logcheck: disable-file=LC502\nversion = 1\n[handlers.f]\nclass = "logging.FileHandler"\n'
    assert [d.code for d in run("LC502", "toml", toml_text)] == []
    ini = ("; logcheck: disable-file\n[loggers]\nkeys=root\n[handlers]\nkeys=\n[formatters]\nkeys=\n"
           "[logger_root]\nhandlers=\n")
    assert run("LC505", "ini", ini) == []
    ini_section = ("[loggers]\nkeys=root\n[handlers]\nkeys=f\n[formatters]\nkeys=\n[logger_root]\nhandlers=f\n"
                   "level=INFO\n[handler_f] ; noqa: LC502\nclass=FileHandler\nargs=('a.log',)\n")
    assert run("LC502", "ini", ini_section) == []
    assert [d.code for d in run("LC502", "ini", ini_section.replace(" ; noqa: LC502", ""))] == ["LC502"]


def test_fileconfig_is_followed_to_the_file(tmp_path):
    (tmp_path / "logging.ini").write_text("[loggers]\nkeys=root\n[handlers]\nkeys=console\n[formatters]\nkeys=\n"
                                          "[logger_root]\nlevel=INFO\nhandlers=consol\n"
                                          "[handler_console]\nclass=StreamHandler\nargs=(sys.stderr,)\n")
    app = tmp_path / "app.py"
    app.write_text('import logging.config\nlogging.config.fileConfig("logging.ini", disable_existing_loggers=False)\n')
    found = check(app.read_text(), ["LC508"], path=str(app), dedent=False)
    assert [(d.code, d.row) for d in found] == [("LC508", 2)]
    assert "logging.ini:9" in found[0].message and "consol" in found[0].message


# --------------------------------------------------------------------------- fixes

def test_fix_dict_handler_to_rotating():
    before = src('''
        LOGGING = {
            "version": 1,
            "disable_existing_loggers": False,
            "handlers": {
                "file": {
                    "class": "logging.FileHandler",
                    "filename": "app.log",
                },
            },
        }
        ''')
    assert fix(before, ["LC502"], unsafe=True, dedent=False) == before.replace(
        '"class": "logging.FileHandler",',
        '"class": "logging.handlers.RotatingFileHandler",').replace(
        '"filename": "app.log",\n',
        '"filename": "app.log",\n            "maxBytes": 10485760,\n            "backupCount": 5,\n')
    assert fix(before, ["LC502"], unsafe=False, dedent=False) == before  # unsafe only


def test_fix_call_reuses_an_existing_import_and_policy_values():
    before = src('''
        import logging
        from logging.handlers import RotatingFileHandler

        h = logging.FileHandler("app.log", mode="w")
        ''')
    after = fix(before, ["LC502"], unsafe=True, dedent=False, settings={"policy": {"max-bytes": 1000, "backup-count": 2}})
    assert after.endswith('h = RotatingFileHandler("app.log", mode="w", maxBytes=1000, backupCount=2)\n')


def test_fix_call_adds_import_logging_handlers():
    before = src('''
        """Doc."""
        import logging
        import os

        h = logging.FileHandler(os.environ["LOG"])
        ''')
    assert fix(before, ["LC502"], unsafe=True, dedent=False) == src('''
        """Doc."""
        import logging
        import logging.handlers
        import os

        h = logging.handlers.RotatingFileHandler(os.environ["LOG"], maxBytes=10485760, backupCount=5)
        ''')


def test_no_fix_with_more_than_two_positional_arguments():
    found = check('import logging\nh = logging.FileHandler("a.log", "a", "utf-8")\n', ["LC502"], dedent=False)
    assert [d.code for d in found] == ["LC502"] and found[0].fix is None


def test_fix_disable_existing_loggers_and_force():
    before = src('''
        import logging
        import logging.config

        logging.config.dictConfig({"version": 1, "root": {"level": "INFO"}})
        logging.config.fileConfig("logging.ini")
        logging.basicConfig(level=logging.INFO)
        ''')
    after = fix(before, ["LC506", "LC510"], unsafe=True, dedent=False)
    assert 'dictConfig({"version": 1, "root": {"level": "INFO"}, "disable_existing_loggers": False})' in after
    assert 'fileConfig("logging.ini", disable_existing_loggers=False)' in after
    assert "basicConfig(level=logging.INFO, force=True)" in after
    assert fix(after, ["LC506", "LC510"], unsafe=True, dedent=False) == after  # stable
    compile(after, "fixed", "exec")


def test_fix_level_case_in_dict_literal():
    before = 'LOGGING = {"version": 1, "root": {"level": "warning"}}\n'
    assert fix(before, ["LC303"], dedent=False) == 'LOGGING = {"version": 1, "root": {"level": "WARNING"}}\n'


def test_no_fix_in_files():
    diagnostics, _ = check_config_file("a.json", b'{"version": 1, "root": {"level": "info"}}', make_settings())
    assert diagnostics and all(d.fix is None for d in diagnostics)


# --------------------------------------------------------------------------- needles

def test_needles_are_exact_on_the_rule_cases():
    from test_config_rules import CASES

    for name, code, kind, text, expected, *_ in CASES:
        if kind != "py" or not expected:
            continue
        rule = registry.all_rules()[code]
        assert precheck_for([rule], ()).may_match(src(text).encode()), (name, rule.needles)


def test_a_file_without_needles_is_never_parsed_for_config_rules():
    from logcheck.config_model.python import NEEDLES

    rules = [r for c, r in registry.all_rules().items() if c.startswith("LC5")]
    check = precheck_for(rules, ())
    assert {n.sample for n in check.needles} <= {n.sample for n in NEEDLES} | {b"Handler", b"CloudWatchLogHandler"}
    assert not check.may_match(b"import os\nprint(os.getcwd())\n")
    # words are whole identifiers: a longer name that contains one is not a match
    assert not check.may_match(b"from app import mydictConfigs, catalogging\n")
    assert check.may_match(b"from logging.config import dictConfig\n")


def test_config_files_setting_names_files_that_are_always_read(tmp_path):
    # neither `version` nor `class`: not found by content, but read when named in config-files
    config = '{"handlers": {"h": {"()": "app.make_handler"}}, "root": {"handlers": ["h"]}}\n'
    (tmp_path / "pyproject.toml").write_text('[tool.logcheck]\nconfig-files = ["deploy/log*.json"]\n')
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "logsetup.json").write_text(config)
    (tmp_path / "deploy" / "other.json").write_text(config)
    out = _cli(".", cwd=tmp_path)
    assert "deploy/logsetup.json:1:1: LC508 dictConfig needs `\"version\": 1`; without it `dictConfig` raises " \
        "ValueError" in out.stdout.splitlines()
    assert "other.json" not in out.stderr + out.stdout
    assert out.stderr == ""


@pytest.mark.parametrize("key, schema", [
    ('"version"', True), ("'version'", True), ('r"version"', True), ('"""version"""', True),
    ('"ver" "sion"', False),   # no `"version"` in the bytes: the needles could not find it
    ('"versio\\x6e"', False),
    ('b"version"', False),     # bytes, not the schema's key
])
def test_the_dictconfig_version_key_is_what_the_needles_find(key, schema):
    import libcst as cst

    from logcheck.config_model.python import VERSION_KEY, _has_version_key
    from logcheck.source.precheck import Precheck

    source = "{%s: 1}" % key
    assert _has_version_key(cst.parse_expression(source)) is schema
    if schema:  # every key the model recognises is one the pre-check sees
        assert Precheck(VERSION_KEY).may_match(source.encode())


def test_json_found_by_content_needs_the_schema_keys_not_words_in_values(tmp_path):
    # a data file that mentions `version`, `class` and `root` in its values is not read as
    # a logging configuration; one with the keys is
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    (tmp_path / "model.json").write_text('{"doc": "version class root handlers", "items": [1, 2]}\n')
    (tmp_path / "logging.json").write_text('{"handlers": {"h": {"class": "logging.FileHandler", '
                                           '"filename": "a.log"}}, "root": {"handlers": ["h"]}}\n')
    out = _cli(".", cwd=tmp_path)
    assert "model.json" not in out.stdout + out.stderr
    assert "logging.json:1:1: LC508" in out.stdout


@pytest.mark.parametrize("text,expected", [
    # a service model: section words as keys of members, `version` and `class` keys
    ('{"version": "1.0", "shapes": {"ListFilters": {"members": {"filters": {"shape": "F"}},'
     ' "class": "x"}}, "handlers": []}', False),
    ('{"version": 1, "handlers": [], "class": "x"}', False),  # sections that are no mappings
    # a dictConfig at the top, nested in an application config
    ('{"version": 1, "handlers": {"h": {"class": "logging.StreamHandler"}}}', True),
    ('{"app": {"logging": {"version": 1, "root": {"level": "INFO"}, "handlers": {}}}, "class": 1}', True),
    # nested deeper than dictConfig mappings are searched
    ('{"a": {"b": {"c": {"d": {"e": {"version": 1, "handlers": {"h": {"class": "x.Y"}}}}}}}}', False),
    # broken JSON that looks like a configuration: reported (as LC000), so taken
    ('{"version": 1, "handlers": {"h": {"class": "x.Y"}', True),
])
def test_folder_scan_json_configs_by_structure(tmp_path, text, expected):
    path = tmp_path / "conf.json"
    path.write_text(text)
    assert looks_like_logging_config(path) is expected
