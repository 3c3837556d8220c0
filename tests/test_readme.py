"""The README cannot drift from the code: its first two commands, its rule table (generated
from the registry), its CLI reference and its configuration reference.

Regenerate the rule table with `python tests/test_readme.py --update`."""

from __future__ import annotations

import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
BEGIN = "<!-- rules:begin (generated from `logcheck rules`; tests/test_readme.py checks it) -->\n"
END = "<!-- rules:end -->\n"
PEERS_BEGIN = "<!-- peers:begin (generated from logcheck/lint/peers.py; tests/test_readme.py checks it) -->\n"
PEERS_END = "<!-- peers:end -->\n"
HEAD = (
    "# logcheck\n\n```sh\n"
    "python -m pip install . && logcheck examples/\n"
    "python -m pip install -e '.[test]' && python -m pytest\n"
    "```\n"
)


def rule_table() -> str:
    from logcheck.rules import registry

    from logcheck.rules.preview import PREVIEW, PREVIEW_FAMILIES

    lines = ["| code | name | default | fix |", "|---|---|---|---|"]
    for code, rule in registry.all_rules().items():
        default = "preview" if code in PREVIEW else "on" if rule.default else "off"
        if code in PREVIEW_FAMILIES:
            default += f" ({', '.join(sorted(PREVIEW_FAMILIES[code]))}: preview)"
        lines.append(f"| [{code}](rules/{code}.md) | {rule.name} | {default} | {rule.fix} |")
    return "\n".join(lines) + "\n"


def peer_table() -> str:
    """The peer-code table, from the one mapping that # noqa, --select and `logcheck rule` use."""
    from logcheck.lint.peers import table_rows

    lines = ["| peer code | peer rule (tools) | logcheck | note |", "|---|---|---|---|"]
    for code, label, lc, note in table_rows():
        links = ", ".join(f"[{c}](rules/{c}.md)" for c in lc.split(", "))
        lines.append(f"| `{code}` | {label} | {links} | {note} |")
    return "\n".join(lines) + "\n"


def _split(text: str, begin: str = BEGIN, end_marker: str = END):
    start = text.index(begin) + len(begin)
    end = text.index(end_marker, start)
    return text[:start], text[start:end], text[end:]


def test_readme_starts_with_the_two_commands():
    assert README.read_text(encoding="utf-8").startswith(HEAD)


def test_rule_table_matches_registry():
    _, table, _ = _split(README.read_text(encoding="utf-8"))
    assert table == rule_table(), "README rule table is stale: run `python tests/test_readme.py --update`"


def test_peer_table_matches_the_mapping():
    _, table, _ = _split(README.read_text(encoding="utf-8"), PEERS_BEGIN, PEERS_END)
    assert table == peer_table(), "README peer-code table is stale: run `python tests/test_readme.py --update`"


def test_every_rule_has_a_page_linked_from_the_table():
    from logcheck.rules import registry

    for code in registry.all_rules():
        assert (REPO / "rules" / f"{code}.md").is_file(), code


EXAMPLE = "<!-- example: tests/test_readme.py runs these commands and compares"


def _examples() -> list:
    """(command, expected lines) for every `$ logcheck ...` line in the README's console
    blocks marked as examples; `...` in the expected lines stands for lines left out."""
    text = README.read_text(encoding="utf-8")
    out = []
    for block in re.findall(re.escape(EXAMPLE) + r"[^\n]*\n```console\n(.*?)```", text, re.S):
        for chunk in re.split(r"^(?=\$ )", block, flags=re.M):
            if chunk.strip():
                command, *expected = chunk.splitlines()
                out.append((command[2:].split("  #")[0].strip(), expected))
    return out


def _matches(expected: list, actual: list) -> bool:
    """Whether `actual` is `expected` with each `...` standing for any lines (none too)."""
    pattern = "".join(r"(?:[^\n]*\n)*?" if line == "..." else re.escape(line + "\n") for line in expected)
    return re.fullmatch(pattern, "".join(line + "\n" for line in actual)) is not None


