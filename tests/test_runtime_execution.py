"""LC801-LC806 proven by execution with the real libraries (aws-lambda-powertools,
opentelemetry-instrumentation-logging; the `test` extra): each rule page's Example and its
`--fix` output run as a Lambda handler invoked with a stand-in context, and what they write
is compared. The oracle is the libraries' own output, never logcheck's code."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from helpers import fix
from test_rule_pages import RULES_DIR, all_blocks, parse_page

#: invokes `handler` of the module in app.py twice (a cold and a warm invocation)
DRIVER = r'''
import sys
from dataclasses import dataclass

sys.path.insert(0, sys.argv[1])


@dataclass
class Context:
    function_name: str = "orders"
    memory_limit_in_mb: int = 128
    invoked_function_arn: str = "arn:aws:lambda:eu-west-1:123456789012:function:orders"
    aws_request_id: str = "request-1"


import app

for _ in range(2):
    app.handler({"order_id": 7, "token": "secret-token"}, Context())
'''

#: keys whose values change from run to run
VOLATILE = ("timestamp", "location", "xray_trace_id", "_aws")


def invoke(tmp_path: Path, source: str, env=None):
    """(JSON records without their volatile keys, other stdout lines, stderr) of two invocations."""
    folder = tmp_path / f"run{len(list(tmp_path.iterdir()))}"
    folder.mkdir()
    (folder / "app.py").write_text(source)
    done = subprocess.run([sys.executable, "-c", DRIVER, str(folder)], capture_output=True, text=True,
                          env=dict(os.environ, **(env or {})), timeout=120)
    assert done.returncode == 0, done.stderr
    records, other = [], []
    for line in done.stdout.splitlines():
        try:
            value = json.loads(line)
        except ValueError:
            other.append(line)
            continue
        records.append({k: v for k, v in value.items() if k not in VOLATILE})
    return records, other, done.stderr


def page_example(code: str, unsafe: bool = False):
    _, sections, options = parse_page((RULES_DIR / f"{code}.md").read_text(encoding="utf-8"))
    example = all_blocks(sections["Example"])[0][1]
    settings = dict(options.get("settings", {}))
    fixed = fix(example, select=[code], unsafe=unsafe, path=options.get("filename", "example.py"), settings=settings,
                dedent=False)
    assert fixed != example
    return example, fixed


def test_lc801_log_event_writes_the_event_and_the_fix_removes_only_that(tmp_path):
    example, fixed = page_example("LC801")
    before, _, _ = invoke(tmp_path, example)
    after, _, _ = invoke(tmp_path, fixed)
    events = [r for r in before if isinstance(r["message"], dict)]
    assert [r["message"]["token"] for r in events] == ["secret-token", "secret-token"]
    assert [r for r in before if r not in events] == after  # every other record unchanged


def test_lc802_hoisted_logger_writes_the_same_records(tmp_path):
    example, fixed = page_example("LC802")
    before, _, _ = invoke(tmp_path, example)
    after, _, _ = invoke(tmp_path, fixed)
    assert before == after and [r["message"] for r in before] == ["received", "received"]


def test_lc803_without_the_decorator_records_carry_no_request_id(tmp_path):
    example, fixed = page_example("LC803", unsafe=True)
    before, _, _ = invoke(tmp_path, example)
    after, _, _ = invoke(tmp_path, fixed)
    assert [r.get("function_request_id") for r in before] == [None, None]
    assert [r.get("function_request_id") for r in after] == ["request-1", "request-1"]
    assert [r.get("cold_start") for r in after] == [True, False]
    assert [r["message"] for r in before] == [r["message"] for r in after]


def test_lc805_metrics_are_written_only_with_the_decorator(tmp_path):
    example, fixed = page_example("LC805")
    before, _, _ = invoke(tmp_path, example)
    after, _, _ = invoke(tmp_path, fixed)
    assert before == []  # buffered: nothing written in either invocation
    assert [r["Orders"] for r in after] == [[1.0], [1.0]], after


def _format_error(source: str) -> str:
    program = source + '\nimport logging\nlogging.getLogger("app").info("hello")\n'
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=120)
    return done.stderr


def test_lc806_example_loses_every_record_and_use_instead_does_not():
    _, sections, _ = parse_page((RULES_DIR / "LC806.md").read_text(encoding="utf-8"))
    example = all_blocks(sections["Example"])[0][1]
    clean = all_blocks(sections["Use instead"])[0][1]
    assert "--- Logging error ---" in _format_error(example)
    assert "Formatting field not found in record: 'otelTraceID'" in _format_error(example)
    shown = _format_error(clean)
    assert "Logging error" not in shown and "hello" in shown


STDLIB_FORMAT = '''
import logging, sys
logging.basicConfig(format="%(levelname)s [%(trace_id)s] %(message)s", stream=sys.stderr)
'''
STRUCTLOG_CHAIN = '''
import structlog

def add_trace(logger, method_name, event_dict):
    event_dict["trace_id"] = "t-1"
    return event_dict

structlog.configure(processors=[add_trace, {last}], logger_factory=structlog.stdlib.LoggerFactory())
structlog.get_logger("app").warning("from structlog")
'''


def _stderr(program: str) -> str:
    return subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=120).stderr


def test_structlog_processor_key_is_a_record_field_only_when_rendered_to_extra():
    """LC806's structlog supplier (tests/test_rules_runtime.py): with `render_to_log_kwargs`
    the processor's key is a record attribute; with a renderer it is only in the message."""
    shown = _stderr(STDLIB_FORMAT + STRUCTLOG_CHAIN.format(last="structlog.stdlib.render_to_log_kwargs"))
    assert "WARNING [t-1] from structlog" in shown and "Logging error" not in shown
    shown = _stderr(STDLIB_FORMAT + STRUCTLOG_CHAIN.format(last="structlog.processors.JSONRenderer()"))
    assert "Formatting field not found in record: 'trace_id'" in shown


