"""Non-Python files: logging configuration files (INI in `fileConfig` format; JSON, YAML and
TOML holding the dictConfig schema). Findings carry the file's own line and column;
`# noqa` / `; noqa` and `# logcheck: disable-file` work as in Python files. No fixes."""

from __future__ import annotations

import re
from pathlib import Path
from typing import List, Optional, Tuple

from logcheck.config_model.dotenv import is_dotenv_name
from logcheck.diagnostics import Diagnostic
from logcheck.errors import install_hint
from logcheck.rules.selection import codes_for

KINDS = {".ini": "ini", ".cfg": "ini", ".conf": "ini", ".json": "json", ".yaml": "yaml", ".yml": "yaml",
         ".toml": "toml"}
MAX_SIZE = 2_000_000
#: the environment variables whose values `_check_deployment` judges (LC801, LC806)
DEPLOYMENT_VARIABLES = ("POWERTOOLS_LOGGER_LOG_EVENT", "OTEL_PYTHON_LOG_CORRELATION")
YAML_MISSING = ("YAML logging configuration not checked: PyYAML is not installed "
                f"(`python -m pip install PyYAML`; {install_hint('yaml')})")

_WORDS = re.compile(r"\b(handlers|loggers|formatters|root)\b")
#: found by content: a section key and a `version` or handler `class` key, as JSON keys
#: (a double-quoted string before a colon). Service-model JSON files of thousands of lines
#: mention `root` or `class` in their values, not as keys; a file that names its handlers
#: only through `()` factories is read when `config-files` names it.
_JSON_KEYS = (re.compile(r'"(?:handlers|loggers|formatters|filters|root)"\s*:'),
              re.compile(r'"(?:version|class)"\s*:'))


def _text_looks_logging(kind: str, text: str) -> bool:
    """A cheap text test: could this file hold a logging configuration? Never false for
    a file the readers would find a configuration in."""
    if kind == "ini":
        from logcheck.config_model.readers import looks_like_ini_logging

        return looks_like_ini_logging(text)
    if kind == "json":
        return all(key.search(text) is not None for key in _JSON_KEYS)
    return re.search(r"\b(version|class)\b", text) is not None and _WORDS.search(text) is not None


def is_deployment_text(name: str, text: str) -> bool:
    from logcheck.config_model.deployment import is_deployment_text as test

    return test(name, text)


def _decode(data: bytes) -> Optional[str]:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _read(kind: str, text: str):
    """Configs in the text (raises ReadError / YamlUnavailable)."""
    from logcheck.config_model.dictconfig import find_dictconfigs, read_dictconfig
    from logcheck.config_model.readers import read_ini, read_text_tree

    if kind == "ini":
        return [read_ini(text)]
    tree = read_text_tree(kind, text)
    return [read_dictconfig(d, kind) for d in (find_dictconfigs(tree) if tree is not None else [])]


def check_config_file(display: str, data: bytes, settings, named: bool = False) -> Tuple[List[Diagnostic], List[str]]:
    """Diagnostics for a file that is not Python source, and one-line messages. A file with
    a configuration suffix that holds no logging configuration (a `pyproject.toml`, a
    `package.json`, a CI file: what pre-commit passes by name) is passed over silently,
    unless `config-files` names it (`named`): then the user said it is one."""
    from logcheck.config_model.checks import config_findings
    from logcheck.config_model.policy import DEPLOYMENT_CODES
    from logcheck.config_model.readers import ReadError, YamlUnavailable
    from logcheck.lint.suppression import Suppressions
    from logcheck.rules import registry
    from logcheck.source.parse import parse_error

    skipped = f"{display}: not a Python file or a logging configuration file; skipped"
    if is_dotenv_name(Path(display).name):
        text = _decode(data)
        if text is None:
            return [parse_error(display, "cannot decode as UTF-8")], []
        return _check_deployment(display, text, settings)
    kind = KINDS.get(Path(display).suffix.lower())
    if kind is None:
        return [], [skipped]
    text = _decode(data)
    if text is None:
        return [parse_error(display, "cannot decode as UTF-8")], []
    if kind in ("yaml", "json") and is_deployment_text(Path(display).name, text):
        return _check_deployment(display, text, settings)
    try:
        configs = _read(kind, text) if kind != "ini" or _text_looks_logging(kind, text) else []
    except YamlUnavailable:
        if named or _text_looks_logging(kind, text):
            return [], [f"{display}: {YAML_MISSING}"]
        return [], []
    except ReadError as exc:
        if named or _text_looks_logging(kind, text):
            return [parse_error(display, exc.message, exc.line, exc.col)], []
        return [], []
    except RecursionError:
        return [parse_error(display, "too deeply nested to read")], []
    if not configs:
        return [], [f"{display}: named in `config-files` but holds no logging configuration; skipped"] if named else []
    codes = codes_for(settings, Path(display))
    if not settings.is_deployed_path(Path(display)):
        codes = codes - DEPLOYMENT_CODES
    rules = registry.all_rules()
    suppressions = Suppressions(text, python=False)
    lines = text.splitlines()
    out: List[Diagnostic] = []
    seen = set()
    policy = settings.policy
    if not settings.is_library_path(Path(display)):
        policy = policy.for_application()  # a configuration shipped with an example, test or script
    for config in configs:
        for f in config_findings(config, policy, codes):
            row, col = f.loc.line, f.loc.col
            key = (f.code, row, col, f.message)
            rows = (row, _section_row(lines, row)) if kind == "ini" else (row,)
            if key in seen or f.code not in rules or suppressions.suppressed(f.code, rows):
                continue
            seen.add(key)
            out.append(Diagnostic(display, f.code, rules[f.code].name, f.message, row, col, row, col, None, row))
    if "LC807" in codes:
        from logcheck.rules.runtime.lc807_deprecated_logging_api import text_findings

        for row, col, message in text_findings(text):
            if not suppressions.suppressed("LC807", (row,)):
                out.append(Diagnostic(display, "LC807", rules["LC807"].name, message, row, col, row, col, None, row))
    out.sort(key=lambda d: d.sort_key)
    return out, []


