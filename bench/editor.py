"""Output formats and the editor server, timed (docs/performance.md, "Every output and the
editor"):

    python bench/editor.py                       # this checkout
    python bench/editor.py --code /path/to/other/checkout --runs 1   # "before"

- formats: `logcheck --no-cache --output-format text|json|sarif` on a generated 5,000-line
  module (bench/generated.py, about 130 findings, all fixable) and, when the bench corpus
  is built, on the files of the subset projects (bench.SUBSET); median wall and CPU.
- editor: `logcheck server` over stdio on generated modules of 500, 5,000 and 50,000
  lines: the first publication after opening, a quick-fix code action at a finding, and
  the publication after one edit (re-lint, including the debounce); median of `--runs`,
  a request that takes longer than `--timeout` is reported as such.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Optional

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench import bench, corpus  # noqa: E402
from bench.generated import module  # noqa: E402


def formats(code: Path, runs: int, files: List[str], label: str) -> Dict[str, float]:
    env = dict(os.environ, PYTHONPATH=str(code))
    out: Dict[str, float] = {}
    for fmt in ("text", "json", "sarif"):
        samples = [bench.run_timed([sys.executable, "-m", "logcheck", "--no-cache", "--exit-zero",
                                    "--output-format", fmt, *files], Path.cwd(), env) for _ in range(runs)]
        out[fmt] = statistics.median(s.wall for s in samples)
        cpu = statistics.median(s.cpu for s in samples)
        print(f"{label:24} {fmt:6} {out[fmt]:8.2f} s wall {cpu:8.2f} s cpu", flush=True)
    print(f"{label:24} json/text {out['json'] / out['text']:.2f}x  sarif/text {out['sarif'] / out['text']:.2f}x")
    return out


def editor(code: Path, runs: int, sizes: List[int], timeout: float) -> None:
    os.environ["PYTHONPATH"] = str(code)
    from tests import test_server

    test_server.TIMEOUT = timeout
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        client = test_server.Client(root)
        client.request("initialize", {"processId": None, "rootUri": root.as_uri(), "capabilities": {}})
        client.notify("initialized", {})
        for size in sizes:
            text = module(size)
            opened, action, relint = [], [], []
            for run in range(runs):
                uri = (root / f"m{size}_{run}.py").as_uri()
                start = time.perf_counter()
                client.notify("textDocument/didOpen", {"textDocument": {
                    "uri": uri, "languageId": "python", "version": 1, "text": text}})
                found = _timed(client.diagnostics, uri, 1)
                opened.append(time.perf_counter() - start if found is not None else None)
                middle = [d for d in found or [] if d["range"]["start"]["line"] >= text.count("\n") // 2][:1]
                if middle:
                    start = time.perf_counter()
                    answer = _timed(client.request, "textDocument/codeAction", {
                        "textDocument": {"uri": uri}, "range": middle[0]["range"],
                        "context": {"diagnostics": middle, "only": ["quickfix"]}})
                    action.append(time.perf_counter() - start if answer is not None else None)
                start = time.perf_counter()
                client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                                         "contentChanges": [{"text": text + "# edited\n"}]})
                relint.append(time.perf_counter() - start if _timed(client.diagnostics, uri, 2) is not None else None)
                client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
            print(f"editor {size:6} lines  open {_median(opened, timeout)}  code action {_median(action, timeout)}  "
                  f"re-lint {_median(relint, timeout)}", flush=True)
        client.proc.kill()


def _timed(call, *args):
    try:
        return call(*args)
    except Exception:  # queue.Empty: no answer within the timeout
        return None


def _median(samples: List[Optional[float]], timeout: float) -> str:
    if not samples:
        return "-"
    if any(s is None for s in samples):
        return f"> {timeout:.0f} s"
    return f"{statistics.median(samples) * 1000:.0f} ms"


def main(argv: Optional[List[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--code", default=str(HERE.parent), help="the logcheck checkout to time (default: this one)")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for one answer")
    p.add_argument("--sizes", default="500,5000,50000")
    p.add_argument("--skip", default="", help="comma-separated: formats, corpus, editor")
    ns = p.parse_args(argv)
    code = Path(ns.code).resolve()
    skip = set(filter(None, ns.skip.split(",")))
    if "formats" not in skip:
        with tempfile.TemporaryDirectory() as tmp:
            generated = Path(tmp) / "generated.py"
            generated.write_text(module(5000))
            formats(code, ns.runs, [str(generated)], "5,000-line module")
        cache = corpus.default_cache()
        if "corpus" not in skip and (cache / "src").is_dir():
            roots = corpus.build("bench", cache)
            files = [str(f) for name in bench.SUBSET if name in roots for f in corpus.list_py(roots[name])]
            formats(code, ns.runs, files, f"subset ({len(files)} files)")
    if "editor" not in skip:
        editor(code, ns.runs, [int(s) for s in ns.sizes.split(",")], ns.timeout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
