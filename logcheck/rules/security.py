"""LC601: secrets passed to logger calls.

Matching works on identifier *words*, not raw substrings: an identifier is split on `_` and
camelCase boundaries and lower-cased (`userPassword` -> `user password`, `API_KEY` -> `api
key`), and a secret name (also split: `api_key` -> `api key`) matches when its words occur
as a contiguous run, each word equal or plural (`credentials` matches `credential`). So
`auth_token`, `self.api_key`, `creds["token"]` and `clientSecret` match, while
`tokenizer`, `author`, `oauth` do not. Names that describe a secret without holding it are
skipped: a last word such as `count`, `len`, `length`, `name`, `type`, `url`, `policy`,
`expiry`, `scheme` (`token_count`, `password_policy`, `cookie_name`), a first word such as
`is`, `has`, `num`, `max` (`has_password`, `max_tokens`), or a qualifier right before the
secret word that makes it a pagination or parser token (`next_token`, `page_token`,
`current_token`). For attributes only the last name counts (`self._token_bucket.capacity`
is not a secret), and a subscript with a literal key is judged by its key
(`credentials["expiry_time"]` is not a secret, `creds["token"]` is).

Checked: every argument of a logger call except the literal text of the message: the
format arguments, the expressions of an f-string message, the arguments of a
`"...".format(...)` or `"..." % (...)` message, a message that is itself an expression,
and the keys and values of `extra=`. Calls are not looked into (`mask(password)`,
`len(token)` do not log the secret), except `str()`, `repr()`, `format()` and `.format()`.
"""

from __future__ import annotations

import re
from typing import FrozenSet, List, Optional, Sequence, Tuple

import libcst as cst

from logcheck.loggers import dotted_name, string_value
from logcheck.rule import Rule

_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z0-9]+|[A-Z]+")

#: last words of names that describe a secret rather than hold it
NON_SECRET_SUFFIXES: FrozenSet[str] = frozenset({
    "count", "counts", "len", "length", "size", "num", "number", "type", "types", "kind", "name",
    "names", "policy", "policies", "url", "uri", "urls", "endpoint", "path", "file", "filename",
    "dir", "field", "fields", "expiry", "expires", "expiration", "ttl", "timeout", "age",
    "valid", "validity", "required", "enabled", "disabled", "set", "changed", "updated", "reset",
    "hint", "format", "pattern", "regex", "label", "used", "limit", "method", "methods",
    "strength", "provider", "backend", "class", "version", "mode", "status", "error", "errors",
    "attempts", "retries", "prompt", "id", "ids", "scheme", "schemes", "realm", "domain", "host",
    "hosts", "server", "service", "plugin", "handler", "manager", "config", "settings", "options",
    "flow", "state", "store", "cache", "location", "env", "var", "bucket", "budget", "capacity",
    "index", "position", "pos", "offset", "start", "end", "span", "spans", "usage",
})
#: words that, right before a secret word, name something that is not a credential:
#: pagination and parser tokens (`next_token`, `page_token`, `current_token`)
NON_SECRET_QUALIFIERS: FrozenSet[str] = frozenset({
    "next", "page", "continuation", "starting", "start", "sync", "cancel", "cancellation",
    "pagination", "paging", "resume", "current", "last", "prev", "previous", "first", "bos", "eos",
    "pad", "unk", "special", "input", "output", "prompt", "completion", "end", "sep", "mask",
})
#: first words of names that describe a secret rather than hold it
NON_SECRET_PREFIXES: FrozenSet[str] = frozenset({
    "is", "has", "num", "n", "max", "min", "should", "can", "use", "uses", "needs", "total", "no",
})


def words(identifier: str) -> List[str]:
    out: List[str] = []
    for part in identifier.split("_"):
        out.extend(w.lower() for w in _CAMEL.findall(part))
    return out


def secret_match(identifier: str, secret_names: Sequence[Tuple[str, ...]]) -> Optional[str]:
    """The secret name that `identifier` matches (see the module docstring), or None."""
    ws = words(identifier)
    if not ws:
        return None
    for secret in secret_names:
        n = len(secret)
        for i in range(len(ws) - n + 1):
            window = ws[i:i + n]
            if all(w == s or w == s + "s" for w, s in zip(window, secret)):
                # the secret words may be followed only by more secret-ish words, not by a
                # describing suffix (`token_count`), nor preceded by a describing prefix
                if ws[-1] in NON_SECRET_SUFFIXES and i + n < len(ws):
                    continue
                if ws[0] in NON_SECRET_PREFIXES and i > 0:
                    continue
                if i > 0 and ws[i - 1] in NON_SECRET_QUALIFIERS:
                    continue
                return "_".join(secret)
    return None


_TRANSPARENT_CALLS = frozenset({"str", "repr", "format", "ascii"})