def _check_deployment(display: str, text: str, settings) -> Tuple[List[Diagnostic], List[str]]:
    """Findings in a Lambda deployment file (SAM/CloudFormation template, serverless.yml,
    `.env`):
    the environment variables LC801 and LC806 are about, at their own line."""
    from logcheck.config_model.deployment import read_deployment
    from logcheck.config_model.readers import ReadError, YamlUnavailable
    from logcheck.lint.suppression import Suppressions
    from logcheck.rules import registry
    from logcheck.rules.runtime import lc801_lambda_log_event, lc806_trace_context_missing
    from logcheck.source.parse import parse_error

    try:
        deployment = read_deployment(Path(display), text)
    except YamlUnavailable:
        return [], [f"{display}: Lambda deployment file not checked: PyYAML is not installed "
                    "(install it with `pip install 'logcheck[yaml]'`)"]
    except ReadError as exc:
        return [parse_error(display, exc.message, exc.line, exc.col)], []
    except RecursionError:
        return [parse_error(display, "too deeply nested to read")], []
    if deployment is None:
        return [], []
    codes = codes_for(settings, Path(display))
    rules = registry.all_rules()
    suppressions = Suppressions(text, python=False)
    found = [("LC801", var, message) for var, message in lc801_lambda_log_event.deployment_findings(deployment)]
    found += [("LC806", var, message) for var, message in lc806_trace_context_missing.deployment_findings(deployment)]
    out = [Diagnostic(display, code, rules[code].name, message, var.line, var.col, var.line, var.col, None, var.line)
           for code, var, message in found
           if code in codes and not suppressions.suppressed(code, (var.line,))]
    out.sort(key=lambda d: d.sort_key)
    return out, []


def _section_row(lines: List[str], row: int) -> int:
    """The row of the `[section]` header above `row` in an INI file: an inline `; noqa`
    on a value line would become part of the value for fileConfig, so a noqa comment after
    the section header covers the whole section."""
    for i in range(min(row, len(lines)) - 1, -1, -1):
        if lines[i].startswith("["):
            return i + 1
    return row


def looks_like_logging_config(path) -> bool:
    """Whether a file found while scanning a folder holds a logging configuration."""
    from logcheck.config_model.readers import ReadError, YamlUnavailable

    path = Path(path)
    kind = KINDS.get(path.suffix.lower())
    if is_dotenv_name(path.name):
        kind = "dotenv"
    elif kind is None:
        return False
    try:
        if path.stat().st_size > MAX_SIZE:
            return False
        data = path.read_bytes()
    except OSError:
        return False
    text = _decode(data)
    if text is None:
        return False
    if kind in ("yaml", "json") and is_deployment_text(path.name, text):
        return True  # a Lambda deployment file: LC801/LC806 read its environment
    if kind == "dotenv":
        return any(variable in text for variable in DEPLOYMENT_VARIABLES)
    if not _text_looks_logging(kind, text):
        return False
    if kind == "ini":
        return True
    try:
        if kind == "json" and not _json_may_hold_dictconfig(text):
            return False
        return bool(_read(kind, text))
    except (ReadError, YamlUnavailable):
        return True  # reported: a parse error (LC000) or the missing-PyYAML message
    except RecursionError:
        return False


def _json_may_hold_dictconfig(text: str) -> bool:
    """False only for valid JSON that certainly holds no dictConfig mapping (the same
    search on the tree without positions; invalid JSON goes on to the reader, which
    reports where it breaks)."""
    from logcheck.config_model.dictconfig import find_dictconfigs
    from logcheck.config_model.readers import read_json_shape

    try:
        return bool(find_dictconfigs(read_json_shape(text)))
    except ValueError:
        return True
