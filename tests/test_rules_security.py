"""LC601 secret-in-log."""

from __future__ import annotations

import pytest
from helpers import check, codes

from logcheck.rules.security import secret_match, words
from logcheck.settings.model import DEFAULT_SECRET_NAMES

SECRETS = [tuple(words(s)) for s in DEFAULT_SECRET_NAMES]


def test_words():
    assert words("userPassword") == ["user", "password"]
    assert words("API_KEY") == ["api", "key"]
    assert words("HTTPCookieJar") == ["http", "cookie", "jar"]
    assert words("_private_key") == ["private", "key"]


@pytest.mark.parametrize("name", [
    "password", "user_password", "PASSWORD", "passwd", "pwd", "client_secret", "SECRET_KEY", "auth_token",
    "token", "apiKey", "api_key", "API_KEY", "apikey", "access_key", "aws_access_key", "private_key",
    "credentials", "db_credential", "auth", "session_id", "sessionId", "cookie", "cookies", "refresh_token",
    # any word before the secret qualifies it, the secret stays the head noun
    "current_password", "input_password", "first_api_key", "last_secret", "new_password", "old_password",
    "current_token", "next_password", "page_secret", "basic_auth", "proxy_auth",
    # words after it that name the secret's own value
    "secret_key", "token_value", "password_bytes", "api_key_str",
    # a describing word before a later secret word: still the head noun
    "token_from_refresh_token", "HTTP_Cookie", "__password__",
])
def test_secret_names_match(name):
    assert secret_match(name, SECRETS) is not None


@pytest.mark.parametrize("name", [
    "tokenizer", "author", "oauth_flow", "token_count", "tokens_used", "max_tokens", "num_tokens",
    "password_policy", "cookie_name", "has_password", "is_secret", "token_type", "session", "key",
    "passport", "user", "authority", "secretary", "token_url", "password_length", "next_token",
    "page_token", "_starting_token", "_requested_auth_scheme", "token_bucket",
    # a secret word that is not the head noun
    "auth_manager_cls", "auth_managers_not_defined_cli", "auth_type", "password_hash", "api_key_id",
    "secret_name", "token_expired", "cookie_jar",
    # listed compounds: pagination, parser and language-model tokens, CSRF tokens
    "next_page_token", "NextToken", "continuation_token", "eos_token", "completion_tokens", "csrf_token",
    "page_tokens", "next_page_tokens",
])
def test_lookalikes_do_not_match(name):
    assert secret_match(name, SECRETS) is None


CASES_FLAGGED = [
    'logger.info("login %s %s", user, password)',
    'logger.info("key %s", self.api_key)',
    'logger.info("t %s", creds["token"])',
    'logger.info(f"auth with {auth_token}")',
    'logger.info("x", extra={"password": value})',
    'logger.info("x", extra={"user": user_password})',
    'logger.info("x", extra=dict(secret=value))',
    'logger.info("x %s", str(secret))',
    'logger.info("k {}".format(cookie))',
    'logger.info("k %s" % passwd)',
    'logger.info("k %s" % (user, passwd))',
    'logger.info(password)',
    'logger.info("db %s", settings.DATABASE.password)',
    'logger.info("pw %s", password.strip())',
    'logger.info("login " + password)',
    'logger.debug("payload %s", {"token": value})',
    'logger.debug("first %s", tokens[0])',
    'logger.debug("pw %s", passwords[user])',
    'logger.log(logging.INFO, "t %s", token)',
    'logging.warning("t %s", token)',
    'logger.info("x %s %s", *(user, token))',
    'logger.info(msg=f"x {token}")',
    'logger.info("x", extra={"user": 1, **credentials})',
    'logger.info("x", extra=credentials)',
    'logger.info("x %s", creds["ApiKey"])',  # a CapWords key is a key, not a class
]


@pytest.mark.parametrize("line", [
    'logger.info("x %s", current_password)',
    'logger.info("x %s", input_password)',
    'logger.info("x %s", first_api_key)',
    'logger.info("x %s", last_secret)',
    'logger.info("x %s", self.current_password)',
    'logger.info("x %s", API_KEY)',
])
def test_lc601_flags_qualified_secrets(line):
    source = f"import logging\nlogger = logging.getLogger(__name__)\n{line}\n"
    assert [(d.code, d.row) for d in check(source, ["LC601"])] == [("LC601", 3)]


def test_lc601_a_function_or_class_is_not_a_secret():
    source = """\
    import logging
    logger = logging.getLogger(__name__)
    def get_token():
        return "t"
    class Token:
        pass
    logger.info("using %s and %s", get_token, Token)
    """
    assert codes(source, ["LC601"]) == []


