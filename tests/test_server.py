"""The editor server, driven as an editor would: `python -m logcheck server` in a
subprocess, JSON-RPC with Content-Length framing over its stdin/stdout."""

from __future__ import annotations

import json
import os
import shutil
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Dict, List, Optional

import pygls  # noqa: F401  (in the test extra: the server needs it)
import pytest

from helpers import checkout_env

TIMEOUT = 30.0

BAD = (
    "import logging\n"
    "\n"
    "log = logging.getLogger(__name__)\n"
    "\n"
    "\n"
    "def charge(order):\n"
    "    log.warn(\"charging %s\", order)\n"
    "    log.warning(\"fine\")\n"
    "    s = \"\U0001F642\"; log.warn(\"é %s\", s)  # comment\n"
)
# column of the second finding in UTF-16 code units (the emoji takes two)
SECOND_COL = len('    s = "') + 2 + len('"; ')


class Client:
    """A minimal LSP client."""

    def __init__(self, cwd: Path) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "logcheck", "server"], cwd=cwd,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.messages: "queue.Queue[Dict[str, Any]]" = queue.Queue()
        self.notifications: List[Dict[str, Any]] = []
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.proc.stdout
        while True:
            headers = {}
            while True:
                line = stream.readline()
                if not line:
                    return
                line = line.decode("ascii").strip()
                if not line:
                    break
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            body = stream.read(int(headers["content-length"]))
            self.messages.put(json.loads(body.decode("utf-8")))

    def send(self, message: Dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method: str, params: Dict[str, Any]) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: Any) -> Any:
        self.next_id += 1
        rid = self.next_id
        self.send({"id": rid, "method": method, "params": params})
        deadline = time.monotonic() + TIMEOUT
        while True:
            message = self.messages.get(timeout=max(0.1, deadline - time.monotonic()))
            if message.get("id") == rid and "method" not in message:
                assert "error" not in message, message
                return message["result"]
            self._other(message)

    def _other(self, message: Dict[str, Any]) -> None:
        if "method" in message and "id" in message:  # a request from the server: answer it
            self.send({"id": message["id"], "result": None})
        else:
            self.notifications.append(message)

    def diagnostics(self, uri: str, version: Optional[int] = None) -> List[Dict[str, Any]]:
        """Wait for the next publishDiagnostics for `uri` (for `version` if given)."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            for i, n in enumerate(self.notifications):
                p = n.get("params") or {}
                if n.get("method") == "textDocument/publishDiagnostics" and p.get("uri") == uri \
                        and (version is None or p.get("version") == version):
                    # drop this and the earlier publications; keep other notifications
                    self.notifications[: i + 1] = [m for m in self.notifications[:i]
                                                   if m.get("method") != "textDocument/publishDiagnostics"]
                    return p["diagnostics"]
            self._other(self.messages.get(timeout=max(0.1, deadline - time.monotonic())))

    def close(self) -> int:
        try:
            self.request("shutdown", None)
            self.notify("exit", {})
            return self.proc.wait(timeout=TIMEOUT)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()


def apply_edits(text: str, edits: List[Dict[str, Any]]) -> str:
    """Apply LSP TextEdits (UTF-16 positions) to `text`, as an editor does."""
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(pos: Dict[str, int]) -> int:
        if pos["line"] >= len(lines):
            return len(text)
        line = lines[pos["line"]]
        units, chars = 0, 0
        while units < pos["character"] and chars < len(line):
            units += 2 if ord(line[chars]) > 0xFFFF else 1
            chars += 1
        return starts[pos["line"]] + chars

    spans = sorted(((offset(e["range"]["start"]), offset(e["range"]["end"]), e["newText"]) for e in edits),
                   reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    # one server for the module (starting one takes seconds); each test opens its own files
    root = tmp_path_factory.mktemp("workspace")
    c = Client(root)
    result = c.request("initialize", {
        "processId": None, "rootUri": root.as_uri(),
        "capabilities": {"textDocument": {"publishDiagnostics": {}, "codeAction": {}}},
    })
    caps = result["capabilities"]
    assert caps["codeActionProvider"]["codeActionKinds"]
    assert "source.fixAll.logcheck" in caps["codeActionProvider"]["codeActionKinds"]
    c.notify("initialized", {})
    yield c
    assert c.close() == 0


def _open(client: Client, path: Path, text: str, version: int = 1) -> List[Dict[str, Any]]:
    uri = path.as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "python", "version": version, "text": text}})
    return client.diagnostics(uri, version)


def test_diagnostics_on_open(client, tmp_path):
    diagnostics = _open(client, tmp_path / "app.py", BAD)
    assert [(d["code"], d["range"]["start"]["line"], d["range"]["start"]["character"]) for d in diagnostics] == [
        ("LC301", 6, 4), ("LC301", 8, SECOND_COL)]
    d = diagnostics[0]
    assert d["source"] == "logcheck"
    assert d["range"]["end"] == {"line": 6, "character": len("    log.warn(\"charging %s\", order)")}
    # the rule's page as it ships with logcheck (no `rule-url` set): a file that exists
    href = d["codeDescription"]["href"]
    assert href.startswith("file:") and href.endswith("/LC301.md"), href


def test_quick_fix_round_trip(client, tmp_path):
    path = tmp_path / "app.py"
    uri = path.as_uri()
    diagnostics = _open(client, path, BAD)
    target = diagnostics[1]
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": target["range"],
        "context": {"diagnostics": [target], "only": ["quickfix"]}})
    fixes = [a for a in actions if a.get("isPreferred")]
    assert len(fixes) == 1 and fixes[0]["kind"] == "quickfix"
    assert fixes[0]["diagnostics"][0]["code"] == "LC301"
    fixed = apply_edits(BAD, fixes[0]["edit"]["changes"][uri])
    assert fixed == BAD.replace('log.warn("é', 'log.warning("é')
    # the editor sends the edited text: one finding left
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                             "contentChanges": [{"text": fixed}]})
    left = client.diagnostics(uri, 2)
    assert [(d["code"], d["range"]["start"]["line"]) for d in left] == [("LC301", 6)]


def test_noqa_quick_fix(client, tmp_path):
    path = tmp_path / "app.py"
    uri = path.as_uri()
    diagnostics = _open(client, path, BAD)
    target = diagnostics[1]
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": target["range"], "context": {"diagnostics": [target]}})
    noqa = [a for a in actions if "noqa" in a["title"]]
    assert len(noqa) == 1
    silenced = apply_edits(BAD, noqa[0]["edit"]["changes"][uri])
    assert '    s = "\U0001F642"; log.warn("é %s", s)  # comment  # noqa: LC301\n' in silenced
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                             "contentChanges": [{"text": silenced}]})
    assert [d["range"]["start"]["line"] for d in client.diagnostics(uri, 2)] == [6]


def test_fix_all_source_action_and_save(client, tmp_path):
    path = tmp_path / "app.py"
    uri = path.as_uri()
    _open(client, path, BAD)
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
        "context": {"diagnostics": [], "only": ["source.fixAll"]}})
    assert [a["kind"] for a in actions] == ["source.fixAll.logcheck"]
    fixed = apply_edits(BAD, actions[0]["edit"]["changes"][uri])
    assert fixed == BAD.replace("log.warn(", "log.warning(")
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                             "contentChanges": [{"text": fixed}]})
    assert client.diagnostics(uri, 2) == []
    path.write_text(fixed)
    client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
    assert client.diagnostics(uri) == []


def test_root_logger_fix_inserts_module_logger(client, tmp_path):
    path = tmp_path / "svc.py"
    uri = path.as_uri()
    text = "import logging\n\n\ndef run():\n    logging.info('x')\n"
    diagnostics = _open(client, path, text)
    assert [d["code"] for d in diagnostics] == ["LC101"]
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": diagnostics[0]["range"],
        "context": {"diagnostics": diagnostics, "only": ["quickfix"]}})
    fixed = apply_edits(text, [e for a in actions if a.get("isPreferred") for e in a["edit"]["changes"][uri]])
    assert "logger = logging.getLogger(__name__)" in fixed
    assert "    logger.info('x')\n" in fixed
    compile(fixed, "svc.py", "exec")


def test_project_config_is_used(client, tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.logcheck]\nignore = ["LC301"]\n')
    assert _open(client, tmp_path / "app.py", BAD) == []


def test_syntax_error_is_reported_not_fatal(client, tmp_path):
    diagnostics = _open(client, tmp_path / "broken.py", "import logging\nlogging.info(\n")
    assert [d["code"] for d in diagnostics] == ["LC000"]
    assert diagnostics[0]["severity"] == 1


def test_without_pygls_the_server_explains(monkeypatch, capsys):
    from logcheck.interfaces import server

    monkeypatch.setitem(sys.modules, "pygls", None)
    monkeypatch.setitem(sys.modules, "pygls.lsp.server", None)
    assert server.main([]) == 2
    assert "pip install -e '.[server]'" in capsys.readouterr().err


def test_fixable_flag_and_quick_fix_from_the_context(client, tmp_path):
    """`data.fixable` says which findings have a fix; the diagnostics the client sends pick
    the quick fixes even when the cursor is at column 0, before the finding."""
    path = tmp_path / "ctx.py"
    uri = path.as_uri()
    text = BAD + "    log.error(\"x\", exc_info=__import__('sys').exc_info)\n"
    diagnostics = _open(client, path, text)
    assert [d["data"]["fixable"] for d in diagnostics if d["code"] == "LC301"] == [True, True]
    target = diagnostics[1]
    line = target["range"]["start"]["line"]
    cursor = {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}}
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": cursor, "context": {"diagnostics": [target], "only": ["quickfix"]}})
    assert [a["title"] for a in actions if a.get("isPreferred")] == ["LC301: " + actions[0]["title"].split(": ", 1)[1]]
    # the cursor's line alone (no diagnostics sent) offers the same fix
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": cursor, "context": {"diagnostics": [], "only": ["quickfix"]}})
    assert [a["diagnostics"][0]["range"]["start"]["line"] for a in actions if a.get("isPreferred")] == [line]


def test_quick_edits_are_coalesced(client, tmp_path):
    """Five edits in quick succession: one check, published for the last version only."""
    path = tmp_path / "typing.py"
    uri = path.as_uri()
    _open(client, path, BAD)
    for version in range(2, 7):
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                 "contentChanges": [{"text": BAD + "#" * version + "\n"}]})
    assert len(client.diagnostics(uri, 6)) == 2
    time.sleep(0.5)  # a stale check would publish about now
    while not client.messages.empty():
        client._other(client.messages.get())
    published = [n["params"]["version"] for n in client.notifications
                 if n.get("method") == "textDocument/publishDiagnostics" and n["params"]["uri"] == uri]
    assert published == []


def test_requests_are_answered_while_a_file_is_checked(client, tmp_path):
    """A code action on a checked document is answered before a long check of another
    document (started just before) publishes."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bench.generated import module

    small = tmp_path / "small.py"
    diagnostics = _open(client, small, BAD)
    big = tmp_path / "big.py"
    big_uri = big.as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": big_uri, "languageId": "python", "version": 1, "text": module(5000)}})
    time.sleep(0.1)  # the big check has started on the worker
    client.request("textDocument/codeAction", {
        "textDocument": {"uri": small.as_uri()}, "range": diagnostics[0]["range"],
        "context": {"diagnostics": diagnostics[:1], "only": ["quickfix"]}})
    assert not any(n.get("params", {}).get("uri") == big_uri for n in client.notifications)
    assert len(client.diagnostics(big_uri, 1)) > 50


