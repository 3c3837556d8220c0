"""LC601: secrets passed to logger calls.

A value is judged by the structure of the identifier that names it. The identifier is
split into words on `_` and camelCase boundaries and lower-cased (`userPassword` -> `user
password`, `API_KEY` -> `api key`); a secret name (also split: `api_key` -> `api key`)
matches a run of whole words, each equal or plural (`credentials` matches `credential`).
So `tokenizer`, `author`, `oauth` never match, and neither does `auth_manager_cls`.

The secret must be what the identifier names: its head noun, the last word
(`current_password`, `first_api_key`, `auth_token`, `basic_auth`), or followed only by
words that name the secret's own value (`secret_key`, `token_value`, `password_bytes`). A
last word that describes the secret rather than holds it makes the name not a secret:
`token_count`, `password_length`, `token_type`, `cookie_name`, `password_hash`,
`auth_manager_cls`. A leading word that makes the name a predicate or a quantity does
too (`has_password`, `is_secret`, `max_tokens`). A few compounds whose head noun is a
secret word name something else; they are listed in NON_SECRET_COMPOUNDS (pagination
tokens, parser and language-model tokens, CSRF tokens).

Values that cannot be secrets are not reported: a name the module binds only with `def` or
`class`, a CapWords name (a class by convention), and anything passed through a call
(`len(password)`, `mask(token)`), a comparison or `not` (booleans). For attributes the
last name counts (`self._token_bucket.capacity` is not a secret), and a subscript with a
literal key is judged by its key (`credentials["expiry_time"]` is not, `creds["token"]`
is).

Checked: every argument of a logger call except the literal text of the message: the
format arguments, the expressions of an f-string message, the arguments of a
`"...".format(...)` or `"..." % (...)` message, a message that is itself an expression,
and the keys and values of `extra=`. Calls are not looked into, except `str()`, `repr()`,
`format()`, `ascii()`, `.format()` and methods called on the secret itself
(`password.strip()`).
"""

from __future__ import annotations

import ast
import itertools
import re
from typing import FrozenSet, Iterator, List, Optional, Sequence, Set, Tuple

import libcst as cst

from logcheck.lint.rule import Rule
from logcheck.semantics.families import FAMILIES
from logcheck.semantics.loggers import dotted_name, string_value
from logcheck.source.cst import iter_children

_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z0-9]+|[A-Z]+")
#: `AuthToken`, `_ApiKey`: a class name by PEP 8's convention (not `API_KEY`, `apiKey`)
_CAP_WORDS = re.compile(r"_*[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*")

#: words that, after a secret word, still name the secret's own value (`secret_key`,
#: `token_value`, `password_bytes`); any other following word makes the name describe
#: something else (`token_count`, `auth_manager_cls`)
VALUE_WORDS: FrozenSet[str] = frozenset({
    "key", "keys", "value", "values", "val", "str", "string", "text", "bytes", "raw", "plain",
    "plaintext", "data", "b64", "base64", "hex", "encoded",
})
#: first words that make a name a predicate or a quantity (`has_password`, `max_tokens`)
NON_SECRET_PREFIXES: FrozenSet[str] = frozenset({
    "is", "has", "num", "n", "max", "min", "should", "can", "use", "uses", "needs", "total", "no",
})
#: (qualifier, head noun) compounds whose head noun is a secret word but that name no
#: credential, matched as the last two words of a name (`next_page_token`, `self._next_token`, `NextToken`):
#: pagination and resumption markers, parser and language-model tokens, and CSRF tokens
#: (a per-form anti-forgery value sent in every page, not a credential)
NON_SECRET_COMPOUNDS: FrozenSet[Tuple[str, str]] = frozenset({
    ("next", "token"), ("page", "token"), ("continuation", "token"), ("continue", "token"),
    ("pagination", "token"), ("paging", "token"), ("starting", "token"), ("resume", "token"),
    ("sync", "token"), ("cancel", "token"), ("cancellation", "token"),
    ("bos", "token"), ("eos", "token"), ("pad", "token"), ("unk", "token"), ("sep", "token"),
    ("cls", "token"), ("mask", "token"), ("special", "token"),
    ("input", "tokens"), ("output", "tokens"), ("prompt", "tokens"), ("completion", "tokens"),
    ("csrf", "token"), ("xsrf", "token"),
})


