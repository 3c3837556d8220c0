"""Errors that end a run with exit status 2 (usage, configuration)."""


class ConfigError(Exception):
    """A configuration or usage error; the message names the file, key and value."""


def install_hint(extra: str) -> str:
    """How to install one of logcheck's extras: logcheck is not on PyPI, so from a clone."""
    return f"logcheck is not on PyPI: in a clone of its repository, run pip install -e '.[{extra}]'"