@pytest.mark.parametrize("binding", [
    "get_token = get_token()",
    "get_token, other = load()",
    "[*get_token] = load()",
    "for get_token in tokens: pass",
    "with open_vault() as get_token: pass",
    "from vault import get_token",
    "import get_token",
    "import get_token.keys",
    "*get_token, last = load()",
    "def use(get_token): pass",
    "get_token += 1",
])
def test_lc601_a_name_bound_otherwise_besides_def_is_still_checked(binding):
    source = f"""\
import logging
logger = logging.getLogger(__name__)
def get_token():
    return "t"
{binding}
logger.info("using %s", get_token)
"""
    assert codes(source, ["LC601"], dedent=False) == ["LC601"], binding


def test_lc601_extra_keys_are_all_checked_and_named():
    source = """\
    import logging
    logger = logging.getLogger(__name__)
    logger.info("x", extra={"password": token, "user": auth_token, name: api_key})
    logger.info("x", extra=dict(secret=value, user=refresh_token))
    """
    assert [(d.row, d.col, d.message) for d in check(source, ["LC601"])] == [
        (3, 25, "extra key 'password' looks like a secret (`password`) passed to a logger call; "
                "credentials end up in log storage"),
        (3, 52, "`auth_token` looks like a secret (`token`) passed to a logger call; credentials end up in log storage"),
        (3, 70, "`api_key` looks like a secret (`api_key`) passed to a logger call; credentials end up in log storage"),
        (4, 29, "extra key 'secret' looks like a secret (`secret`) passed to a logger call; "
                "credentials end up in log storage"),
        (4, 48, "`refresh_token` looks like a secret (`token`) passed to a logger call; "
                "credentials end up in log storage"),
    ]


def test_lc601_a_function_name_also_assigned_may_hold_a_secret():
    source = """\
    import logging
    logger = logging.getLogger(__name__)
    def get_token():
        return "t"
    get_token = get_token()
    logger.info("using %s", get_token)
    """
    assert [(d.row, d.message) for d in check(source, ["LC601"])] == [
        (6, "`get_token` looks like a secret (`token`) passed to a logger call; credentials end up in log storage")]


@pytest.mark.parametrize("line", CASES_FLAGGED)
def test_lc601_flags(line):
    source = f"import logging\nlogger = logging.getLogger(__name__)\n{line}\n"
    assert codes(source, ["LC601"]) == ["LC601"]


CASES_CLEAN = [
    'logger.info("password reset for %s", user)',
    'logger.info("token expired")',
    'logger.info("n=%d", token_count)',
    'logger.info("x %s", mask(password))',
    'logger.info("x %s", len(token))',
    'logger.info("x %s", hash_secret(password))',
    'logger.info("x %s", token.expiry)',
    'logger.info("x %s", user.name)',
    'logger.error("failed", exc_info=token_error)',
    'other.info("x %s", password)',
    'print(password)',
    'logger.info("x %s", tokenizer)',
    'logger.info("x %s", credentials["expiry_time"])',
    'logger.info("x %s", self._token_bucket.available_capacity)',
    'logger.info("x %s", self.api_key_id)',
    # values that cannot be secrets: classes, functions, booleans, counts
    'logger.info("x %s", AuthToken)',
    'logger.info("x %s", auth_manager_cls)',
    'logger.info("x %s", token is None)',
    'logger.info("x %s", not password)',
    'logger.info("x %s", bool(token))',
    'logger.info("x %s", len(password))',
    'logger.info("x %s", password_length)',
    'logger.info("x %s", next_token)',
    'logger.info("x %s", page_token)',
]


@pytest.mark.parametrize("line", CASES_CLEAN)
def test_lc601_clean(line):
    source = f"import logging\nlogger = logging.getLogger(__name__)\n{line}\n"
    assert codes(source, ["LC601"]) == []


def test_lc601_position_and_message():
    source = 'import logging\nlogger = logging.getLogger(__name__)\nlogger.info("u=%s", self.api_key)\n'
    found = check(source, ["LC601"])
    assert (found[0].row, found[0].col) == (3, 21)
    assert "self.api_key" in found[0].message and "api_key" in found[0].message


def test_lc601_secret_names_setting():
    source = 'import logging\nlogger = logging.getLogger(__name__)\nlogger.info("%s %s", ssn, password)\n'
    found = check(source, ["LC601"], settings={"secret-names": ["ssn"]})
    assert [d.message.split()[0] for d in found] == ["`ssn`"]


def test_a_configured_secret_word_is_reported_even_when_it_is_also_a_prefix_word():
    assert secret_match("max", [("max",)]) == "max"


