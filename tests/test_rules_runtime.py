"""LC801-LC807: Lambda handlers found from each kind of deployment file and without one,
the Powertools and metrics rules, trace-context providers (LC806) and moved logging APIs
(LC807) with and without a new enough declared dependency. Each case runs the real CLI on a
small project in a temporary folder."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from helpers import checkout_env
from logcheck.lint.check import check_source
from logcheck.rules.registry import rules_for
from logcheck.rules.runtime.lc802_logger_per_invocation import LoggerPerInvocation
from logcheck.source.astfacts import facts_of
from logcheck.source.text import decode_source
from logcheck.workspace.settings_loader import settings_from_table

ROOT = Path(__file__).resolve().parent.parent

HANDLER = """\
from aws_lambda_powertools import Logger

logger = Logger(service="orders")


def main(event, context):
    logger.info("received")
"""


def run(folder: Path, *args: str):
    env = checkout_env()
    done = subprocess.run([sys.executable, "-m", "logcheck", "--no-cache", "--output-format", "json", *args, "."],
                          cwd=folder, env=env, capture_output=True, text=True)
    assert done.returncode in (0, 1), done.stderr
    return [(Path(d["filename"]).as_posix() if "filename" in d else d["path"], d["code"],
             d["location"]["row"] if "location" in d else d["row"]) for d in json.loads(done.stdout)]


def project(tmp_path: Path, files) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    (tmp_path / "pyproject.toml").write_text(files.get("pyproject.toml", "[tool.logcheck]\n"))
    return tmp_path


def codes_in(found, path):
    return sorted((code, row) for p, code, row in found if p.endswith(path))


SAM = """\
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: orders.main
      Role: !GetAtt Role.Arn
      Environment:
        Variables:
          TABLE: !Ref Table
"""
CFN = """\
Resources:
  Orders:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.11
      Handler: src/orders.main
      Code:
        ZipFile: !Sub "${AWS::StackName}"
"""
SERVERLESS = """\
service: shop
provider:
  name: aws
  runtime: python3.12
functions:
  orders:
    handler: src/orders.main
"""
CDK = """\
from aws_cdk import aws_lambda as _lambda

def stack(scope):
    _lambda.Function(scope, "Orders", runtime=_lambda.Runtime.PYTHON_3_12,
                     handler="orders.main", code=_lambda.Code.from_asset("src"))
"""

CDK_PROPS = """\
from aws_cdk import aws_lambda_python_alpha as python

def stack(scope, make):
    make(scope, "Orders", props=python.PythonFunctionProps(entry="src", index="orders.py", handler="main"))