def test_settings_error_is_shown_not_thrown(client, tmp_path):
    config = tmp_path / "pyproject.toml"
    config.write_text('[tool.logcheck]\nselekt = ["LC301"]\n')
    path = tmp_path / "app.py"
    uri = path.as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "python", "version": 1, "text": BAD}})
    flagged = client.diagnostics(config.as_uri())
    assert len(flagged) == 1 and "selekt" in flagged[0]["message"] and flagged[0]["severity"] == 1
    assert client.diagnostics(uri, 1) == []
    shown = [n for n in client.notifications if n.get("method") == "window/showMessage"]
    assert shown and "selekt" in shown[-1]["params"]["message"]
    actions = client.request("textDocument/codeAction", {  # no JSON-RPC error: the request asserts it
        "textDocument": {"uri": uri}, "range": {"start": {"line": 6, "character": 0}, "end": {"line": 6, "character": 0}},
        "context": {"diagnostics": []}})
    assert actions == []
    config.write_text('[tool.logcheck]\nselect = ["LC301"]\n')  # fixed and saved: the flag goes
    client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
    assert client.diagnostics(config.as_uri()) == []
    assert len(client.diagnostics(uri)) == 2


NVIM_SCRIPT = r"""
vim.lsp.start({name = "logcheck", cmd = {%(python)s, "-m", "logcheck", "server"}, root_dir = %(root)s})
vim.wait(%(wait)d, function() return #vim.diagnostic.get(0) > 0 end, 20)
local lines = {}
for _, d in ipairs(vim.diagnostic.get(0)) do table.insert(lines, d.code .. " " .. d.lnum) end
vim.fn.writefile(lines, %(out)s)
vim.cmd("qall!")
"""


