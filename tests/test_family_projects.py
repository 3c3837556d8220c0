"""The LC7xx rules that ask what other modules of the project do (semantics/project_calls.py):
loguru's default sink removed elsewhere (LC703), the processors the project's
`structlog.configure` installs (LC711), configuration after cached use (LC712), and sinks
added in every worker process (LC702). Every case is a small project on disk, checked
in-process with the project's root as the settings root."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Dict, List, Optional

import pytest
from helpers import make_settings, package_project

from logcheck.lint.check import check_source
from logcheck.rules import registry
from logcheck.source.text import SourceText


def project_codes(root: Path, files: Dict[str, str], checked: str, codes: List[str],
                  extra: Optional[Dict[str, str]] = None, settings: Optional[dict] = None) -> List[str]:
    """The codes reported in `pkg/<checked>` of a project made of `files` (package `pkg`)
    and `extra` files at the project's root (environment and deployment files)."""
    package_project(root, "pkg", files)
    for rel, text in (extra or {}).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    path = root / "pkg" / checked
    found = check_source(str(path), SourceText(path.read_text(), "utf-8", False), registry.rules_for(codes),
                         make_settings(settings, root=root))
    return [d.code for d in found.diagnostics]


# ---------------------------------------------------------------------------- LC703
CONSOLE = "import sys\nfrom loguru import logger\nlogger.add(sys.stderr, format='{message}')\n"

#: (case, files besides `cli.py` (the module that adds a console sink), root files, reported)
DEFAULT_SINK = [
    ("nothing removes the default sink", {}, {}, True),
    ("another module removes it", {"main.py": "from loguru import logger\nlogger.remove()\n"}, {}, False),
    ("another module removes it by id", {"main.py": "import loguru\nloguru.logger.remove(0)\n"}, {}, False),
    ("another module configures the handlers",
     {"setup.py": "from loguru import logger\ndef setup():\n    logger.configure(handlers=[])\n"}, {}, False),
    ("a module of the project that does not use loguru removes from a list",
     {"util.py": "items = [1]\nitems.remove(1)\n"}, {}, True),
    ("only a test removes it", {}, {"tests/test_cli.py": "from loguru import logger\nlogger.remove()\n"}, True),
    ("LOGURU_AUTOINIT set in code",
     {"boot.py": "import os\nos.environ['LOGURU_AUTOINIT'] = 'False'\n"}, {}, False),
    ("LOGURU_AUTOINIT only quoted in text", {"doc.py": "'''see LOGURU_AUTOINIT'''\n"}, {}, True),
    ("LOGURU_AUTOINIT in a .env file", {}, {".env": "LOGURU_AUTOINIT=False\n"}, False),
    ("LOGURU_AUTOINIT in a Dockerfile", {}, {"Dockerfile": "FROM python\nENV LOGURU_AUTOINIT=0\n"}, False),
    ("LOGURU_AUTOINIT in a compose file", {}, {"deploy/compose.yml": "environment:\n  LOGURU_AUTOINIT: 'false'\n"},
     False),
]


@pytest.mark.parametrize("case,files,extra,reported", DEFAULT_SINK, ids=[c[0] for c in DEFAULT_SINK])
def test_default_sink_removed_anywhere_in_the_program(tmp_path, case, files, extra, reported):
    found = project_codes(tmp_path, {"cli.py": CONSOLE, **files}, "cli.py", ["LC703"], extra)
    assert found == (["LC703"] if reported else [])


def test_loguru_autoinit_false_means_no_default_sink():
    """The oracle of LOGURU_AUTOINIT: the real loguru adds no default sink when it is false."""
    import subprocess
    import sys

    pytest.importorskip("loguru")
    program = "from loguru import logger\nlogger.info('hello')\n"
    for value, expected in (("False", b""), ("True", b"hello")):
        out = subprocess.run([sys.executable, "-c", program], capture_output=True, timeout=60,
                             env={"LOGURU_AUTOINIT": value, "PATH": ""})
        assert (expected in out.stderr) if expected else out.stderr == b"", (value, out.stderr)