"""


@pytest.mark.parametrize("deployment", [("template.yaml", SAM), ("template.yml", CFN), ("serverless.yml", SERVERLESS),
                                        ("infra/stack.py", CDK), ("infra/props.py", CDK_PROPS),
                                        ("templates/orders/template.yaml", SAM.replace("src/", "../../src/"))],
                         ids=["sam", "cloudformation", "serverless", "cdk", "cdk-props", "sam-relative-up"])
def test_handler_named_by_a_deployment_file(tmp_path, deployment):
    folder = project(tmp_path, {"src/orders.py": HANDLER, deployment[0]: deployment[1]})
    assert codes_in(run(folder), "src/orders.py") == [("LC803", 6)]


def test_no_handler_without_a_deployment_file_or_lambda_paths(tmp_path):
    folder = project(tmp_path, {"src/orders.py": HANDLER})
    assert codes_in(run(folder), "src/orders.py") == []


def test_event_context_function_under_lambda_paths(tmp_path):
    folder = project(tmp_path, {"src/orders.py": HANDLER,
                                "pyproject.toml": '[tool.logcheck]\nlambda-paths = ["src/**"]\n'})
    assert codes_in(run(folder), "src/orders.py") == [("LC803", 6)]


def test_other_runtimes_name_no_python_handler(tmp_path):
    folder = project(tmp_path, {"src/orders.py": HANDLER, "template.yaml": SAM.replace("python3.12", "nodejs20.x")})
    assert codes_in(run(folder), "src/orders.py") == []


def test_log_event_in_a_template_at_its_line_and_noqa(tmp_path):
    template = SAM.replace("          TABLE: !Ref Table\n",
                           "          TABLE: !Ref Table\n          POWERTOOLS_LOGGER_LOG_EVENT: \"true\"\n")
    folder = project(tmp_path, {"src/orders.py": HANDLER, "template.yaml": template})
    assert codes_in(run(folder), "template.yaml") == [("LC801", 15)]
    (folder / "template.yaml").write_text(template.replace('"true"\n', '"true"  # noqa: LC801\n'))
    assert codes_in(run(folder), "template.yaml") == []


def test_log_event_false_in_the_handler_overrides_the_variable(tmp_path):
    handler = HANDLER.replace("def main", "@logger.inject_lambda_context(log_event=False)\ndef main")
    template = SAM + "          POWERTOOLS_LOGGER_LOG_EVENT: \"true\"\n"
    folder = project(tmp_path, {"src/orders.py": handler, "template.yaml": template})
    assert codes_in(run(folder), "template.yaml") == []


def test_otel_correlation_value_the_instrumentor_does_not_read(tmp_path):
    template = SAM + "          OTEL_PYTHON_LOG_CORRELATION: \"1\"\n"
    folder = project(tmp_path, {"src/orders.py": HANDLER, "template.yaml": template})
    assert codes_in(run(folder), "template.yaml") == [("LC806", 15)]


def test_handler_rules_and_their_fixes(tmp_path):
    source = """\
    import logging
    import boto3
    from aws_lambda_powertools import Logger, Metrics

    logger = Logger(service="x")
    metrics = Metrics(namespace="shop")
    cloudwatch = boto3.client("cloudwatch")


    def helper(event, context):
        local = Logger(service="not a handler")
        cloudwatch.put_metric_data(Namespace="n", MetricData=[])


    def main(event, context):
        per_call = Logger(service="y")
        named = logging.getLogger("z")
        named.setLevel(logging.INFO)
        logging.basicConfig()
        logger.info("hi")
        metrics.add_metric(name="a", unit="Count", value=1)
        cloudwatch.put_metric_data(Namespace="n", MetricData=[])
        per_call.info("x")
    """
    folder = project(tmp_path, {"src/orders.py": source, "template.yaml": SAM})
    assert codes_in(run(folder), "src/orders.py") == [("LC802", 16), ("LC802", 18), ("LC802", 19), ("LC803", 15),
                                                       ("LC804", 22), ("LC805", 15)]
    run(folder, "--fix", "--unsafe-fixes", "--select", "LC802,LC803,LC805")
    fixed = (folder / "src/orders.py").read_text()
    assert 'per_call = Logger(service="y")\n\n\n@logger.inject_lambda_context\n@metrics.log_metrics\ndef main' in fixed
    assert codes_in(run(folder, "--select", "LC802,LC803,LC805"), "src/orders.py") == [("LC802", 22),
                                                                                       ("LC802", 23)]


CONFIG = """\
import logging.config
{provider}
logging.config.dictConfig({{
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {{"t": {{"format": "%(levelname)s %(name)s %({field})s %(message)s"}}}},
    "handlers": {{"h": {{"class": "logging.StreamHandler", "formatter": "t"}}}},
    "root": {{"handlers": ["h"], "level": "INFO"}},
}})
"""


@pytest.mark.parametrize("provider", [
    "from opentelemetry.instrumentation.logging import LoggingInstrumentor\n"
    "LoggingInstrumentor().instrument(set_logging_format=True)",
    "from opentelemetry.instrumentation.logging import LoggingInstrumentor\n"
    "LoggingInstrumentor().instrument(inject_trace_context=True)",
    "logging.setLogRecordFactory(lambda *a, **k: None)",
    "logging.getLogger().addFilter(lambda record: True)",
    "adapter = logging.LoggerAdapter(logging.getLogger(), {'otelTraceID': '0'})",
    "import os\nos.environ['OTEL_PYTHON_LOG_CORRELATION'] = 'true'",
    "import os\nos.environ.update(OTEL_PYTHON_LOG_CORRELATION='TRUE')",
], ids=["set_logging_format", "inject_trace_context", "record-factory", "filter", "adapter", "code-environ",
        "code-environ-update"])
def test_lc806_providers(tmp_path, provider):
    folder = project(tmp_path, {"app.py": CONFIG.format(provider=provider, field="otelTraceID")})
    assert codes_in(run(folder), "app.py") == []


def test_lc806_plain_instrument_injects_nothing_and_lc508_is_not_repeated(tmp_path):
    provider = "from opentelemetry.instrumentation.logging import LoggingInstrumentor\nLoggingInstrumentor().instrument()"
    folder = project(tmp_path, {"app.py": CONFIG.format(provider=provider, field="otelTraceID")})
    assert codes_in(run(folder), "app.py") == [("LC806", 7)]
    folder = project(tmp_path, {"app.py": CONFIG.format(provider="", field="correlation_id")})
    assert codes_in(run(folder), "app.py") == [("LC806", 6)]


def test_lc806_environment_variable_in_a_deployment_file(tmp_path):
    folder = project(tmp_path, {"src/app.py": CONFIG.format(provider="", field="otelTraceID"),
                                "template.yaml": SAM + "          OTEL_PYTHON_LOG_CORRELATION: \"true\"\n"})
    assert codes_in(run(folder), "src/app.py") == []


MOVED = [
    ("python-json-logger", "3.1.0", "from pythonjsonlogger.jsonlogger import JsonFormatter\n",
     "from pythonjsonlogger.json import JsonFormatter\n"),
    ("opentelemetry-instrumentation-logging", "0.61b0", "from opentelemetry.sdk._logs import LoggingHandler\n",
     "from opentelemetry.instrumentation.logging.handler import LoggingHandler\n"),
    ("python-json-logger", "3.1.0", 'FORMATTER = {"()": "pythonjsonlogger.jsonlogger.JsonFormatter"}\n',
     'FORMATTER = {"()": "pythonjsonlogger.json.JsonFormatter"}\n'),
]


@pytest.mark.parametrize("package, version, old, new", MOVED, ids=["jsonlogger", "otel-handler", "dictconfig-string"])
@pytest.mark.parametrize("declared, fixed", [(">={version}", True), ("<{version}", False), (None, False)],
                         ids=["new-enough", "too-old", "undeclared"])
def test_lc807_fix_depends_on_the_declared_range(tmp_path, package, version, old, new, declared, fixed):
    pyproject = "[project]\nname = 'x'\nversion = '1'\n"
    if declared is not None:
        pyproject += f"dependencies = ['{package}{declared.format(version=version)}']\n"
    folder = project(tmp_path, {"app.py": old, "pyproject.toml": pyproject})
    assert codes_in(run(folder), "app.py") == [("LC807", 1)]
    run(folder, "--fix")
    assert (folder / "app.py").read_text() == (new if fixed else old)


def test_lc807_structlog_threadlocal_is_reported_never_rewritten(tmp_path):
    folder = project(tmp_path, {"app.py": "from structlog.threadlocal import merge_threadlocal\n",
                                "pyproject.toml": "[project]\nname='x'\nversion='1'\ndependencies=['structlog>=22.1']\n"})
    assert codes_in(run(folder), "app.py") == [("LC807", 1)]
    run(folder, "--fix")
    assert (folder / "app.py").read_text() == "from structlog.threadlocal import merge_threadlocal\n"


def test_lc807_in_a_configuration_file(tmp_path):
    ini = """\
    [loggers]
    keys=root
    [handlers]
    keys=h
    [formatters]
    keys=j
    [logger_root]
    level=INFO
    handlers=h
    [handler_h]
    class=StreamHandler
    formatter=j
    args=(sys.stdout,)
    [formatter_j]
    class=pythonjsonlogger.jsonlogger.JsonFormatter
    """
    folder = project(tmp_path, {"logging.ini": ini})
    assert ("LC807", 15) in codes_in(run(folder), "logging.ini")


@pytest.mark.parametrize("specifier, minimum, admits", [
    (">=2.0", "3.1.0", True), ("<3", "3.1.0", False), ("==3.0.1", "3.1.0", False), ("==3.*", "3.1.0", True),
    ("~=2.0", "3.1.0", False), ("~=3.0", "3.1.0", True), ("<=0.60b1", "0.61b0", False), (">=0.55b0", "0.61b0", True),
    ("", "1.0", True),
])
def test_declared_range_admits(specifier, minimum, admits):
    from logcheck.config_model.dependencies import admits_at_least

    assert admits_at_least(specifier, minimum) is admits


def test_cloudformation_tags_are_read_safely(tmp_path):
    from logcheck.config_model.deployment import read_deployment

    path = tmp_path / "template.yaml"
    text = SAM + "          LEVEL: !If [IsProd, INFO, DEBUG]\n          NAME: !Sub '${AWS::Region}'\n"
    deployment = read_deployment(path, text)
    assert [(h.file, h.function) for h in deployment.handlers] == [(tmp_path / "src" / "orders.py", "main")]
    assert {v.name: v.value for v in deployment.environment} == {"TABLE": None, "LEVEL": None, "NAME": None}


DROPPED = """\
import logging
import logging.config

