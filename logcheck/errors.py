"""Errors that end a run with exit status 2 (usage, configuration)."""


class ConfigError(Exception):
    """A configuration or usage error; the message names the file, key and value."""