# ---------------------------------------------------------------------------- LC711
CALLS = """
import structlog
log = structlog.get_logger()
def ship(order, ts):
    log.info("shipped", level="high", timestamp=ts, logger="orders", lineno=3)
"""
P = "structlog.processors."


def configure(*processors: str, extra: str = "") -> str:
    return f"import structlog\nstructlog.configure(processors=[{', '.join(processors)}]{extra})\n"


#: (case, the module that configures, keys reported in `views.py`'s call)
PROCESSOR_KEYS = [
    ("add_log_level", configure(P + "add_log_level", P + "JSONRenderer()"), ["level"]),
    ("stdlib names", "from structlog.stdlib import add_log_level, add_logger_name\nimport structlog\n"
     "structlog.configure(processors=[add_log_level, add_logger_name])\n", ["level", "logger"]),
    ("TimeStamper", configure(P + "TimeStamper(fmt='iso')"), ["timestamp"]),
    ("TimeStamper with its own key", configure(P + "TimeStamper(key='ts')"), []),
    ("CallsiteParameterAdder", configure(P + "CallsiteParameterAdder()"), ["lineno"]),
    ("CallsiteParameterAdder without lineno",
     configure(P + "CallsiteParameterAdder([structlog.processors.CallsiteParameter.FILENAME])"), []),
    ("two configurations: only the keys both set", configure(P + "add_log_level", P + "TimeStamper()")
     + "def test_mode():\n    structlog.configure(processors=[structlog.processors.add_log_level])\n", ["level"]),
    ("a chain built elsewhere", "import structlog\nstructlog.configure(processors=CHAIN)\n", []),
    ("options passed on", configure(P + "add_log_level", extra=", **OPTIONS"), []),
    ("no configuration", "import structlog\n", []),
    ("a chain that sets none of them", configure(P + "format_exc_info", P + "JSONRenderer()"), []),
]


@pytest.mark.parametrize("case,config,keys", PROCESSOR_KEYS, ids=[c[0] for c in PROCESSOR_KEYS])
def test_keys_owned_by_the_configured_processors(tmp_path, case, config, keys):
    package_project(tmp_path, "pkg", {"log_setup.py": config, "views.py": CALLS})
    path = tmp_path / "pkg" / "views.py"
    found = check_source(str(path), SourceText(path.read_text(), "utf-8", False), registry.rules_for(["LC711"]),
                         make_settings(None, root=tmp_path)).diagnostics
    assert sorted(d.message.split("`")[1].rstrip("=") for d in found) == keys


def test_a_configuration_in_tests_does_not_hold_for_deployed_code(tmp_path):
    extra = {"tests/conftest.py": configure(P + "add_log_level")}
    assert project_codes(tmp_path, {"views.py": CALLS}, "views.py", ["LC711"], extra) == []


def test_exception_key_overwritten_only_when_an_exception_is_logged(tmp_path):
    calls = ("import structlog\nlog = structlog.get_logger()\nlog.info('a', exception='x')\n"
             "log.exception('b', exception='x')\nlog.error('c', exc_info=True, exception='x')\n"
             "log.error('d', exc_info=False, exception='x')\n")
    found = project_codes(tmp_path, {"setup.py": configure(P + "dict_tracebacks"), "views.py": calls}, "views.py",
                          ["LC711"])
    assert found == ["LC711", "LC711"]


#: (wrapper_class, processors, positional arguments reported)
POSITIONAL = [
    ("structlog.stdlib.BoundLogger", [P + "JSONRenderer()"], True),
    ("structlog.stdlib.BoundLogger", ["structlog.stdlib.PositionalArgumentsFormatter()", P + "JSONRenderer()"], False),
    ("structlog.stdlib.BoundLogger", ["structlog.stdlib.render_to_log_args_and_kwargs"], False),
    ("structlog.stdlib.BoundLogger", ["structlog.stdlib.ProcessorFormatter.wrap_for_formatter"], False),
    ("structlog.stdlib.BoundLogger", ["my_processor", P + "JSONRenderer()"], False),  # it may render them
    (None, [P + "JSONRenderer()"], False),  # the native logger formats them at the call
    ("structlog.make_filtering_bound_logger(20)", [P + "JSONRenderer()"], False),
]