def test_readme_examples_are_what_the_tool_prints(tmp_path):
    """The example output in the README (counts included) is produced from examples/app."""
    import shlex
    import shutil
    import subprocess

    examples = _examples()
    assert len(examples) >= 4, examples
    shutil.copytree(REPO / "examples" / "app", tmp_path / "examples" / "app")
    for command, expected in examples:
        cwd = tmp_path
        if command.startswith("cd "):
            folder, command = command[3:].split(" && ", 1)
            cwd = tmp_path / folder
        argv = shlex.split(command)
        assert argv[0] == "logcheck", command
        proc = subprocess.run([sys.executable, "-m", "logcheck", "--no-cache", *argv[1:]], cwd=cwd,
                              capture_output=True, text=True, timeout=300)
        assert proc.returncode == 1, (command, proc.stderr)
        assert _matches(expected, proc.stdout.splitlines()), (
            f"README example `{command}` drifted; the tool prints:\n{proc.stdout}")


def test_example_matching_can_fail():
    assert _matches(["a", "...", "c"], ["a", "b", "b", "c"])
    assert not _matches(["a", "...", "c"], ["a", "b", "c", "d"])
    assert not _matches(["a", "c"], ["a", "b", "c"])
    assert _matches(["...", "b", "..."], ["a", "b", "c"])


def test_install_lines_work_without_pypi():
    """logcheck is not on PyPI: no install line names `logcheck[extra]` by itself (pip would
    look it up on PyPI), only from a clone (`-e '.[yaml]'`) or a git URL (`logcheck[yaml] @
    git+...`), the editor section and the YAML reader's message included."""
    from logcheck.workspace.config_files import YAML_MISSING

    text = README.read_text(encoding="utf-8")
    for hint in [*re.findall(r"pip install [^\n`]*", text), YAML_MISSING]:
        assert not re.search(r"""['"]?logcheck\[\w+\]['"]?(?!\s*@)""", hint), hint


def test_every_command_line_option_is_documented():
    from logcheck.interfaces.cli import build_parser

    text = README.read_text(encoding="utf-8")
    options = [s for action in build_parser()._actions for s in action.option_strings
               if s.startswith("--") and s != "--help"]
    missing = [o for o in options if f"`{o}" not in text]
    assert not missing, f"options missing from README.md: {missing}"


def test_every_configuration_key_is_documented():
    from logcheck.settings.model import KNOWN_KEYS

    text = README.read_text(encoding="utf-8")
    missing = [k for k in sorted(KNOWN_KEYS) if f"| `{k}` |" not in text]
    assert not missing, f"[tool.logcheck] keys missing from README.md: {missing}"


def test_precommit_snippet_names_the_hooks():
    text = README.read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(repos:.*?)```", text, re.S)
    assert block, "README needs a .pre-commit-config.yaml snippet"
    snippet = block.group(1)
    for word in ("repo:", "rev:", "hooks:", "- id: logcheck"):
        assert word in snippet
    hooks_file = REPO / ".pre-commit-hooks.yaml"
    if hooks_file.is_file():
        ids = re.findall(r"^- id: (\S+)", hooks_file.read_text(encoding="utf-8"), re.M)
        for hook in re.findall(r"id: (logcheck[\w-]*)", snippet):
            assert hook in ids, f"README names hook {hook!r}, .pre-commit-hooks.yaml has {ids}"


CONFIG_CODES = {f"LC5{n:02d}" for n in range(1, 13)}


def _codes_reported(*args: str) -> set:
    import subprocess

    proc = subprocess.run([sys.executable, "-m", "logcheck", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 1 and proc.stderr == "", proc.stderr
    return {line.split()[1] for line in proc.stdout.splitlines() if line.startswith("examples/")}


def test_config_examples_show_every_lc5xx_rule_as_the_readme_says():
    text = " ".join(README.read_text(encoding="utf-8").split())
    assert "`logcheck examples/config examples/lambda` shows each of them except LC507 and LC512" in text
    assert ("`logcheck --extend-select LC507,LC512 examples/config examples/lambda` shows those two as well, "
            "and then a call LC507 reports is that one finding (not also LC504 or LC510") in text
    assert _codes_reported("examples/config", "examples/lambda") & CONFIG_CODES == CONFIG_CODES - {"LC507", "LC512"}
    extended = _codes_reported("--extend-select", "LC507,LC512", "examples/config", "examples/lambda")
    assert extended & CONFIG_CODES == CONFIG_CODES - {"LC504", "LC510"}


def update() -> None:
    before, _, after = _split(README.read_text(encoding="utf-8"))
    text = before + rule_table() + after
    before, _, after = _split(text, PEERS_BEGIN, PEERS_END)
    README.write_text(before + peer_table() + after, encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:] == ["--update"]:
        sys.path.insert(0, str(REPO))
        update()
    else:
        print(__doc__)