def words(identifier: str) -> List[str]:
    """Lower-cased words: `_` is no word character, camelCase humps start new words."""
    return [w.lower() for w in _CAMEL.findall(identifier)]


def _same_word(word: str, secret_word: str) -> bool:
    return word == secret_word or word == secret_word + "s"


def _is_compound(ws: List[str]) -> bool:
    """The name ends with a listed compound (its head noun may be plural)."""
    if len(ws) < 2:
        return False
    qualifier, head = ws[-2], ws[-1]
    return (qualifier, head) in NON_SECRET_COMPOUNDS or (
        head.endswith("s") and (qualifier, head[:-1]) in NON_SECRET_COMPOUNDS)


def secret_match(identifier: str, secret_names: Sequence[Tuple[str, ...]]) -> Optional[str]:
    """The secret name that `identifier` holds (see the module docstring), or None."""
    ws = words(identifier)
    if not ws or _is_compound(ws):
        return None
    for secret in secret_names:
        n = len(secret)
        for i in range(len(ws) - n + 1):
            if not all(_same_word(w, s) for w, s in zip(ws[i:i + n], secret)):
                continue
            if any(w not in VALUE_WORDS for w in ws[i + n:]):
                continue  # the head noun is another word: `token_count`, `auth_manager_cls`
            if i > 0 and ws[0] in NON_SECRET_PREFIXES:
                continue  # `has_password`, `max_tokens`
            return "_".join(secret)
    return None


_DEFINITIONS = frozenset({cst.FunctionDef, cst.ClassDef})
_BINDING_TARGETS = frozenset({cst.AssignTarget, cst.AnnAssign, cst.AugAssign, cst.For, cst.CompFor, cst.AsName,
                              cst.NamedExpr})


# TODO(semantics): "is this name bound only by def/class in this module?" belongs to the
# semantic model; until it answers, the rule reads the module's bindings here
def _function_and_class_names(module: cst.Module) -> FrozenSet[str]:
    """Names the module binds with `def` or `class` and never with anything else (an
    assignment, a parameter, an import, a loop or `with` target)."""
    defined: Set[str] = set()
    other: Set[str] = set()
    stack: List[cst.CSTNode] = [module]
    while stack:
        node = stack.pop()
        kind = node.__class__  # exact classes: isinstance on libcst's ABC-derived nodes is slow
        if kind in _DEFINITIONS:
            defined.add(node.name.value)
        elif kind in _BINDING_TARGETS:
            target = node.name if kind is cst.AsName else node.target
            other.update(n.value for n in _names_in(target))
        elif kind is cst.Param:
            other.add(node.name.value)
        elif kind is cst.ImportAlias and node.asname is None:
            other.add(node.evaluated_name.split(".")[0])  # `import a.b` binds `a`
        stack.extend(iter_children(node))
    return frozenset(defined - other)


def _names_in(target: cst.CSTNode) -> List[cst.Name]:
    if isinstance(target, cst.Name):
        return [target]
    if isinstance(target, (cst.Tuple, cst.List)):
        # a starred element's value is the name: `*rest, last = ...`
        return [n for el in target.elements for n in _names_in(el.value)]
    return []


_TRANSPARENT_CALLS = frozenset({"str", "repr", "format", "ascii"})
#: the methods of any family that bind key-values (`families.Family.binds`)
_BINDS = frozenset(m for f in FAMILIES for m in f.binds)


def _checked_identifiers(call) -> Iterator[str]:
    """On the interpreter's ast, every identifier `SecretInLog._check` could judge in a
    logger call (a superset: calls are looked into too): names, attributes, literal keys
    and subscripts, and `dict(...)` keywords."""
    # every keyword: a family's key-values (names and values) as well as `msg` and `extra`
    values = [*call.node.args, *call.keywords.values()]
    yield from call.keywords
    values += [k.value for k in call.node.keywords if k.arg is None]  # `**kwargs`
    for value in values:
        for node in ast.walk(value):
            if isinstance(node, ast.Name):
                yield node.id
            elif isinstance(node, ast.Attribute):
                yield node.attr
            elif isinstance(node, ast.Call):
                yield from (k.arg for k in node.keywords if k.arg is not None)
            elif isinstance(node, (ast.Dict, ast.Subscript)):
                keys = node.keys if isinstance(node, ast.Dict) else ast.walk(node.slice)
                yield from (k.value for k in keys if isinstance(k, ast.Constant) and isinstance(k.value, str))