@pytest.mark.parametrize("wrapper,processors,reported", POSITIONAL)
def test_positional_arguments_left_unrendered(tmp_path, wrapper, processors, reported):
    config = configure(*processors, extra=f", wrapper_class={wrapper}" if wrapper else "")
    config = config.replace("import structlog\n", "import structlog\nfrom app_processors import my_processor\n")
    calls = "import structlog\nlog = structlog.stdlib.get_logger()\nlog.info('user %s paid', user)\n"
    found = project_codes(tmp_path, {"setup.py": config, "views.py": calls}, "views.py", ["LC711"])
    assert found == (["LC711"] if reported else [])


OWNED = [
    ("structlog.processors.add_log_level", "level"),
    ("structlog.stdlib.add_logger_name", "logger"),
    ("structlog.processors.TimeStamper()", "timestamp"),
    ("structlog.processors.TimeStamper(key='ts')", "ts"),
    ("structlog.processors.CallsiteParameterAdder()", "lineno"),
    ("structlog.stdlib.add_log_level_number", "level_number"),
]


@pytest.mark.parametrize("processor,key", OWNED)
def test_owned_keys_are_overwritten_by_the_real_structlog(processor, key):
    """The oracle: with the processor configured, the value passed for its key never
    reaches the renderer."""
    import logging

    structlog = pytest.importorskip("structlog")
    seen = []

    def capture(logger, method, event_dict):
        seen.append(dict(event_dict))
        raise structlog.DropEvent

    structlog.configure(processors=[eval(processor, {"structlog": structlog}), capture],
                        logger_factory=structlog.stdlib.LoggerFactory())
    try:
        structlog.get_logger("app").info("event", **{key: "passed"})
    finally:
        structlog.reset_defaults()
    assert seen and seen[0][key] != "passed"
    logging.getLogger("app").handlers.clear()


def test_positional_arguments_stay_unrendered_in_the_real_structlog():
    structlog = pytest.importorskip("structlog")
    seen = []

    def capture(logger, method, event_dict):
        seen.append(dict(event_dict))
        raise structlog.DropEvent

    structlog.configure(processors=[capture], wrapper_class=structlog.stdlib.BoundLogger,
                        logger_factory=structlog.stdlib.LoggerFactory())
    try:
        structlog.get_logger().info("user %s paid", "bob")
    finally:
        structlog.reset_defaults()
    assert seen == [{"event": "user %s paid", "positional_args": ("bob",)}]


# ---------------------------------------------------------------------------- LC702: worker processes
SINK = "logger.add('app.log', rotation='10 MB', retention=5)"
SINK_MODULE = f"from loguru import logger\ndef setup_logging():\n    {SINK}\n"