from opentelemetry.instrumentation.logging.handler import LoggingHandler

handler = LoggingHandler()
logging.getLogger().addHandler(handler)
{configure}
"""


@pytest.mark.parametrize("configure, dropped", [
    ('logging.config.dictConfig({"version": 1, "disable_existing_loggers": False, '
     '"handlers": {"o": {"class": "logging.StreamHandler"}}, "root": {"handlers": ["o"], "level": "INFO"}})', True),
    ('logging.basicConfig(level=logging.INFO, force=True)', True),
    ('logging.config.fileConfig("logging.ini")', True),
    ('logging.basicConfig(level=logging.INFO)', False),
    ('logging.config.dictConfig({"version": 1, "disable_existing_loggers": False, '
     '"handlers": {"o": {"class": "logging.StreamHandler"}}, "loggers": {"app": {"handlers": ["o"]}}})', False),
], ids=["dictConfig-root", "basicConfig-force", "fileConfig", "basicConfig", "dictConfig-named"])
def test_lc806_configuration_dropping_the_otel_root_handler(tmp_path, configure, dropped):
    folder = project(tmp_path, {"app.py": DROPPED.format(configure=configure)})
    assert [c for c in codes_in(run(folder, "--select", "LC806"), "app.py")] == ([("LC806", 8)] if dropped else [])


def test_lc806_policy_context_fields_move_a_field_from_lc508(tmp_path):
    source = CONFIG.format(provider="", field="tenant_trace")
    folder = project(tmp_path, {"app.py": source})
    assert codes_in(run(folder), "app.py") == [("LC508", 6)]
    folder = project(tmp_path, {"app.py": source,
                                "pyproject.toml": '[tool.logcheck.policy]\ncontext-fields = ["tenant_trace"]\n'})
    assert codes_in(run(folder), "app.py") == [("LC806", 6)]


DD_PROVIDERS = {
    "patch": {"app.py": "import ddtrace\nddtrace.patch(logging=True)"},
    "auto": {"app.py": "import ddtrace.auto"},
    "code-environ": {"app.py": "import os\nos.environ['DD_LOGS_INJECTION'] = 'true'"},
    "code-setdefault": {"app.py": "import os\nos.environ.setdefault('DD_LOGS_INJECTION', 'True')"},
    "template": {"app.py": "", "template.yaml": SAM + "          DD_LOGS_INJECTION: \"true\"\n"},
    "serverless": {"app.py": "", "serverless.yml": SERVERLESS.replace("  runtime: python3.12\n",
                                                                       "  runtime: python3.12\n  environment:\n"
                                                                       "    DD_LOGS_INJECTION: true\n")},
    "dockerfile": {"app.py": "", "Dockerfile": 'FROM python:3.12\nCMD ["ddtrace-run", "python", "app.py"]\n'},
    "procfile": {"app.py": "", "Procfile": "web: ddtrace-run gunicorn app:app\n"},
    "compose": {"app.py": "", "docker-compose.yml": "services:\n  web:\n    command: ddtrace-run python app.py\n"},
    "dotenv": {"app.py": "", ".env": "# Datadog\nexport DD_LOGS_INJECTION=true  # log injection\n"},
    "dotenv-stage": {"app.py": "", "deploy/prod.env": "DD_LOGS_INJECTION='1'\n"},
}
DD_NOT_PROVIDERS = {
    "nothing": {"app.py": ""},
    "patch-without-logging": {"app.py": "import ddtrace\nddtrace.patch(requests=True)"},
    "code-environ-false": {"app.py": "import os\nos.environ['DD_LOGS_INJECTION'] = 'false'"},
    "other-variable": {"app.py": "import os\nos.environ['DD_TRACE_ENABLED'] = 'true'"},
    "template-false": {"app.py": "", "template.yaml": SAM + "          DD_LOGS_INJECTION: \"false\"\n"},
    "dockerfile-comment": {"app.py": "", "Dockerfile": 'FROM python:3.12\n# ddtrace-run later\nCMD ["python", "app.py"]\n'},
    "launcher-in-another-file": {"app.py": "", "notes.txt": "ddtrace-run python app.py\n"},
}


def _dd_project(tmp_path, files):
    files = dict(files)
    provider = files.pop("app.py")
    lines = CONFIG.format(provider=provider, field="dd.trace_id")
    return project(tmp_path, {"src/app.py": lines, **files}), 6 + provider.count("\n")


@pytest.mark.parametrize("files", DD_PROVIDERS.values(), ids=DD_PROVIDERS.keys())
def test_lc806_ddtrace_log_injection_supplies_dd_fields(tmp_path, files):
    folder, _ = _dd_project(tmp_path, files)
    assert codes_in(run(folder), "src/app.py") == []


@pytest.mark.parametrize("files", DD_NOT_PROVIDERS.values(), ids=DD_NOT_PROVIDERS.keys())
def test_lc806_dd_fields_without_log_injection(tmp_path, files):
    folder, row = _dd_project(tmp_path, files)
    assert codes_in(run(folder), "src/app.py") == [("LC806", row)]


STRUCTLOG = """\
import structlog
{processor}
structlog.configure(
    processors=[structlog.stdlib.add_log_level, {chain}],
    logger_factory=structlog.stdlib.LoggerFactory(),
)
"""
ADD_TRACE = "def add_trace(logger, method_name, event_dict):\n    event_dict['trace_id'] = '0'\n    return event_dict\n"


@pytest.mark.parametrize("processor, chain, supplied", [
    (ADD_TRACE, "add_trace, structlog.stdlib.render_to_log_kwargs", True),
    (ADD_TRACE.replace("event_dict['trace_id'] = '0'", "event_dict.setdefault('trace_id', '0')"),
     "add_trace, structlog.stdlib.render_to_log_kwargs", True),
    (ADD_TRACE.replace("event_dict['trace_id'] = '0'", "event_dict.update(trace_id='0')"),
     "add_trace, structlog.stdlib.render_to_log_args_and_kwargs", True),
    ("", "structlog.contextvars.merge_contextvars, structlog.stdlib.render_to_log_kwargs", True),
    ("from myproject.logs import add_trace", "add_trace, structlog.stdlib.render_to_log_kwargs", True),
    # the key is rendered into the message, not onto the record
    (ADD_TRACE, "add_trace, structlog.processors.JSONRenderer()", False),
    # the processor adds another key
    (ADD_TRACE.replace("trace_id", "user"), "add_trace, structlog.stdlib.render_to_log_kwargs", False),
    ("", "structlog.processors.TimeStamper(fmt='iso'), structlog.stdlib.render_to_log_kwargs", False),
], ids=["subscript", "setdefault", "update", "merge_contextvars", "imported-processor", "json-renderer",
        "other-key", "structlog-processors-only"])
def test_lc806_structlog_processors_rendered_to_extra(tmp_path, processor, chain, supplied):
    provider = STRUCTLOG.format(processor=processor, chain=chain)
    folder = project(tmp_path, {"app.py": CONFIG.format(provider=provider, field="trace_id")})
    row = 6 + provider.count("\n")
    assert codes_in(run(folder, "--select", "LC508,LC806"), "app.py") == ([] if supplied else [("LC806", row)])


def test_lc806_structlog_processor_formatter_is_not_judged(tmp_path):
    source = CONFIG.format(provider="", field="trace_id").replace(
        '"t": {"format"', '"t": {"()": "structlog.stdlib.ProcessorFormatter", "processors": [], "format"')
    folder = project(tmp_path, {"app.py": source})
    assert codes_in(run(folder), "app.py") == []


@pytest.mark.parametrize("provider", [
    "from aws_lambda_powertools import Logger\nlogger = Logger(service='x')\nlogger.set_correlation_id('c')",
    "from aws_lambda_powertools import Logger\nlogger = Logger(service='x')\nlogger.append_keys(correlation_id='c')",
], ids=["set_correlation_id", "append_keys"])
def test_lc806_powertools_keys_are_not_record_fields(tmp_path, provider):
    """Powertools writes these keys into its own JSON, not onto records: a standard
    formatter's field stays missing (tests/test_runtime_execution.py runs it)."""
    folder = project(tmp_path, {"app.py": CONFIG.format(provider=provider, field="correlation_id")})
    assert codes_in(run(folder), "app.py") == [("LC806", 6 + provider.count("\n"))]


