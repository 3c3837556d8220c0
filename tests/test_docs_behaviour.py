"""What the docs promise about the tool's own texts: rule links that point at pages that
exist (or at the `rule-url` a project sets), `logcheck rule` without the pages' internal
metadata, `--show-settings` with every configuration key."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from logcheck.interfaces.cli import main
from logcheck.rules.registry import all_rules
from logcheck.settings.model import KNOWN_KEYS

BAD = "import logging\nlogging.warn('x')\n"
TEMPLATE = "https://git.example.com/logcheck/blob/main/rules/{code}.md"


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "mod.py").write_text(BAD)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _page_of(url: str) -> Path:
    parsed = urlparse(url)
    assert parsed.scheme == "file", url
    return Path(unquote(parsed.path))


def test_json_and_sarif_link_pages_that_exist(project, capsys):
    assert main(["-n", "--output-format", "json", "mod.py"]) == 1
    for item in json.loads(capsys.readouterr()[0]):
        page = _page_of(item["url"])
        assert page.is_file() and page.read_text(encoding="utf-8").startswith(f"# {item['code']} ")
    assert main(["-n", "--output-format", "sarif", "mod.py"]) == 1
    rules = json.loads(capsys.readouterr()[0])["runs"][0]["tool"]["driver"]["rules"]
    assert {r["id"] for r in rules} == set(all_rules())
    for rule in rules:
        assert _page_of(rule["helpUri"]).name == f"{rule['id']}.md" and _page_of(rule["helpUri"]).is_file()


def test_rule_url_setting_is_the_link(project, capsys):
    (project / "pyproject.toml").write_text(f'[tool.logcheck]\nrule-url = "{TEMPLATE}"\n')
    assert main(["-n", "--output-format", "json", "mod.py"]) == 1
    assert [d["url"] for d in json.loads(capsys.readouterr()[0])] == [
        TEMPLATE.replace("{code}", "LC101"), TEMPLATE.replace("{code}", "LC301")]
    assert main(["-n", "--output-format", "sarif", "mod.py"]) == 1
    rules = json.loads(capsys.readouterr()[0])["runs"][0]["tool"]["driver"]["rules"]
    assert {r["helpUri"] for r in rules} == {TEMPLATE.replace("{code}", code) for code in all_rules()}


def test_rule_url_without_a_code_placeholder_is_a_config_error(project, capsys):
    (project / "pyproject.toml").write_text('[tool.logcheck]\nrule-url = "https://example.com/rules"\n')
    assert main(["-n", "mod.py"]) == 2
    assert "`rule-url` must be a string with `{code}` in it" in capsys.readouterr()[1]


def test_no_output_links_a_documentation_site(project, capsys):
    for fmt in ("json", "sarif", "gitlab", "text", "full", "github", "junit"):
        main(["-n", "--output-format", fmt, "mod.py"])
        assert "readthedocs" not in capsys.readouterr()[0], fmt


@pytest.mark.parametrize("code", sorted(all_rules()))
def test_rule_page_without_internal_metadata(capsys, code):
    assert main(["rule", code]) == 0
    out = capsys.readouterr()[0]
    assert out.startswith(f"# {code} ") and "<!-- logcheck" not in out
    lines = (Path(__file__).resolve().parents[1] / "rules" / f"{code}.md").read_text(encoding="utf-8").splitlines(True)
    meta = [i for i, line in enumerate(lines) if line.startswith("<!-- logcheck: ")]
    for i in reversed(meta):  # the line and the blank line after it; everything else as written
        del lines[i:i + 2]
    assert out == "".join(lines)


def test_show_settings_prints_every_key(project, capsys):
    assert main(["--show-settings", "."]) == 0
    out = capsys.readouterr()[0]
    table = out.split("[tool.logcheck]\n", 1)[1].split("\n[tool.logcheck.policy]", 1)[0]
    shown = set(re.findall(r"^(?:# )?([a-z-]+)(?: = | is not set)", table, re.M)) - {"enabled"}
    assert shown == set(KNOWN_KEYS - {"policy"})
    assert "[tool.logcheck.policy]" in out
