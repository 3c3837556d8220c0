"""Line and column of the nodes a file's findings point at.

libcst's `PositionProvider` computes a range for every node of the module: it generates
the code and, for each of the hundreds of thousands of tokens, splits the token on
newlines and records a start and an end for every node it passes. That costs about seven
times a plain code generation of the module, and a file with findings needs the ranges
of a handful of nodes.

`node_ranges` runs libcst's plain code generation with a state that gives exactly the
ranges the provider would give (same `CodeRange`s, including libcst's syntactic ranges
that leave out leading lines and hoist a start or an end from a child) for the wanted
nodes only: line and column are counted from the joined tokens only when a wanted node
starts or ends, and generation stops once every wanted node has its final range.
`tests/test_positions.py` compares the two on every node of many files.

`reported_ranges` goes further when the engine knows which top-level statement holds a
node (the walk's current statement when the rule reported): a top-level statement's code
is the same alone as in the module (no enclosing indentation), so only that statement is
generated, and where its text occurs once in the file, that occurrence is where it is.
The code before it is never generated. Anything else falls back to `node_ranges`.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

import libcst as cst
from libcst._nodes.internal import CodegenState
from libcst.metadata import CodePosition, CodeRange

#: what `record_syntactic_position` returns for a node nobody asked about
_NOT_RECORDED = contextlib.nullcontext()


class _Done(Exception):
    """Raised out of code generation once every wanted node has its range."""


class _WantedRanges(CodegenState):
    def __init__(self, module: cst.Module, wanted: Iterable[cst.CSTNode], stop: bool = True) -> None:
        super().__init__(default_indent=module.default_indent, default_newline=module.default_newline)
        self.stop = stop  # False: generate everything (the caller wants the whole text too)
        #: ids of the nodes asked for, not finished yet
        self.pending = {id(node) for node in wanted}
        #: ids whose range is recorded: the pending ones and the children that a recorded
        #: node takes its start or end from
        self.recorded = set(self.pending)
        self.ranges: Dict[int, CodeRange] = {}
        self.starts: Dict[int, CodePosition] = {}
        self.line = 1  # one-indexed, as in CodeRange
        self.column = 0
        self.counted = 0  # tokens already counted into line/column

    def position(self) -> CodePosition:
        tokens = self.tokens
        if self.counted < len(tokens):
            text = "".join(tokens[self.counted:])
            self.counted = len(tokens)
            # newlines as the provider splits them (\r\n, \r or \n); no token ends in a
            # lone \r that the next token's \n would complete: the tokenizer keeps \r\n whole
            newlines = text.count("\n") + text.count("\r") - text.count("\r\n")
            if newlines:
                self.line += newlines
                self.column = len(text) - 1 - max(text.rfind("\n"), text.rfind("\r"))
            else:
                self.column += len(text)
        return CodePosition(self.line, self.column)

    def pop_trailing_newline(self) -> None:
        # the provider counts the file's last newline before Module drops it
        self.position()
        super().pop_trailing_newline()
        self.counted = min(self.counted, len(self.tokens))

    def before_codegen(self, node: cst.CSTNode) -> None:
        if id(node) in self.recorded:
            self.starts[id(node)] = self.position()

    def after_codegen(self, node: cst.CSTNode) -> None:
        key = id(node)
        if key not in self.recorded:
            return
        start = self.starts.pop(key)
        if key not in self.ranges:  # a syntactic range recorded inside wins, as in the provider
            self.ranges[key] = CodeRange(start, self.position())
        pending = self.pending
        if key in pending:
            pending.discard(key)
            if not pending and self.stop:
                raise _Done()

    def record_syntactic_position(self, node: cst.CSTNode, *, start_node: Optional[cst.CSTNode] = None,
                                  end_node: Optional[cst.CSTNode] = None):
        if id(node) not in self.recorded:
            return _NOT_RECORDED
        return self._record(node, start_node, end_node)

    @contextlib.contextmanager
    def _record(self, node: cst.CSTNode, start_node: Optional[cst.CSTNode],
                end_node: Optional[cst.CSTNode]) -> Iterator[None]:
        # the children a range is taken from are generated inside this block
        if start_node is not None:
            self.recorded.add(id(start_node))
        if end_node is not None:
            self.recorded.add(id(end_node))
        start = self.position()
        yield  # on _Done nothing is recorded: every wanted range is final already
        end = self.position()
        if start_node is not None:
            start = self.ranges[id(start_node)].start
        if end_node is not None:
            end = self.ranges[id(end_node)].end
        self.ranges[id(node)] = CodeRange(start, end)


def node_ranges(module: cst.Module, wanted: Iterable[cst.CSTNode]) -> Dict[int, CodeRange]:
    """`id(node) -> CodeRange` for the wanted nodes of `module`, equal to what
    `MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)` gives them."""
    state = _WantedRanges(module, wanted)
    if not state.pending:
        return {}
    try:
        module._codegen(state)
    except _Done:
        pass
    return state.ranges


def reported_ranges(module: cst.Module, source: str,
                    wanted: Sequence[Tuple[cst.CSTNode, int]]) -> Dict[int, CodeRange]:
    """`id(node) -> CodeRange` for `(node, index of the top-level statement that holds it,
    or -1)` pairs of a module parsed from `source`; equal to `node_ranges`."""
    by_statement: Dict[int, List[cst.CSTNode]] = defaultdict(list)
    rest: List[cst.CSTNode] = []
    for node, index in wanted:
        (by_statement[index] if 0 <= index < len(module.body) else rest).append(node)
    ranges: Dict[int, CodeRange] = {}
    for index, nodes in by_statement.items():
        found = _ranges_in_statement(module, source, module.body[index], nodes)
        if found is None:
            rest.extend(nodes)
        else:
            ranges.update(found)
    if rest:
        ranges.update(node_ranges(module, rest))
    return ranges


def _ranges_in_statement(module: cst.Module, source: str, statement: cst.CSTNode,
                         nodes: List[cst.CSTNode]) -> Optional[Dict[int, CodeRange]]:
    state = _WantedRanges(module, nodes, stop=False)
    statement._codegen(state)
    if state.pending:  # a node outside this statement
        return None
    text = "".join(state.tokens)
    at = source.find(text)
    if at < 0 or source.find(text, at + 1) >= 0:
        # not there as generated (the last statement of a file without a final newline)
        # or there more than once: which occurrence is this statement's is not known
        return None
    # the statement starts a line (every statement and header line ends with a newline)
    lines_before = source.count("\n", 0, at) + source.count("\r", 0, at) - source.count("\r\n", 0, at)
    shifted = {}
    for node in nodes:
        r = state.ranges[id(node)]
        shifted[id(node)] = CodeRange(CodePosition(r.start.line + lines_before, r.start.column),
                                      CodePosition(r.end.line + lines_before, r.end.column))
    return shifted
