"""The fixes the configuration rules offer: each one's title and applicability, as the rule
pages give them (LC502, LC506 unsafe; LC510 and LC508's `ext://` stream safe), and where no
fix is offered though the finding stands (the pages' "No fix for ...")."""

from __future__ import annotations

import pytest

from helpers import check, fix, offered, plain_id

ROTATE = "Use RotatingFileHandler (maxBytes=10485760, backupCount=5)"
DICT_HANDLER = ("import logging.config\nlogging.config.dictConfig({'version': 1, 'handlers': {'f': %s},"
                " 'root': {'handlers': ['f']}})\n")

CASES = [
    # LC510: adds force=True, safe
    ("import logging\nlogging.basicConfig(level='INFO')\n", "LC510", ("safe", "Add `force=True`")),
    # LC506: fileConfig keyword and dictConfig key, both unsafe
    ("import logging.config\nlogging.config.fileConfig('x.ini')\n", "LC506",
     ("unsafe", "Add `disable_existing_loggers=False`")),
    ("import logging.config\nlogging.config.dictConfig({'version': 1, 'handlers': {}})\n", "LC506",
     ("unsafe", 'Add `"disable_existing_loggers": False`')),
    # LC502 in a dict: unsafe; no fix when the dict unpacks another or names maxBytes already
    (DICT_HANDLER % "{'class': 'logging.FileHandler', 'filename': 'a.log'}", "LC502", ("unsafe", ROTATE)),
    (DICT_HANDLER % "{'class': 'logging.FileHandler', 'filename': 'a.log', **extra}", "LC502", None),
    # LC502 on a constructor: the import is added (and said) only when the module has none
    ("import logging\nh = logging.FileHandler('a.log')\nlogging.getLogger().addHandler(h)\n", "LC502",
     ("unsafe", ROTATE + " and import logging.handlers")),
    ("import logging\nimport logging.handlers\nh = logging.FileHandler('a.log')\nlogging.getLogger().addHandler(h)\n",
     "LC502", ("unsafe", ROTATE)),
    ("import logging\nh = logging.FileHandler('a.log', 'a', 'utf-8')\nlogging.getLogger().addHandler(h)\n",
     "LC502", None),
    # LC508: a `stream` string dictConfig keeps as a string: the ext:// form, safe; none when
    # the literal's text is not its value (an escape)
    (DICT_HANDLER % "{'class': 'logging.StreamHandler', 'stream': 'sys.stdout'}", "LC508",
     ("safe", "Use 'ext://sys.stdout'")),
    (DICT_HANDLER % "{'class': 'logging.StreamHandler', 'stream': 'sys\\x2estdout'}", "LC508", None),
]


@pytest.mark.parametrize("source, code, expected", CASES, ids=[plain_id(c[0])[-60:] + " " + c[1] for c in CASES])
def test_the_fix_offered(source, code, expected):
    found = [d for d in check(source, [code], settings={"preview": True}, dedent=False) if d.code == code]
    assert len(found) == 1
    assert offered(found[0]) == expected


def test_the_safe_fixes_are_applied_without_unsafe_fixes_and_the_unsafe_only_with():
    source = "import logging.config\nlogging.config.fileConfig('x.ini')\n"
    assert fix(source, ["LC506"], settings={"preview": True}, dedent=False) == source
    assert fix(source, ["LC506"], settings={"preview": True}, dedent=False, unsafe=True) == \
        "import logging.config\nlogging.config.fileConfig('x.ini', disable_existing_loggers=False)\n"
    forced = "import logging\nlogging.basicConfig(level='INFO')\n"
    assert fix(forced, ["LC510"], settings={"preview": True}, dedent=False) == \
        "import logging\nlogging.basicConfig(level='INFO', force=True)\n"
    stream = DICT_HANDLER % "{'class': 'logging.StreamHandler', 'stream': 'sys.stderr'}"
    assert fix(stream, ["LC508"], settings={"preview": True}, dedent=False) == stream.replace(
        "'sys.stderr'", "'ext://sys.stderr'")


@pytest.mark.parametrize("elsewhere, reported", [
    ("", True),
    ("logging.getLogger().setLevel(logging.INFO)\n", False),
    ("logging.basicConfig(level=logging.INFO)\n", False),
])
def test_a_root_level_set_elsewhere_in_the_file_answers_lc505(elsewhere, reported):
    """LC505 on a dictConfig with no root level: not when the module sets the root's level
    another way (the model's `root_level_set`, passed to every configuration's checks)."""
    source = ("import logging, logging.config\nlogging.config.dictConfig({'version': 1, 'handlers': "
              "{'h': {'class': 'logging.StreamHandler'}}, 'root': {'handlers': ['h']}})\n") + elsewhere
    found = [(d.code, d.row) for d in check(source, ["LC505"], settings={"preview": True}, dedent=False)]
    assert found == ([("LC505", 2)] if reported else [])
