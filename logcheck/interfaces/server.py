"""`logcheck server`: a Language Server Protocol server over stdio (pygls).

It publishes diagnostics when a document is opened, changed or saved, and offers code
actions: each finding's fix as a `quickfix`, a `# noqa: CODE` comment for the line as a
second `quickfix`, and every safe fix at once as the source action
`source.fixAll.logcheck` (what editors run for "fix all" or on save). It reuses the
engine and the `[tool.logcheck]` settings of the file's project, exactly as the command
line does. pygls is imported only here: install it with `pip install 'logcheck[server]'`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import List, Optional, Sequence

from logcheck import __version__
from logcheck.lint.check import check_source, fix_source, with_fix_edits
from logcheck.lint.fixes import text_edits as text_diff_edits
from logcheck.rules.selection import codes_for
from logcheck.source.text import SourceText

FIX_ALL_KIND = "source.fixAll.logcheck"
RULE_URL = "https://logcheck.readthedocs.io/en/latest/rules/{code}/"


class Analysis:
    """One document checked: its text, row offsets, and diagnostics with fix edits."""

    def __init__(self, uri: str, text: str, path: Path, settings, rules, diagnostics) -> None:
        from logcheck.source.text import line_starts

        self.uri = uri
        self.text = text
        self.path = path
        self.settings = settings
        self.rules = rules
        self.diagnostics = diagnostics
        self.starts = line_starts(text)

    def line(self, row: int) -> str:
        if row < 1 or row > len(self.starts):
            return ""
        end = self.starts[row] if row < len(self.starts) else len(self.text)
        return self.text[self.starts[row - 1]:end].rstrip("\r\n")


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


def analyse(uri: str, text: str, language_id: Optional[str] = None, want_edits: bool = True) -> Analysis:
    from logcheck.rules import registry
    from logcheck.workspace.settings_loader import SettingsResolver

    path = _path_for(uri)
    settings = SettingsResolver().for_path(path)
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
    diagnostics = with_fix_edits(result) if want_edits else list(result.diagnostics)
    return Analysis(uri, text, path, settings, rules, diagnostics)


def build_server():
    from lsprotocol import types as lsp
    from pygls.lsp.server import LanguageServer

    server = LanguageServer("logcheck", __version__)

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
        return lsp.Diagnostic(
            range=to_range(doc, analysis, d.row, d.col, d.end_row, d.end_col),
            message=d.message,
            severity=lsp.DiagnosticSeverity.Error if d.code == "LC000" else lsp.DiagnosticSeverity.Warning,
            code=d.code,
            code_description=lsp.CodeDescription(href=RULE_URL.format(code=d.code)) if d.code != "LC000" else None,
            source="logcheck",
            data={"fixable": d.fix is not None and bool(d.fix.edits)},
        )

    def text_edits(doc, analysis: Analysis, edits) -> List["lsp.TextEdit"]:
        return [lsp.TextEdit(range=to_range(doc, analysis, e.row, e.col, e.end_row, e.end_col), new_text=e.content)
                for e in edits]

    def publish(ls, uri: str) -> None:
        doc = document(ls, uri)
        try:
            analysis = analyse(uri, doc.source, doc.language_id, want_edits=False)
            diagnostics = [to_lsp(doc, analysis, d) for d in analysis.diagnostics]
        except Exception as exc:  # never let one document take the server down
            ls.window_log_message(lsp.LogMessageParams(type=lsp.MessageType.Error,
                                                       message=f"logcheck: {uri}: {exc!r}"))
            diagnostics = []
        ls.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=doc.version))

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls, params: lsp.DidOpenTextDocumentParams) -> None:
        publish(ls, params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls, params: lsp.DidChangeTextDocumentParams) -> None:
        publish(ls, params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls, params: lsp.DidSaveTextDocumentParams) -> None:
        publish(ls, params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls, params: lsp.DidCloseTextDocumentParams) -> None:
        ls.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))

    def wanted(only: Optional[Sequence[str]], kind: str) -> bool:
        return not only or any(kind == k or kind.startswith(k + ".") for k in only)

    def overlaps(a: "lsp.Range", b: "lsp.Range") -> bool:
        def key(p):
            return (p.line, p.character)
        return not (key(a.end) < key(b.start) or key(b.end) < key(a.start))

    @server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION, lsp.CodeActionOptions(
        code_action_kinds=[lsp.CodeActionKind.QuickFix, lsp.CodeActionKind.SourceFixAll, FIX_ALL_KIND],
        resolve_provider=False))
    def code_action(ls, params: lsp.CodeActionParams) -> List[lsp.CodeAction]:
        from logcheck.workspace.add_noqa import add_noqa_to_text

        uri = params.text_document.uri
        doc = document(ls, uri)
        analysis = analyse(uri, doc.source, doc.language_id)
        only = params.context.only
        actions: List[lsp.CodeAction] = []
        if wanted(only, lsp.CodeActionKind.QuickFix):
            for d in analysis.diagnostics:
                diag = to_lsp(doc, analysis, d)
                if not overlaps(diag.range, params.range):
                    continue
                if d.fix is not None and d.fix.edits:
                    unsafe = d.fix.applicability != "safe"
                    actions.append(lsp.CodeAction(
                        title=f"{d.code}: {d.fix.message}" + (" (unsafe)" if unsafe else ""),
                        kind=lsp.CodeActionKind.QuickFix,
                        diagnostics=[diag],
                        is_preferred=not unsafe,
                        edit=lsp.WorkspaceEdit(changes={uri: text_edits(doc, analysis, d.fix.edits)}),
                    ))
                if d.code != "LC000" and _is_python(analysis.path, doc.language_id, analysis.text):
                    new_text, changed, _ = add_noqa_to_text(analysis.text, [d])
                    if changed:
                        actions.append(lsp.CodeAction(
                            title=f"{d.code}: disable for this line (# noqa)",
                            kind=lsp.CodeActionKind.QuickFix,
                            diagnostics=[diag],
                            edit=lsp.WorkspaceEdit(changes={
                                uri: text_edits(doc, analysis, text_diff_edits(analysis.text, new_text))}),
                        ))
        if wanted(only, FIX_ALL_KIND) and _is_python(analysis.path, doc.language_id, analysis.text) \
                and any(d.fix is not None and d.fix.applicability == "safe" for d in analysis.diagnostics):
            source = SourceText(analysis.text, "utf-8", False)
            fixed = fix_source(str(analysis.path), source, analysis.rules, analysis.settings, unsafe=False)
            if fixed.text != analysis.text:
                actions.append(lsp.CodeAction(
                    title="logcheck: fix all auto-fixable problems",
                    kind=FIX_ALL_KIND,
                    edit=lsp.WorkspaceEdit(changes={
                        uri: text_edits(doc, analysis, text_diff_edits(analysis.text, fixed.text))}),
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
        print(f"logcheck: error: the editor server needs pygls ({exc.name or exc} is missing): "
              "pip install 'logcheck[server]'", file=sys.stderr)
        return 2
    server.start_io()
    return 0