@pytest.mark.skipif(shutil.which("nvim") is None, reason="nvim is not on PATH")
def test_in_neovim_headless(tmp_path):
    """Neovim (0.8+ has `vim.lsp.start`) opens a file and shows logcheck's diagnostics."""
    version = subprocess.run(["nvim", "--version"], capture_output=True, text=True).stdout
    path = tmp_path / "app.py"
    path.write_text(BAD)
    out = tmp_path / "out.txt"
    script = tmp_path / "init.lua"
    script.write_text(NVIM_SCRIPT % {"python": json.dumps(sys.executable), "root": json.dumps(str(tmp_path)),
                                     "out": json.dumps(str(out)), "wait": 30000})
    if "NVIM v0.7" in version:  # no vim.lsp.start yet: the 0.7 form of the README
        script.write_text(script.read_text().replace(
            "vim.lsp.start(", "local id = vim.lsp.start_client(").replace(
            '}, root_dir = ' + json.dumps(str(tmp_path)) + '})',
            '}, root_dir = ' + json.dumps(str(tmp_path)) + '})\nvim.lsp.buf_attach_client(0, id)'))
    env = checkout_env(PYTHONPATH=os.pathsep.join(sys.path))  # without mutmut's MUTANT_UNDER_TEST
    subprocess.run(["nvim", "--headless", "--clean", "-c", f"luafile {script}", str(path)],
                   cwd=tmp_path, env=env, timeout=60, capture_output=True)
    assert out.read_text().split("\n")[:2] == ["LC301 6", "LC301 8"]