def _secret_gate(facts, settings) -> bool:
    secrets = [tuple(words(s)) for s in settings.secret_names if words(s)]
    if not secrets:
        return False
    bound = (name for call in facts.calls_to(*_BINDS) for name in _bound_identifiers(call))
    logged = (name for call in facts.logger_calls(settings) for name in set(_checked_identifiers(call)))
    return any(secret_match(name, secrets) is not None for name in itertools.chain(logged, bound))


def _bound_identifiers(call: ast.Call) -> Iterator[str]:
    """Every identifier of a `bind(...)`-like call: its keywords, names and attributes."""
    for keyword in call.keywords:
        if keyword.arg is not None:
            yield keyword.arg
        for node in ast.walk(keyword.value):
            if isinstance(node, ast.Name):
                yield node.id
            elif isinstance(node, ast.Attribute):
                yield node.attr
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                yield node.value


class SecretInLog(Rule):
    code = "LC601"
    name = "secret-in-log"
    message = "A secret may be logged; credentials end up in log storage"
    uses_logger_calls = True
    ast_gate = staticmethod(_secret_gate)

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._secrets: Optional[List[Tuple[str, ...]]] = None

    @property
    def secrets(self) -> List[Tuple[str, ...]]:
        if self._secrets is None:
            self._secrets = [tuple(words(s)) for s in self.ctx.settings.secret_names if words(s)]
        return self._secrets

    #: the standard library's call, and every family whose other keywords are logged data
    covers = classmethod(lambda cls, family: family.stdlib_compatible or family.keyword_data)

    def visit_Call(self, node: cst.Call) -> None:
        call = self.logger_call(node)
        if call is None:
            self._check_bound(node)
            return
        family = call.family
        for arg in node.args:
            if arg is call.level_arg:
                continue
            key = arg.keyword.value if arg.keyword is not None else None
            if key == "extra":
                self._check_extra(arg.value)
            elif key in (None, "msg"):
                # the message too: `_check` reports names, never the words of literal text
                self._check(arg.value)
            elif family.keyword_data and key not in family.keywords:
                self._check_key_value(arg)  # loguru's extra/format data, structlog's key-values
            # exc_info, stack_info, stacklevel: not logged values

    def _check_bound(self, node: cst.Call) -> None:
        """`log.bind(token=t)`, `logger.contextualize(...)`: key-values of every later record."""
        func = node.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in _BINDS:
            return
        family = self.ctx.receiver_family(func.value)
        if family is None or func.attr.value not in family.binds or not self.covers(family):
            return
        for arg in node.args:
            if arg.keyword is not None:
                self._check_key_value(arg)
            elif arg.star == "**":
                self._check(arg.value)

    def _check_key_value(self, arg: cst.Arg) -> None:
        assert arg.keyword is not None
        if not self._report_if_secret(arg.keyword, arg.keyword.value, f"key {arg.keyword.value!r}"):
            self._check(arg.value)

    # ---------------------------------------------------------------- parts
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
            self._report_if_secret(expr, expr.value, f"`{expr.value}`", is_name=True)
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

    def _names_no_value(self, name: str) -> bool:
        """A class or function name: never a secret, whatever it is called."""
        if _CAP_WORDS.fullmatch(name):
            return True
        defined = self.ctx.memo("LC601.functions_and_classes", lambda: _function_and_class_names(self.ctx.module))
        return name in defined

    def _report_if_secret(self, node: cst.CSTNode, identifier: str, what: str, is_name: bool = False) -> bool:
        secret = secret_match(identifier, self.secrets)
        if secret is None or (is_name and self._names_no_value(identifier)):
            return False
        self.report(node, f"{what} looks like a secret (`{secret}`) passed to a logger call; "
                          "credentials end up in log storage")
        return True