#: (case, files of package `pkg` besides `log.py` (which defines `setup_logging`), root files,
#: the module checked, reported)
WORKERS = [
    ("a process target adds the sink", {"jobs.py": "import multiprocessing\nfrom pkg.log import setup_logging\n"
                                                   "def work():\n    setup_logging()\n"
                                                   "multiprocessing.Process(target=work).start()\n"},
     {}, "log.py", True),
    ("a pool initializer", {"jobs.py": "from concurrent.futures import ProcessPoolExecutor\n"
                                       "from pkg.log import setup_logging\n"
                                       "pool = ProcessPoolExecutor(4, initializer=setup_logging)\n"}, {}, "log.py", True),
    ("a pool initializer defined in the module",
     {"jobs.py": "import multiprocessing\nfrom loguru import logger\ndef init():\n    " + SINK + "\n"
                 "pool = multiprocessing.Pool(4, initializer=init)\n"}, {}, "jobs.py", True),
    ("gunicorn's post_fork hook", {}, {"gunicorn.conf.py": "from pkg.log import setup_logging\nworkers = 4\n"
                                                          "def post_fork(server, worker):\n    setup_logging()\n"},
     "log.py", True),
    ("uvicorn workers import the module", {"main.py": "from loguru import logger\n" + SINK + "\napp = object()\n"},
     {"serve.py": "import uvicorn\nuvicorn.run('pkg.main:app', workers=4)\n"}, "main.py", True),
    ("a Celery worker_process_init receiver",
     {"tasks.py": "from celery.signals import worker_process_init\nfrom pkg.log import setup_logging\n"
                  "@worker_process_init.connect\ndef init_worker(**kwargs):\n    setup_logging()\n"}, {}, "log.py", True),
    ("a Celery receiver connected by a call",
     {"tasks.py": "from celery import signals\nfrom pkg.log import setup_logging\n"
                  "signals.worker_process_init.connect(setup_logging)\n"}, {}, "log.py", True),
    # not proven
    ("a Celery receiver of another signal",
     {"tasks.py": "from celery.signals import worker_ready\nfrom pkg.log import setup_logging\n"
                  "@worker_ready.connect\ndef ready(**kwargs):\n    setup_logging()\n"}, {}, "log.py", False),
    ("uvicorn with one worker", {"main.py": "from loguru import logger\n" + SINK + "\napp = object()\n"},
     {"serve.py": "import uvicorn\nuvicorn.run('pkg.main:app', workers=1)\n"}, "main.py", False),
    ("called once in the parent", {"main.py": "from pkg.log import setup_logging\nsetup_logging()\n"}, {}, "log.py",
     False),
    ("a process target that does not add it", {"jobs.py": "import multiprocessing\ndef work():\n    pass\n"
                                                          "multiprocessing.Process(target=work).start()\n"},
     {}, "log.py", False),
    ("gunicorn's master hook", {}, {"gunicorn.conf.py": "from pkg.log import setup_logging\n"
                                                       "def when_ready(server):\n    setup_logging()\n"},
     "log.py", False),
    ("a target passed as an attribute", {"jobs.py": "import multiprocessing\nfrom pkg import log\n"
                                                    "multiprocessing.Process(target=log.setup_logging).start()\n"},
     {}, "log.py", False),
]


@pytest.mark.parametrize("case,files,extra,checked,reported", WORKERS, ids=[c[0] for c in WORKERS])
def test_rotating_sink_added_in_every_worker(tmp_path, case, files, extra, checked, reported):
    found = project_codes(tmp_path, {"log.py": SINK_MODULE, **files}, checked, ["LC702"], extra)
    assert found == (["LC702"] if reported else [])


@pytest.mark.parametrize("sink", ["'app_{time}.log'", "f'app-{os.getpid()}.log'", "path"])
def test_sink_names_that_differ_per_process_are_not_reported(tmp_path, sink):
    module = SINK_MODULE.replace("'app.log'", sink).replace("from loguru", "import os\nfrom loguru")
    jobs = "from concurrent.futures import ProcessPoolExecutor\nfrom pkg.log import setup_logging\n" \
           "pool = ProcessPoolExecutor(4, initializer=setup_logging)\n"
    assert project_codes(tmp_path, {"log.py": module, "jobs.py": jobs}, "log.py", ["LC702"]) == []


def test_a_removal_added_later_invalidates_the_cached_result(tmp_path):
    """The result cache records the project files the answer depends on (every module that
    names loguru): one that starts removing the default sink takes the finding away on the
    next (cached) run, and brings it back when it stops."""
    import subprocess
    import sys

    from helpers import checkout_env

    package_project(tmp_path, "pkg", {"cli.py": CONSOLE, "main.py": "from loguru import logger\n"})

    def rows():
        out = subprocess.run([sys.executable, "-m", "logcheck", "pkg", "--select", "LC703", "--output-format",
                              "concise", "--exit-zero", "--cache-dir", str(tmp_path / "cache")],
                             cwd=tmp_path, capture_output=True, text=True, env=checkout_env())
        assert out.returncode == 0, out.stderr
        return [line for line in out.stdout.splitlines() if "LC703" in line]

    assert len(rows()) == 1
    (tmp_path / "pkg" / "main.py").write_text("from loguru import logger\nlogger.remove()\n")
    assert rows() == []
    (tmp_path / "pkg" / "main.py").write_text("from loguru import logger\n")
    assert len(rows()) == 1
