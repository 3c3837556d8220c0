"""LC601 secret-in-log."""

from __future__ import annotations

import pytest

from helpers import check, codes
from logcheck.rules.security import secret_match, words
from logcheck.settings import DEFAULT_SECRET_NAMES

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
])
def test_secret_names_match(name):
    assert secret_match(name, SECRETS) is not None


@pytest.mark.parametrize("name", [
    "tokenizer", "author", "oauth_flow", "token_count", "tokens_used", "max_tokens", "num_tokens",
    "password_policy", "cookie_name", "has_password", "is_secret", "token_type", "session", "key",
    "passport", "user", "authority", "secretary", "token_url", "password_length", "next_token",
    "page_token", "_starting_token", "_requested_auth_scheme", "token_bucket", "current_token",
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
]


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