EMF = """\
from aws_embedded_metrics.logger.metrics_logger_factory import create_metrics_logger
from aws_embedded_metrics import metric_scope


{decorator}def main(event, context{param}):
    metrics = {create}
    metrics.put_metric("Orders", 1, "Count")
{flush}
"""


@pytest.mark.parametrize("decorator, param, create, flush, reported", [
    ("", "", "create_metrics_logger()", "", True),
    ("", "", "create_metrics_logger()", "    metrics.flush_sync()", False),
    ("", "", "create_metrics_logger()", "    asyncio.run(metrics.flush())", False),
    ("@metric_scope\n", ", metrics=None", "metrics", "", False),
    ("", "", "make_metrics()", "", False),  # not proven an aws-embedded-metrics logger
], ids=["never-flushed", "flush_sync", "flush", "metric_scope", "unknown-object"])
def test_lc805_aws_embedded_metrics(tmp_path, decorator, param, create, flush, reported):
    source = EMF.format(decorator=decorator, param=param, create=create, flush=flush)
    folder = project(tmp_path, {"src/orders.py": source, "template.yaml": SAM})
    row = 5 + decorator.count("\n")
    assert codes_in(run(folder), "src/orders.py") == ([("LC805", row)] if reported else [])
    folder = project(tmp_path / "bare", {"src/orders.py": source})  # not a handler: nothing names it
    assert codes_in(run(folder), "src/orders.py") == []