def test_lc601_walks_every_part_of_an_argument():
    source = """\
    import logging
    logger = logging.getLogger(__name__)
    logger.info("x", exc_info=False, extra={"password": p})
    logger.info("x %s", creds["token"])
    logger.info("x %s", {"password": 1, "user": token})
    logger.info(secret.format(user))
    logger.info("x %s", f"{password}" "suffix")
    logger.info("x %s", password + suffix)
    logger.info("x %s", password if a else None)
    logger.info("x %s", password or default)
    logger.info("x %s", [*tokens])
    logger.info("x %s", "prefix" f"{password}")
    logger.info("x %s", None if a else password)
    logger.info("x %s", default or password)
    """
    message = "looks like a secret ({}) passed to a logger call; credentials end up in log storage"
    assert [(d.row, d.message) for d in check(source, ["LC601"])] == [
        (3, "extra key 'password' " + message.format("`password`")),
        (4, "key 'token' " + message.format("`token`")),
        (5, "key 'password' " + message.format("`password`")),
        (5, "`token` " + message.format("`token`")),
        (6, "`secret` " + message.format("`secret`")),
        (7, "`password` " + message.format("`password`")),
        (8, "`password` " + message.format("`password`")),
        (9, "`password` " + message.format("`password`")),
        (10, "`password` " + message.format("`password`")),
        (11, "`tokens` " + message.format("`token`")),
        (12, "`password` " + message.format("`password`")),
        (13, "`password` " + message.format("`password`")),
        (14, "`password` " + message.format("`password`")),
    ]


# --------------------------------------------------------------------------- by value, not by word

_BY_VALUE_HEAD = "import enum, logging, uuid\nimport uuid as u\nlogger = logging.getLogger(__name__)\n"


@pytest.mark.parametrize("binding, name", [
    ("session_id = 0", "session_id"),                               # an int
    ("session_id = -1", "session_id"),
    ("has_token = True", "token"),                                  # a bool (bound as `token`)
    ("token = a == b", "token"),                                    # a comparison
    ("token = not ready", "token"),
    ("borrowed_tokens = 0\nborrowed_tokens += 1", "borrowed_tokens"),  # a count
    ("tokens = len(items)", "tokens"),
    ("tokens = len(items) + 1", "tokens"),
    ("slot_token = uuid.uuid4()", "slot_token"),                     # a fresh random identifier
    ("slot_token = u.uuid4()", "slot_token"),
    ("slot_token = str(uuid.uuid4())", "slot_token"),
    ("slot_token = uuid.uuid4().hex", "slot_token"),
    ("class Kind(enum.IntEnum):\n    FETCH = 1\napi_key = Kind.FETCH", "api_key"),  # an enum member
    ("API_KEY = 18\napi_key = API_KEY", "api_key"),                  # a protocol constant
    ("api_key: int = read()", "api_key"),                           # annotated
    ("session_id = None\nsession_id = 4", "session_id"),            # `None` says nothing
])
def test_lc601_silent_when_the_code_shows_a_plain_value(binding, name):
    binding = binding.replace("has_token", "token")
    source = _BY_VALUE_HEAD + binding + f"\nlogger.info('%s', {name})\n"
    assert codes(source, ["LC601"], dedent=False) == [], source


@pytest.mark.parametrize("source", [
    "def f(session_id: int):\n    logger.info('%s', session_id)\n",      # an annotated parameter
    "def f(token=0):\n    logger.info('%s', token)\n",                    # a number default
    "class Req:\n    api_key = 3\n    def send(self):\n        logger.info('%s', self.api_key)\n",
    "class Req:\n    def __init__(self):\n        self.tokens = 0\n    def add(self):\n"
    "        logger.info('%s', self.tokens)\n",
])
def test_lc601_silent_for_plain_parameters_and_attributes(source):
    assert codes(_BY_VALUE_HEAD + source, ["LC601"], dedent=False) == []


@pytest.mark.parametrize("source", [
    "token = read()\nlogger.info('%s', token)\n",                     # not shown: the name decides
    "token = 0\ntoken = read()\nlogger.info('%s', token)\n",          # one binding not plain
    "def f(token):\n    logger.info('%s', token)\n",
    "def f(password: str):\n    logger.info('%s', password)\n",
    "for token in tokens_of(x):\n    logger.info('%s', token)\n",
    "class Config:\n    API_KEY = 3\napi_key = Config.API_KEY\nlogger.info('%s', api_key)\n",  # not an enum
    # a secret through a call that keeps its content still is one
    "from binascii import hexlify\ndef f(passwd):\n    logger.info('%s', hexlify(passwd))\n",
    "import binascii\ndef f(passwd):\n    logger.info('%s', binascii.hexlify(passwd))\n",
    "import base64\ndef f(password):\n    logger.info('%s', base64.b64encode(password))\n",
    "def f(password):\n    logger.info('%s', str(password))\n",
    "def f(password):\n    logger.info('%s', password[:4])\n",
    "import json\ndef f(token):\n    logger.info('%s', json.dumps(token))\n",
])
def test_lc601_still_reports_what_the_code_does_not_show_plain(source):
    assert codes(_BY_VALUE_HEAD + source, ["LC601"], dedent=False) == ["LC601"], source
