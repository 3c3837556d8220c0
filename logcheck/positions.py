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
"""

from __future__ import annotations

import contextlib
from typing import Dict, Iterable, Iterator, Optional

import libcst as cst
from libcst._nodes.internal import CodegenState
from libcst.metadata import CodePosition, CodeRange

#: what `record_syntactic_position` returns for a node nobody asked about
_NOT_RECORDED = contextlib.nullcontext()


class _Done(Exception):
    """Raised out of code generation once every wanted node has its range."""


class _WantedRanges(CodegenState):
    def __init__(self, module: cst.Module, wanted: Iterable[cst.CSTNode]) -> None:
        super().__init__(default_indent=module.default_indent, default_newline=module.default_newline)
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
            if not pending:
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