REACH = """\
import boto3
from aws_lambda_powertools import Logger, Metrics, Tracer
{imports}
logger = Logger(service="orders")
metrics = Metrics(namespace="Shop")
tracer = Tracer()
cloudwatch = boto3.client("cloudwatch")


def _record(name):
    metrics.add_metric(name=name, unit="Count", value=1)


def _publish():
    metrics.flush_metrics()


def _send():
    cloudwatch.put_metric_data(Namespace="n", MetricData=[])


def _note(text):
    logger.info(text)


{decorator}def main(event, context):
{body}
"""


def _reach(tmp_path, body, decorator="", imports="", files=None):
    source = REACH.format(imports=imports, decorator=decorator, body=textwrap.indent(body, "    "))
    folder = project(tmp_path, {"src/orders.py": source, "template.yaml": SAM, **(files or {})})
    return [(code, row) for code, row in codes_in(run(folder, "--select", "LC803,LC804,LC805"), "src/orders.py")]


MAIN = 26  # the row of `def main` without a decorator


@pytest.mark.parametrize("body, decorator, found", [
    # detection through a function of the file the handler calls
    ("_record('a')", "@logger.inject_lambda_context\n", [("LC805", MAIN + 1)]),
    ("_send()", "@logger.inject_lambda_context\n@metrics.log_metrics\n", [("LC804", 19)]),
    ("_note('x')", "", [("LC803", MAIN)]),
    # a flush in a function the handler calls
    ("_record('a')\n_publish()", "@logger.inject_lambda_context\n", []),
    # a decorator that is not the one that injects or flushes
    ("logger.info('x')", "@tracer.capture_lambda_handler\n", [("LC803", MAIN + 1)]),
    # a decorator given the logger: what it does is not known
    ("logger.info('x')", "@with_logging(logger)\n", []),
], ids=["add-in-helper", "put_metric_data-in-helper", "logger-in-helper", "flush-in-helper",
        "other-decorator", "decorator-given-the-logger"])
