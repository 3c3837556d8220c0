"""CST edits for the LC5xx fixes: add an entry to a dict literal, a keyword to a call, and
turn a FileHandler into a RotatingFileHandler (in a dict literal or a constructor call),
keeping the layout of what is already there."""

from __future__ import annotations

from typing import List, Optional, Sequence, Tuple

import libcst as cst

from logcheck.semantics.loggers import dotted_name, string_value

ROTATING = "logging.handlers.RotatingFileHandler"


def _quote(node: cst.Dict) -> str:
    for el in node.elements:
        if isinstance(el, cst.DictElement) and isinstance(el.key, cst.SimpleString):
            return el.key.quote if el.key.quote in ('"', "'") else '"'
    return '"'


def _separator_comma(elements: Sequence, open_ws) -> cst.Comma:
    """The comma that separates elements in this literal (copied from an inner one)."""
    for el in elements[:-1]:
        if isinstance(el.comma, cst.Comma):
            return el.comma
    if isinstance(open_ws, cst.ParenthesizedWhitespace):
        return cst.Comma(whitespace_after=open_ws)
    return cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))


def add_elements(elements: Sequence, new: List, open_ws) -> List:
    """`elements` followed by `new`, commas arranged as the literal already does."""
    elements = list(elements)
    if not elements:
        return new
    sep = _separator_comma(elements, open_ws)
    last_comma = elements[-1].comma
    elements[-1] = elements[-1].with_changes(comma=sep)
    for i, el in enumerate(new):
        new[i] = el.with_changes(comma=sep if i < len(new) - 1 else last_comma)
    return elements + new


def dict_with_entries(node: cst.Dict, entries: List[Tuple[str, str]]) -> cst.Dict:
    q = _quote(node)
    new = [cst.DictElement(key=cst.SimpleString(f"{q}{key}{q}"), value=cst.parse_expression(value))
           for key, value in entries]
    return node.with_changes(elements=add_elements(node.elements, new, node.lbrace.whitespace_after))


def call_with_kwargs(node: cst.Call, kwargs: List[Tuple[str, str]]) -> cst.Call:
    new = [cst.Arg(keyword=cst.Name(name), value=cst.parse_expression(value),
                   equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""),
                                         whitespace_after=cst.SimpleWhitespace("")))
           for name, value in kwargs]
    return node.with_changes(args=add_elements(node.args, new, node.whitespace_before_args))


def _replace_string(node: cst.BaseExpression, text: str) -> Optional[cst.SimpleString]:
    if not isinstance(node, cst.SimpleString) or node.raw_value != node.evaluated_value:
        return None
    return node.with_changes(value=f"{node.prefix}{node.quote}{text}{node.quote}")


def rotate_dict(node: cst.Dict, max_bytes: int, backup_count: int) -> Optional[cst.Dict]:
    elements = []
    found = False
    for el in node.elements:
        if isinstance(el, cst.DictElement) and string_value(el.key) == "class":
            value = _replace_string(el.value, ROTATING)
            if value is None:
                return None
            el = el.with_changes(value=value)
            found = True
        elif isinstance(el, cst.DictElement) and string_value(el.key) in ("maxBytes", "backupCount"):
            return None
        elif not isinstance(el, cst.DictElement):
            return None
        elements.append(el)
    if not found:
        return None
    return dict_with_entries(node.with_changes(elements=elements),
                             [("maxBytes", str(max_bytes)), ("backupCount", str(backup_count))])


def _import_line(stmt: cst.CSTNode) -> bool:
    return isinstance(stmt, cst.SimpleStatementLine) and all(isinstance(s, (cst.Import, cst.ImportFrom)) for s in stmt.body)


def rotating_reference(module: cst.Module, resolver) -> Tuple[Optional[cst.BaseExpression], Optional[Tuple[cst.CSTNode, cst.CSTNode]]]:
    """An expression naming RotatingFileHandler in this module, plus (when needed) the
    replacement that adds `import logging.handlers` after the top-level imports.
    (None, None) when neither can be done exactly."""
    top_imports = []
    plain_handlers_import = False
    for stmt in module.body:
        if not _import_line(stmt):
            continue
        top_imports.append(stmt)
        for small in stmt.body:
            if isinstance(small, cst.Import):
                for alias in small.names:
                    if dotted_name(alias.name) == "logging.handlers" and alias.asname is None:
                        plain_handlers_import = True
    for local, qualified in resolver.imports.items():
        if local in resolver.shadowed:
            continue
        if qualified == ROTATING and _bound_at_top(top_imports, local):
            return cst.Name(local), None
        if qualified == "logging.handlers" and _bound_at_top(top_imports, local):
            return cst.Attribute(value=cst.Name(local), attr=cst.Name("RotatingFileHandler")), None
    reference = cst.parse_expression(ROTATING)
    if plain_handlers_import:
        return reference, None
    if resolver.imports.get("logging", "logging") != "logging" or "logging" in resolver.shadowed or not top_imports:
        return None, None
    anchor = top_imports[-1]
    for stmt in top_imports:
        if any(isinstance(s, cst.Import) and any(dotted_name(a.name) == "logging" and a.asname is None for a in s.names)
               for s in stmt.body):
            anchor = stmt
    new_import = cst.parse_statement("import logging.handlers\n", config=module.config_for_parsing)
    return reference, (anchor, cst.FlattenSentinel([anchor, new_import]))


def _bound_at_top(stmts, local: str) -> bool:
    for stmt in stmts:
        for small in stmt.body:
            names = small.names if not isinstance(small.names, cst.ImportStar) else []
            for alias in names:
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    bound = alias.asname.name.value
                elif isinstance(small, cst.Import):
                    bound = (dotted_name(alias.name) or "").split(".")[0]
                else:
                    bound = dotted_name(alias.name)
                if bound == local:
                    return True
    return False


def rotate_call(node: cst.Call, reference: cst.BaseExpression, max_bytes: int, backup_count: int) -> Optional[cst.Call]:
    """`FileHandler(filename[, mode], **kw)` -> `RotatingFileHandler(..., maxBytes=, backupCount=)`.
    Only when at most two positional arguments are given (later positions differ)."""
    if any(a.star for a in node.args):
        return None
    positional = [a for a in node.args if a.keyword is None]
    if len(positional) > 2:
        return None
    if any(a.keyword is not None and a.keyword.value in ("maxBytes", "backupCount") for a in node.args):
        return None
    new = call_with_kwargs(node, [("maxBytes", str(max_bytes)), ("backupCount", str(backup_count))])
    return new.with_changes(func=reference)
