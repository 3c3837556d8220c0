"""`logcheck server`: a Language Server Protocol server over stdio (pygls).

It publishes diagnostics when a document is opened, changed or saved, and offers code
actions: each finding's fix as a `quickfix`, a `# noqa: CODE` comment for the line as a
second `quickfix`, and every safe fix at once as the source action
`source.fixAll.logcheck` (what editors run for "fix all" or on save). It reuses the
engine and the `[tool.logcheck]` settings of the file's project, exactly as the command
line does. pygls is imported only here: `pip install -e '.[server]'` in a clone.

Responsiveness: checks run on one worker thread, so the server answers requests while a
file is checked; quick edits are coalesced (a check starts `DEBOUNCE_SECONDS` after the
last change, and a check whose version was overtaken is not published); each document's
result is kept for its version, and a code action computes the edits of only the fixes it
offers (`lint/edits.py`). A settings error (a typo in `pyproject.toml`) is shown with
`window/showMessage` and as a diagnostic on the configuration file, never as an error
response.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
from bisect import bisect_right
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Set, Tuple

from logcheck import __version__
from logcheck.diagnostics import Edit
from logcheck.errors import ConfigError, install_hint
from logcheck.lint.check import FileResult, check_source, fix_source
from logcheck.lint.edits import FixEdits
from logcheck.lint.fixes import text_edits as text_diff_edits
from logcheck.rules.pages import rule_url
from logcheck.rules.selection import codes_for
from logcheck.source.text import SourceText, line_starts

FIX_ALL_KIND = "source.fixAll.logcheck"
#: a check starts this long after the last change to the document
DEBOUNCE_SECONDS = 0.15


class Analysis:
    """One document version checked: its text, row offsets, diagnostics, and the edits of
    its fixes on demand."""

    def __init__(self, uri: str, text: str, path: Path, settings, rules, diagnostics,
                 result: Optional[FileResult] = None, settings_error: Optional[str] = None) -> None:
        self.uri = uri
        self.text = text
        self.path = path
        self.settings = settings
        self.rules = rules
        self.diagnostics = diagnostics
        self.result = result
        self.settings_error = settings_error
        self.version: Optional[int] = None
        #: the edits of "fix all", once asked for
        self.fix_all: Optional[Tuple[Edit, ...]] = None
        self.starts = line_starts(text)
        self._edits: Optional[FixEdits] = None

    def line(self, row: int) -> str:
        if row < 1 or row > len(self.starts):
            return ""
        end = self.starts[row] if row < len(self.starts) else len(self.text)
        return self.text[self.starts[row - 1]:end].rstrip("\r\n")

    def prepare_edits(self) -> None:
        """What every code action needs, done once (on the worker, after the check)."""
        from logcheck.workspace.add_noqa import unsafe_rows

        if self.result is not None and self.result.module is not None and self.result.fixes:
            self._edits = FixEdits(self.text, self.result.module, self.result.plan, self.starts)
            self._edits.prepare()
        if self.diagnostics:
            unsafe_rows(self.text)

    def fix_edits(self, index: int):
        """The text edits of the fix of diagnostic `index` (computed once, on demand)."""
        result = self.result
        if result is None or result.module is None or index not in result.fixes:
            return ()
        if self._edits is None:
            self._edits = FixEdits(self.text, result.module, result.plan, self.starts)
        return self._edits.edits(result.fixes[index], result.statements.get(index, -1))


def _path_for(uri: str) -> Path:
    from pygls.uris import to_fs_path

    if uri.startswith("file:"):
        fs_path = to_fs_path(uri)
        if fs_path:
            return Path(fs_path)
    return Path.cwd() / "untitled.py"


def _is_python(path: Path, language_id: Optional[str], text: str) -> bool:
    if path.suffix in (".py", ".pyi") or language_id == "python":
        return True
    return path.suffix == "" and text.startswith("#!") and "python" in text.split("\n", 1)[0]


def analyse(uri: str, text: str, language_id: Optional[str] = None) -> Analysis:
    from logcheck.rules import registry
    from logcheck.workspace.settings_loader import SettingsResolver

    path = _path_for(uri)
    try:
        settings = SettingsResolver().for_path(path)
    except ConfigError as exc:
        return Analysis(uri, text, path, None, [], [], settings_error=str(exc))
    display = str(path)  # absolute: path-dependent settings (allow-print) resolve it
    rules = registry.rules_for(codes_for(settings, path))
    if not _is_python(path, language_id, text):
        try:
            from logcheck.workspace.config_files import check_config_file
        except ImportError:
            return Analysis(uri, text, path, settings, rules, [])
        if path.suffix not in (".ini", ".conf", ".cfg", ".json", ".yaml", ".yml", ".toml"):
            return Analysis(uri, text, path, settings, rules, [])
        diagnostics, _messages = check_config_file(display, text.encode("utf-8"), settings)
        return Analysis(uri, text, path, settings, rules, list(diagnostics))
    source = SourceText(text, "utf-8", False)
    result = check_source(display, source, rules, settings)
    analysis = Analysis(uri, text, path, settings, rules, list(result.diagnostics), result)
    analysis.prepare_edits()
    return analysis


def changed_span(old: str, new: str, starts: List[int]) -> Edit:
    """One edit turning `old` (whose line starts are `starts`) into `new`: the span between
    their common prefix and suffix (found by comparing halves, at C speed; a line diff of a
    large file is not)."""
    def common(a: str, b: str, limit: int) -> int:
        low, high = 0, limit
        while low < high:
            mid = (low + high + 1) // 2
            if a[:mid] == b[:mid]:
                low = mid
            else:
                high = mid - 1
        return low

    prefix = common(old, new, min(len(old), len(new)))
    suffix = common(old[prefix:][::-1], new[prefix:][::-1], min(len(old), len(new)) - prefix)

    def row_col(offset: int) -> Tuple[int, int]:
        row = bisect_right(starts, offset) - 1
        return row + 1, offset - starts[row] + 1

    return Edit(new[prefix:len(new) - suffix], *row_col(prefix), *row_col(len(old) - suffix))


def settings_error_location(message: str) -> Tuple[Optional[Path], int]:
    """The configuration file a settings error names, and its 0-based line (0 if none)."""
    m = re.match(r"^(.+?\.toml)(?::(\d+))?(?::\d+)?: ", message)
    if m is None or not Path(m.group(1)).is_file():
        return None, 0
    return Path(m.group(1)), int(m.group(2)) - 1 if m.group(2) else 0


def build_server():
    from lsprotocol import types as lsp
    from pygls.lsp.server import LanguageServer

    server = LanguageServer("logcheck", __version__)
    #: the one thread that runs checks and fixes, so that the event loop stays free
    worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="logcheck-check")
    analyses: Dict[str, Analysis] = {}
    scheduled: Dict[str, "asyncio.Task"] = {}
    shown_errors: Set[str] = set()
    #: configuration files that have a settings diagnostic published
    flagged_configs: Set[str] = set()

    def document(ls, uri: str):
        return ls.workspace.get_text_document(uri)

    def position(doc, analysis: Analysis, row: int, col: int) -> "lsp.Position":
        if row > len(analysis.starts):  # past the end: the end of the last line
            row = len(analysis.starts)
            col = len(analysis.line(row)) + 1
        line = analysis.line(row)
        prefix = line[:max(col - 1, 0)]
        return lsp.Position(line=row - 1, character=doc.position_codec.client_num_units(prefix))

    def to_range(doc, analysis: Analysis, row: int, col: int, end_row: int, end_col: int) -> "lsp.Range":
        return lsp.Range(start=position(doc, analysis, row, col), end=position(doc, analysis, end_row, end_col))

    def to_lsp(doc, analysis: Analysis, d) -> "lsp.Diagnostic":
        rule_url_setting = analysis.settings.rule_url if analysis.settings is not None else None
        return lsp.Diagnostic(
            range=to_range(doc, analysis, d.row, d.col, d.end_row, d.end_col),
            message=d.message,
            severity=lsp.DiagnosticSeverity.Error if d.code == "LC000" else lsp.DiagnosticSeverity.Warning,
            code=d.code,
            code_description=lsp.CodeDescription(href=url) if (url := rule_url(d.code, rule_url_setting)) else None,
            source="logcheck",
            data={"fixable": d.fix is not None},
        )

    def text_edits(doc, analysis: Analysis, edits) -> List["lsp.TextEdit"]:
        return [lsp.TextEdit(range=to_range(doc, analysis, e.row, e.col, e.end_row, e.end_col), new_text=e.content)
                for e in edits]

    def log(ls, message: str) -> None:
        ls.window_log_message(lsp.LogMessageParams(type=lsp.MessageType.Error, message=f"logcheck: {message}"))

    def show_settings_error(ls, message: Optional[str]) -> None:
        """Tell the user once per distinct error, and flag the configuration file."""
        if message is None:
            for config_uri in sorted(flagged_configs):
                ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=config_uri, diagnostics=[]))
            flagged_configs.clear()
            return
        if message not in shown_errors:
            shown_errors.add(message)
            ls.window_show_message(lsp.ShowMessageParams(
                type=lsp.MessageType.Error, message=f"logcheck: settings error, files are not checked: {message}"))
        config, line = settings_error_location(message)
        if config is not None:
            flagged_configs.add(config.as_uri())
            ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=config.as_uri(), diagnostics=[
                lsp.Diagnostic(range=lsp.Range(start=lsp.Position(line=line, character=0),
                                               end=lsp.Position(line=line + 1, character=0)),
                               message=message, severity=lsp.DiagnosticSeverity.Error, source="logcheck")]))

    async def analysis_for(ls, uri: str) -> Optional[Analysis]:
        """The analysis of the document's current version: kept, or made on the worker."""
        doc = document(ls, uri)
        version, text = doc.version, doc.source
        cached = analyses.get(uri)
        if cached is not None and cached.version == version and cached.text == text:
            return cached
        loop = asyncio.get_running_loop()
        analysis = await loop.run_in_executor(worker, analyse, uri, text, doc.language_id)
        analysis.version = version
        if document(ls, uri).version == version:
            analyses[uri] = analysis
        return analysis

    async def check_and_publish(ls, uri: str, delay: float) -> None:
        try:
            if delay:
                await asyncio.sleep(delay)  # a later change cancels this task
            version = document(ls, uri).version
            analysis = await analysis_for(ls, uri)
            if document(ls, uri).version != version or uri not in scheduled:
                return  # overtaken by an edit or closed: the newer check publishes
            show_settings_error(ls, analysis.settings_error)
            doc = document(ls, uri)
            diagnostics = [to_lsp(doc, analysis, d) for d in analysis.diagnostics]
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # never let one document take the server down
            log(ls, f"{uri}: {exc!r}")
            diagnostics, version = [], document(ls, uri).version
        ls.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version))

    def schedule(ls, uri: str, delay: float) -> None:
        previous = scheduled.get(uri)
        if previous is not None:
            previous.cancel()
        scheduled[uri] = asyncio.ensure_future(check_and_publish(ls, uri, delay))

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls, params: lsp.DidOpenTextDocumentParams) -> None:
        schedule(ls, params.text_document.uri, 0)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(ls, params: lsp.DidChangeTextDocumentParams) -> None:
        schedule(ls, params.text_document.uri, DEBOUNCE_SECONDS)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(ls, params: lsp.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        analyses.pop(uri, None)  # the project's settings may have changed with it
        schedule(ls, uri, 0)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    async def did_close(ls, params: lsp.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        task = scheduled.pop(uri, None)
        if task is not None:
            task.cancel()
        analyses.pop(uri, None)
        ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def wanted(only: Optional[Sequence[str]], kind: str) -> bool:
        return not only or any(kind == k or kind.startswith(k + ".") for k in only)

    def overlaps(a: "lsp.Range", b: "lsp.Range") -> bool:
        def key(p):
            return (p.line, p.character)
        return not (key(a.end) < key(b.start) or key(b.end) < key(a.start))

    def asked_for(diag: "lsp.Diagnostic", params: lsp.CodeActionParams) -> bool:
        """A diagnostic the client sent in the context, one the range touches, or one on
        the cursor's lines."""
        for sent in params.context.diagnostics:
            if sent.code == diag.code and sent.range == diag.range:
                return True
        lines = range(params.range.start.line, params.range.end.line + 1)
        return overlaps(diag.range, params.range) or diag.range.start.line in lines or diag.range.end.line in lines

    @server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION, lsp.CodeActionOptions(
        code_action_kinds=[lsp.CodeActionKind.QuickFix, lsp.CodeActionKind.SourceFixAll, FIX_ALL_KIND],
        resolve_provider=False))
    async def code_action(ls, params: lsp.CodeActionParams) -> List[lsp.CodeAction]:
        try:
            return await code_actions(ls, params)
        except Exception as exc:  # an error response would show the user a traceback
            log(ls, f"code actions for {params.text_document.uri}: {exc!r}")
            return []

    async def code_actions(ls, params: lsp.CodeActionParams) -> List[lsp.CodeAction]:
        from logcheck.workspace.add_noqa import add_noqa_to_text

        uri = params.text_document.uri
        doc = document(ls, uri)
        analysis = await analysis_for(ls, uri)
        if analysis.settings_error is not None:
            return []  # shown when the document was checked
        only = params.context.only
        python = _is_python(analysis.path, doc.language_id, analysis.text)
        actions: List[lsp.CodeAction] = []
        if wanted(only, lsp.CodeActionKind.QuickFix):
            for index, d in enumerate(analysis.diagnostics):
                diag = to_lsp(doc, analysis, d)
                if not asked_for(diag, params):
                    continue
                edits = analysis.fix_edits(index) if d.fix is not None else ()
                if edits:
                    unsafe = d.fix.applicability != "safe"
                    actions.append(lsp.CodeAction(
                        title=f"{d.code}: {d.fix.message}" + (" (unsafe)" if unsafe else ""),
                        kind=lsp.CodeActionKind.QuickFix,
                        diagnostics=[diag],
                        is_preferred=not unsafe,
                        edit=lsp.WorkspaceEdit(changes={uri: text_edits(doc, analysis, edits)}),
                    ))
                if d.code != "LC000" and python:
                    new_text, changed, _ = add_noqa_to_text(analysis.text, [d])
                    if changed:
                        actions.append(lsp.CodeAction(
                            title=f"{d.code}: disable for this line (# noqa)",
                            kind=lsp.CodeActionKind.QuickFix,
                            diagnostics=[diag],
                            edit=lsp.WorkspaceEdit(changes={
                                uri: text_edits(doc, analysis, [changed_span(analysis.text, new_text, analysis.starts)])}),
                        ))
        if wanted(only, FIX_ALL_KIND) and python \
                and any(d.fix is not None and d.fix.applicability == "safe" for d in analysis.diagnostics):
            if analysis.fix_all is None:  # once per version: editors ask on every cursor move
                source = SourceText(analysis.text, "utf-8", False)
                fixed = await asyncio.get_running_loop().run_in_executor(
                    worker, lambda: fix_source(str(analysis.path), source, analysis.rules, analysis.settings))
                analysis.fix_all = text_diff_edits(analysis.text, fixed.text)
            if analysis.fix_all:
                actions.append(lsp.CodeAction(
                    title="logcheck: fix all auto-fixable problems",
                    kind=FIX_ALL_KIND,
                    edit=lsp.WorkspaceEdit(changes={uri: text_edits(doc, analysis, analysis.fix_all)}),
                ))
        return actions

    return server


def main(args: Sequence[str] = ()) -> int:
    parser = argparse.ArgumentParser(prog="logcheck server",
                                     description="Language Server Protocol server over stdin/stdout.")
    parser.add_argument("--stdio", action="store_true", help="talk over stdin/stdout (the default and only transport)")
    parser.parse_args(list(args))
    try:
        server = build_server()
    except ImportError as exc:
        print(f"logcheck: error: the editor server needs pygls ({exc.name or exc} is missing); "
              f"{install_hint('server')}", file=sys.stderr)
        return 2
    server.start_io()
    return 0