def test_lc803_lc805_beyond_the_handler_body(tmp_path, body, decorator, found):
    imports = "from tools import with_logging" if "with_logging" in decorator else ""
    assert _reach(tmp_path, body, decorator, imports) == found


DECORATORS = """\
import functools

from orders_common import logger, metrics


def with_context(handler):
    @functools.wraps(handler)
    def wrapper(event, context):
        return logger.inject_lambda_context(handler)(event, context)
    return wrapper


def with_metrics(handler):
    return metrics.log_metrics(handler)


def with_nothing(handler):
    return handler


def publish_all():
    metrics.flush_metrics()
"""


@pytest.mark.parametrize("body, decorator, found", [
    ("logger.info('x')", "@with_context\n", []),
    ("logger.info('x')", "@with_nothing\n", [("LC803", MAIN + 1)]),
    ("logger.info('x')\n_record('a')", "@with_context\n@with_metrics\n", []),
    ("logger.info('x')\n_record('a')\npublish_all()", "@with_context\n", []),
    ("logger.info('x')\n_record('a')", "@with_context\n@with_nothing\n", [("LC805", MAIN + 2)]),
], ids=["project-decorator-injects", "project-decorator-does-not", "project-decorator-flushes",
        "project-function-flushes", "project-decorator-does-not-flush"])