def test_powertools_keys_are_not_record_fields():
    """LC806 does not count Powertools' `set_correlation_id`/`append_keys` as suppliers: the
    keys reach Powertools' JSON, and a standard formatter still fails on other records."""
    program = STDLIB_FORMAT.replace("trace_id", "correlation_id") + '''
from aws_lambda_powertools import Logger
logger = Logger(service="orders")
logger.set_correlation_id("c-1")
logger.append_keys(correlation_id="c-1")
logger.info("from powertools")
logging.getLogger("app").warning("from the standard library")
'''
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=120)
    assert json.loads(done.stdout.splitlines()[0])["correlation_id"] == "c-1"
    assert "Formatting field not found in record: 'correlation_id'" in done.stderr
    assert "Message: 'from the standard library'" in done.stderr


def test_dotted_ddtrace_field_is_a_format_field():
    """`%(dd.trace_id)s` is one mapping key (logcheck's format parser reads it whole)."""
    shown = _stderr('import logging\nlogging.basicConfig(format="%(dd.trace_id)s %(message)s")\nlogging.warning("x")')
    assert "Formatting field not found in record: 'dd.trace_id'" in shown


def test_powertools_exception_handler_runs_inside_the_resolvers_except():
    """LC304 is silent in a helper of an `@app.exception_handler` function (callgraph's
    EXCEPTION_HANDLER_DECORATORS): the resolver calls it while the exception is handled, so
    `logger.exception()` there writes the real traceback."""
    program = '''
import logging, sys
logging.basicConfig(stream=sys.stderr)
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

app = APIGatewayRestResolver()
logger = logging.getLogger("app")


def _report(ex):
    logger.exception("failed")


@app.exception_handler(ValueError)
def handle_value_error(ex):
    _report(ex)
    return Response(status_code=400, content_type="text/plain", body="bad")


@app.get("/orders")
def orders():
    raise ValueError("bad order")


event = {"httpMethod": "GET", "path": "/orders", "resource": "/orders", "headers": {}, "body": None,
         "queryStringParameters": None, "isBase64Encoded": False, "requestContext": {"requestId": "r"}}
print(app.resolve(event, None)["statusCode"])
'''
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "400", done.stderr
    assert "ValueError: bad order" in done.stderr and "NoneType: None" not in done.stderr