class SecretInLog(Rule):
    code = "LC601"
    name = "secret-in-log"
    message = "A secret may be logged; credentials end up in log storage"
    uses_logger_calls = True

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._secrets: Optional[List[Tuple[str, ...]]] = None

    @property
    def secrets(self) -> List[Tuple[str, ...]]:
        if self._secrets is None:
            self._secrets = [tuple(words(s)) for s in self.ctx.settings.secret_names if words(s)]
        return self._secrets

    def visit_Call(self, node: cst.Call) -> None:
        call = self.ctx.logger_call(node)
        if call is None:
            return
        message = call.message_arg
        for arg in node.args:
            if arg is call.level_arg:
                continue
            if arg.keyword is not None:
                key = arg.keyword.value
                if key == "extra":
                    self._check_extra(arg.value)
                elif key == "msg":
                    self._check_message(arg.value)
                continue  # exc_info, stack_info, stacklevel
            if arg is message:
                self._check_message(arg.value)
            else:
                self._check(arg.value)

    # ---------------------------------------------------------------- parts
    def _check_message(self, expr: cst.BaseExpression) -> None:
        if isinstance(expr, (cst.SimpleString, cst.ConcatenatedString)) and string_value(expr) is not None:
            return  # literal text: words like "password" in it are not values
        self._check(expr)

    def _check_extra(self, expr: cst.BaseExpression) -> None:
        if isinstance(expr, cst.Dict):
            for element in expr.elements:
                if isinstance(element, cst.DictElement):
                    key = string_value(element.key)
                    if key is not None and self._report_if_secret(element.key, key, f"extra key {key!r}"):
                        continue
                    self._check(element.value)
                else:
                    self._check(element.value)
            return
        if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Name) and expr.func.value == "dict":
            for arg in expr.args:
                if arg.keyword is not None and self._report_if_secret(arg.keyword, arg.keyword.value,
                                                                      f"extra key {arg.keyword.value!r}"):
                    continue
                self._check(arg.value)
            return
        self._check(expr)

    def _check(self, expr: cst.CSTNode) -> None:
        """Report the first secret-looking name, attribute or key in `expr` (walking
        containers, operators and f-strings; not into call arguments)."""
        if isinstance(expr, cst.Name):
            self._report_if_secret(expr, expr.value, f"`{expr.value}`")
            return
        if isinstance(expr, cst.Attribute):
            # the last attribute names the value: `self.api_key`, `settings.db.password`
            # are secrets; `token.expiry`, `self._token_bucket.capacity` are not
            self._report_if_secret(expr, expr.attr.value, f"`{dotted_name(expr) or expr.attr.value}`")
            return
        if isinstance(expr, cst.Subscript):
            keys = [element.slice.value for element in expr.slice if isinstance(element.slice, cst.Index)]
            literal = [string_value(k) for k in keys]
            for key in literal:
                if key is not None and self._report_if_secret(expr, key, f"key {key!r}"):
                    return
            if literal and all(k is not None for k in literal):
                return  # `credentials["expiry_time"]`: a named item that is not a secret
            self._check(expr.value)  # `tokens[0]`, `passwords[user]`
            return
        if isinstance(expr, cst.Call):
            func = expr.func
            if isinstance(func, cst.Name) and func.value in _TRANSPARENT_CALLS:
                for arg in expr.args:
                    self._check(arg.value)
            elif isinstance(func, cst.Attribute) and func.attr.value == "format":
                self._check(func.value)
                for arg in expr.args:
                    self._check(arg.value)
            elif isinstance(func, cst.Attribute):
                self._check(func.value)  # `password.strip()` still is the password
            return
        if isinstance(expr, cst.FormattedString):
            for part in expr.parts:
                if isinstance(part, cst.FormattedStringExpression):
                    self._check(part.expression)
            return
        if isinstance(expr, (cst.SimpleString, cst.ConcatenatedString, cst.Integer, cst.Float, cst.Lambda)):
            if isinstance(expr, cst.ConcatenatedString):
                self._check(expr.left)
                self._check(expr.right)
            return
        if isinstance(expr, cst.BinaryOperation):
            self._check(expr.left)
            self._check(expr.right)
            return
        if isinstance(expr, (cst.Tuple, cst.List, cst.Set)):
            for el in expr.elements:
                self._check(el.value)
            return
        if isinstance(expr, cst.Dict):
            for el in expr.elements:
                if isinstance(el, cst.DictElement):
                    key = string_value(el.key)
                    if key is not None and self._report_if_secret(el.key, key, f"key {key!r}"):
                        continue
                    self._check(el.value)
            return
        if isinstance(expr, cst.IfExp):
            self._check(expr.body)
            self._check(expr.orelse)
            return
        if isinstance(expr, cst.BooleanOperation):
            self._check(expr.left)
            self._check(expr.right)
            return
        if isinstance(expr, cst.StarredElement):
            self._check(expr.value)

    def _report_if_secret(self, node: cst.CSTNode, identifier: str, what: str) -> bool:
        secret = secret_match(identifier, self.secrets)
        if secret is None:
            return False
        self.report(node, f"{what} looks like a secret (`{secret}`) passed to a logger call; "
                          "credentials end up in log storage")
        return True