def test_lc803_lc805_decorators_and_functions_elsewhere_in_the_project(tmp_path, body, decorator, found):
    imports = "from decorators import with_context, with_metrics, with_nothing, publish_all"
    assert _reach(tmp_path, body, decorator, imports, {"src/decorators.py": DECORATORS}) == found


def test_lc803_a_project_decorator_the_graph_cannot_read_is_unknown(tmp_path):
    files = {"src/decorators.py": "def with_context(handler):\n    return handler(\n"}  # does not parse
    imports = "from decorators import with_context"
    assert _reach(tmp_path, "logger.info('x')", "@with_context\n", imports, files) == []


def test_lc805_aws_embedded_metrics_flushed_by_a_function_the_handler_calls(tmp_path):
    source = EMF.format(decorator="", param="", create="create_metrics_logger()", flush="    publish(metrics)")
    source += "\n\ndef publish(metrics):\n    metrics.flush_sync()\n"
    folder = project(tmp_path, {"src/orders.py": source, "template.yaml": SAM})
    assert codes_in(run(folder), "src/orders.py") == []


@pytest.mark.parametrize("name, text, found", [
    (".env", "TABLE=orders\nPOWERTOOLS_LOGGER_LOG_EVENT=true\n", [("LC801", 2)]),
    (".env", "export POWERTOOLS_LOGGER_LOG_EVENT=\"TRUE\"\n", [("LC801", 1)]),
    (".env.production", "# comment\n\nOTEL_PYTHON_LOG_CORRELATION=1 # not read as true\n", [("LC806", 3)]),
    ("prod.env", "POWERTOOLS_LOGGER_LOG_EVENT=false\nOTEL_PYTHON_LOG_CORRELATION=true\n", []),
    (".env", "# POWERTOOLS_LOGGER_LOG_EVENT=true\nPOWERTOOLS_LOGGER_LOG_EVENT=${LOG_EVENT}\n", []),
    (".env", "POWERTOOLS_LOGGER_LOG_EVENT=true  # noqa: LC801\n", []),
    (".env", "POWERTOOLS_LOGGER_LOG_EVENT=true  # noqa: LC806\n", [("LC801", 1)]),
], ids=["log-event", "export-quoted", "otel-value", "false-and-true", "comment-and-reference", "noqa",
        "noqa-other-code"])
def test_dotenv_files_are_deployment_configuration(tmp_path, name, text, found):
    folder = project(tmp_path, {"src/orders.py": HANDLER, name: text})
    assert codes_in(run(folder), name) == found
    assert [p for p, _, _ in run(folder) if not p.endswith("/" + name)] == []  # nothing elsewhere


def test_dotenv_otel_correlation_supplies_otel_fields(tmp_path):
    source = CONFIG.format(provider="", field="otelTraceID")
    assert codes_in(run(project(tmp_path, {"app.py": source})), "app.py") == [("LC806", 6)]
    folder = project(tmp_path, {"app.py": source, ".env": "OTEL_PYTHON_LOG_CORRELATION=true\n"})
    assert codes_in(run(folder), "app.py") == []


def test_dotenv_file_is_checked_a_dotenv_folder_is_not(tmp_path):
    files = {".env": "POWERTOOLS_LOGGER_LOG_EVENT=true\n",
             "tools/.env/lib/site.py": "import logging\nlogging.warn('x')\n"}  # a virtualenv folder named .env
    folder = project(tmp_path, files)
    assert [(Path(p).name, code) for p, code, _ in run(folder)] == [(".env", "LC801")]
    (folder / "pyproject.toml").write_text('[tool.logcheck]\nextend-exclude = [".env"]\n')
    assert run(folder) == []


#: LC802 only: a handler that configures logging on every invocation
BASIC_CONFIG_IN_HANDLER = """\
import logging


def main(event, context):
    logging.basicConfig(level="INFO")
"""


