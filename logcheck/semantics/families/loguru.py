"""loguru: one `logger` object, `{}` messages formatted with `str.format` (only when
arguments or keyword arguments are given), keyword arguments captured into `extra`.

Sources: loguru's documentation (`Logger.opt`, `bind`, `patch`, `contextualize`, `add`,
`remove`, `configure`) and `loguru/_logger.py` of 0.7."""

from logcheck.semantics.families.model import BRACE, Family

FAMILY = Family(
    name="loguru",
    modules=frozenset({"loguru"}),
    loggers=frozenset({"loguru.logger", "loguru._logger.logger"}),
    factories=frozenset(),
    derivations=frozenset({"bind", "opt", "patch"}),
    context_managers=frozenset({"contextualize", "catch"}),
    binds=frozenset({"bind", "contextualize"}),
    methods=frozenset({"trace", "debug", "info", "success", "warning", "error", "exception", "critical", "log"}),
    levels=("TRACE", "DEBUG", "INFO", "SUCCESS", "WARNING", "ERROR", "CRITICAL"),
    message_style=BRACE,
    keywords=frozenset(),
    keyword_data=True,
    exception_keyword="",
    exception_option="exception",
    # loguru 0.7 formats the missing exception as the standard library does
    no_exception_effect="the traceback reads `NoneType: None`",
    aliases={},
    missing_methods={"warn": "warning", "fatal": "critical", "getLogger": "", "getChild": "", "setLevel": "",
                     "addHandler": "", "removeHandler": "", "isEnabledFor": ""},
    # `record=True` formats every message (with the record as a keyword), `ansi` is `colors`
    formatting_options=frozenset({"lazy", "colors", "ansi", "raw", "capture", "record"}),
    configuration_methods=frozenset({"add", "remove", "configure"}),
)