@pytest.mark.parametrize("files, settings, found", [
    ({"src/orders.py": BASIC_CONFIG_IN_HANDLER, "template.yaml": SAM}, "", [("src/orders.py", "LC802")]),
    ({"src/orders.py": BASIC_CONFIG_IN_HANDLER}, 'lambda-paths = ["src/**"]', [("src/orders.py", "LC802")]),
    ({"src/orders.py": BASIC_CONFIG_IN_HANDLER}, "", []),  # no handler: the gate says no
    ({"src/orders.py": BASIC_CONFIG_IN_HANDLER, "template.yaml": SAM.replace("orders.main", "orders.other")}, "", []),
    ({"src/orders.py": BASIC_CONFIG_IN_HANDLER.replace("(event, context)", "(event)")}, 'lambda-paths = ["src/**"]',
     []),
], ids=["template", "lambda-paths", "no-handler", "another-handler", "not-the-signature"])
def test_the_handler_gate_of_logger_per_invocation(tmp_path, monkeypatch, files, settings, found):
    """LC802 reports only inside a handler, so its gate parses a file only when a deployment
    file names one of its functions or `lambda-paths` covers it (and it has the signature):
    the CLI (with the gate) finds what the rule alone finds (in process, no pre-check)."""
    folder = project(tmp_path, files)
    table = {"lambda-paths": ["src/**"]} if settings else {}
    if settings:
        (folder / "pyproject.toml").write_text(f"[tool.logcheck]\n{settings}\n")
    assert [(Path(p).relative_to(folder).as_posix(), code) for p, code, _ in run(folder, "--select", "LC802")] == found
    monkeypatch.chdir(folder)
    alone = check_source("src/orders.py", decode_source((folder / "src/orders.py").read_bytes()),
                         rules_for(["LC802"]), settings_from_table(table, folder, None))
    assert [("src/orders.py", d.code) for d in alone.diagnostics] == found
    facts = facts_of(ast.parse((folder / "src/orders.py").read_bytes()), path=Path("src/orders.py"))
    assert LoggerPerInvocation.ast_gate(facts, settings_from_table(table, folder, None)) is bool(found)


def run_cached(folder: Path):
    env = checkout_env()
    done = subprocess.run([sys.executable, "-m", "logcheck", "--cache-dir", str(folder / ".cache"), "--output-format",
                           "json", "."], cwd=folder, env=env, capture_output=True, text=True)
    assert done.returncode in (0, 1), done.stderr
    return sorted((Path(d["filename"]).name, d["code"]) for d in json.loads(done.stdout))


@pytest.mark.parametrize("files, added, before, after", [
    ({"src/orders.py": HANDLER}, {"template.yaml": SAM}, [], [("orders.py", "LC803")]),
    ({"src/orders.py": HANDLER}, {"serverless.yml": SERVERLESS}, [],
     [("orders.py", "LC803")]),
    ({"app.py": CONFIG.format(provider="", field="otelTraceID")}, {".env": "OTEL_PYTHON_LOG_CORRELATION=true\n"},
     [("app.py", "LC806")], []),
    ({"app.py": CONFIG.format(provider="", field="dd.trace_id")}, {"Dockerfile": "CMD ddtrace-run python app.py\n"},
     [("app.py", "LC806")], []),
    ({"src/orders.py": HANDLER}, {"infra/stack.py": CDK}, [], [("orders.py", "LC803")]),
    # LC802's gate (a file without a handler is not parsed) depends on the deployment files too
    ({"src/orders.py": BASIC_CONFIG_IN_HANDLER}, {"template.yaml": SAM}, [], [("orders.py", "LC802")]),
], ids=["template", "serverless", "dotenv", "dockerfile", "cdk", "gated-out"])
def test_a_new_deployment_file_invalidates_cached_results(tmp_path, files, added, before, after):
    folder = project(tmp_path, files)
    assert run_cached(folder) == before
    assert run_cached(folder) == before  # warm: answered from the cache
    for name, text in added.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    assert [f for f in run_cached(folder) if f[0] not in added] == after


def test_an_edited_template_that_now_names_the_handler_invalidates(tmp_path):
    other = SAM.replace("Handler: orders.main", "Handler: other.main")
    folder = project(tmp_path, {"src/orders.py": HANDLER, "template.yaml": other})
    assert run_cached(folder) == run_cached(folder) == []
    (folder / "template.yaml").write_text(SAM)
    assert run_cached(folder) == [("orders.py", "LC803")]
