"""Deployment files of AWS Lambda functions: which Python functions are Lambda handlers,
and which environment variables the functions get.

Read here (the configuration layer reads files; the semantic layer only asks which
functions of a module are handlers, `semantics/lambda_handlers.py`):

- AWS SAM / CloudFormation templates (YAML or JSON): `AWS::Serverless::Function` and
  `AWS::Lambda::Function` resources, their `Handler`, `CodeUri`, `Runtime` and
  `Environment.Variables`, with SAM's `Globals.Function` as their defaults;
- `serverless.yml`: `functions.<name>.handler` (a path from the service folder), the
  function's and the provider's `environment`;
- CDK apps in Python: `Function(handler="mod.fn", code=Code.from_asset("dir"))` and
  `PythonFunction(entry="dir", index="app.py", handler="fn")`;
- `.env` files (`dotenv.py`): variables without the handlers they reach (unknown);
- Dockerfiles, Procfiles, Docker Compose files: the launcher a command starts the program
  with (`ddtrace-run`).

YAML is read with `CloudFormationLoader`, a `yaml.SafeLoader` that turns the intrinsic
function tags (`!Ref`, `!Sub`, `!GetAtt`, `!If`, ...) into `CfnTag` values instead of
failing: a value written with one is computed at deploy time, so it is never read as a
literal. PyYAML stays optional; `YamlUnavailable` says it is missing.
"""

from __future__ import annotations

import ast
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Set, Tuple

from logcheck.config_model.deployment_files import candidate_files, listing_marker
from logcheck.config_model.dotenv import dotenv_entries, is_dotenv_name
from logcheck.config_model.model import LDict, LScalar, LVal
from logcheck.config_model.readers import ReadError, YamlUnavailable, read_json, read_yaml

#: values AWS Lambda Powertools reads as true (`strtobool`, any case)
TRUE_VALUES = frozenset({"1", "y", "yes", "t", "true", "on"})
FUNCTION_TYPES = frozenset({"AWS::Serverless::Function", "AWS::Lambda::Function"})
MAX_SIZE = 2_000_000
_TEMPLATE_TEXT = re.compile(r"AWS::(?:Serverless|Lambda)::Function")
_SERVERLESS_NAMES = frozenset({"serverless.yml", "serverless.yaml"})


@dataclass(frozen=True)
class CfnTag:
    """A CloudFormation intrinsic function written as a YAML tag (`!Ref Name`)."""

    tag: str
    value: object


def cloudformation_loader():
    """The `yaml.SafeLoader` subclass that knows CloudFormation's short tags (raises
    YamlUnavailable without PyYAML)."""
    global _LOADER
    if _LOADER is None:
        try:
            import yaml
        except ImportError:
            raise YamlUnavailable() from None

        class CloudFormationLoader(yaml.SafeLoader):
            pass

        def tagged(loader, suffix, node):
            if isinstance(node, yaml.ScalarNode):
                value = loader.construct_scalar(node)
            elif isinstance(node, yaml.SequenceNode):
                value = loader.construct_sequence(node, deep=True)
            else:
                value = loader.construct_mapping(node, deep=True)
            return CfnTag(suffix, value)

        CloudFormationLoader.add_multi_constructor("!", tagged)
        _LOADER = CloudFormationLoader
    return _LOADER


_LOADER = None


@dataclass(frozen=True)
class HandlerRef:
    """A Python function a deployment file names as a Lambda handler."""

    #: the Python file (absolute; it may not exist) and the function's name in it
    file: Path
    function: str
    #: the deployment file and where it names the handler
    source: Path
    line: int = 1
    col: int = 1


@dataclass(frozen=True)
class EnvVar:
    """An environment variable a deployment file gives Lambda functions."""

    name: str
    #: the literal value as the function sees it, None when computed (`!Ref`, `${...}`)
    value: Optional[str]
    line: int
    col: int
    #: the handlers the variable reaches (empty: not known)
    handlers: Tuple[HandlerRef, ...] = ()

    @property
    def is_true(self) -> bool:
        return self.value is not None and self.value.strip().lower() in TRUE_VALUES


@dataclass
class Deployment:
    path: Path
    handlers: List[HandlerRef] = field(default_factory=list)
    environment: List[EnvVar] = field(default_factory=list)


# --------------------------------------------------------------------------- reading

def is_deployment_text(name: str, text: str) -> bool:
    """A cheap test on a YAML/JSON file's name and text: may it be a Lambda deployment file?"""
    if name.lower() in _SERVERLESS_NAMES:
        return re.search(r"^functions\s*:", text, re.MULTILINE) is not None
    return _TEMPLATE_TEXT.search(text) is not None


def read_deployment(path: Path, text: str) -> Optional[Deployment]:
    """The deployment a YAML/JSON or `.env` file describes, None when it is not a deployment
    file. Raises ReadError (invalid file) and YamlUnavailable."""
    if is_dotenv_name(path.name):
        environment = [EnvVar(name, value, line, col) for name, value, line, col in dotenv_entries(text)]
        return Deployment(path, environment=environment) if environment else None
    if not is_deployment_text(path.name, text):
        return None
    tree = read_json(text) if path.suffix.lower() == ".json" else read_yaml(text, cloudformation_loader())
    if not isinstance(tree, LDict):
        return None
    folder = path.parent.absolute()
    if path.name.lower() in _SERVERLESS_NAMES:
        return _serverless(path, folder, tree)
    return _template(path, folder, tree)


def _template(path: Path, folder: Path, tree: LDict) -> Deployment:
    out = Deployment(path)
    globals_ = _dict(_dict(tree.get("Globals")).get("Function"))
    for _, _, resource in _dict(tree.get("Resources")).entries:
        resource = _dict(resource)
        if _text(resource.get("Type")) not in FUNCTION_TYPES:
            continue
        props = _dict(resource.get("Properties"))
        runtime = _text(props.get("Runtime")) or _text(globals_.get("Runtime"))
        if runtime is not None and not runtime.startswith("python"):
            continue
        handler_value = props.get("Handler") or globals_.get("Handler")
        code_uri = _text(props.get("CodeUri")) or _text(globals_.get("CodeUri"))
        base = folder / code_uri if code_uri and "://" not in code_uri else folder
        handler = _handler(_text(handler_value), base, path, handler_value)
        handlers = (handler,) if handler is not None else ()
        out.handlers.extend(handlers)
        for variables in (_variables(globals_), _variables(props)):
            out.environment.extend(_env(variables, handlers))
    return _merged(out)


def _serverless(path: Path, folder: Path, tree: LDict) -> Deployment:
    out = Deployment(path)
    provider = _dict(tree.get("provider"))
    runtime_default = _text(provider.get("runtime"))
    everyone: List[HandlerRef] = []
    for _, _, function in _dict(tree.get("functions")).entries:
        function = _dict(function)
        runtime = _text(function.get("runtime")) or runtime_default
        if runtime is not None and not runtime.startswith("python"):
            continue
        value = function.get("handler")
        handler = _handler(_text(value), folder, path, value)
        handlers = (handler,) if handler is not None else ()
        out.handlers.extend(handlers)
        everyone.extend(handlers)
        out.environment.extend(_env(_dict(function.get("environment")), handlers))
    out.environment.extend(_env(_dict(provider.get("environment")), tuple(everyone)))
    return out


def _merged(deployment: Deployment) -> Deployment:
    """One EnvVar per place in the file (a Globals variable reaches every function)."""
    by_place: Dict[Tuple[int, int, str], EnvVar] = {}
    for var in deployment.environment:
        key = (var.line, var.col, var.name)
        known = by_place.get(key)
        by_place[key] = var if known is None else EnvVar(var.name, var.value, var.line, var.col,
                                                         known.handlers + var.handlers)
    deployment.environment = list(by_place.values())
    return deployment


def _handler(value: Optional[str], base: Path, source: Path, node: Optional[LVal]) -> Optional[HandlerRef]:
    """`app.handler` / `src/app.handler` / `pkg.mod.fn` -> the file and the function."""
    if not value or "." not in value or "${" in value:
        return None
    module, _, function = value.rpartition(".")
    if not function.isidentifier():
        return None
    parts = [p for p in module.replace("/", ".").split(".") if p]
    if not parts:
        return None
    loc = node.loc if node is not None else None
    # `CodeUri: ../../functions/app/` is common: the path is normalised (not resolved:
    # the checked file's path is compared as given, made absolute)
    return HandlerRef(Path(os.path.normpath(base / Path(*parts))).with_suffix(".py"), function, source,
                      loc.line if loc else 1, loc.col if loc else 1)


def _variables(props: LDict) -> LDict:
    return _dict(_dict(props.get("Environment")).get("Variables"))


def _env(variables: LDict, handlers: Tuple[HandlerRef, ...]) -> Iterator[EnvVar]:
    for name, loc, value in variables.entries:
        yield EnvVar(name, _env_value(value), loc.line, loc.col, handlers)


def _env_value(value: LVal) -> Optional[str]:
    if not isinstance(value, LScalar) or isinstance(value.value, CfnTag) or value.value is None:
        return None
    if isinstance(value.value, bool):  # CloudFormation passes a YAML boolean as `true`/`false`
        return "true" if value.value else "false"
    text = str(value.value)
    return None if "${" in text else text


def _dict(value: Optional[LVal]) -> LDict:
    return value if isinstance(value, LDict) else LDict(value.loc if value is not None else None)


def _text(value: Optional[LVal]) -> Optional[str]:
    return value.value if isinstance(value, LScalar) and isinstance(value.value, str) else None


_LOG_EVENT_FALSE = re.compile(r"inject_lambda_context\([^)]*\blog_event\s*=\s*False")


def passes_log_event_false(handler: HandlerRef) -> bool:
    """Does the handler's module pass `log_event=False` to `inject_lambda_context` (which
    overrides `POWERTOOLS_LOGGER_LOG_EVENT`)? A module that cannot be read does not."""
    data = _small_file(handler.file)
    return data is not None and _LOG_EVENT_FALSE.search(data.decode("utf-8", "replace")) is not None


# --------------------------------------------------------------------------- CDK apps

_CDK_TEXT = re.compile(rb"\baws_cdk\b")


def read_cdk_handlers(path: Path, text: str, app_folder: Path) -> List[HandlerRef]:
    """Handlers a CDK app module in Python declares (the constructs, and
    `PythonFunctionProps` built for a helper that makes the construct). Asset paths are
    relative to the app's folder (where `cdk.json` is)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return []
    out: List[HandlerRef] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        callee = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        keywords = {k.arg: k.value for k in node.keywords if k.arg}
        if callee in ("PythonFunction", "PythonFunctionProps") and _literal(keywords.get("entry")):
            entry = app_folder / _literal(keywords.get("entry"))
            index = _literal(keywords.get("index")) or "index.py"
            function = _literal(keywords.get("handler")) or "handler"
            out.append(HandlerRef(Path(os.path.normpath(entry / index)), function, path, node.lineno,
                                  node.col_offset + 1))
        elif callee.endswith("Function") and _literal(keywords.get("handler")):
            asset = keywords.get("code")
            folder = app_folder
            if isinstance(asset, ast.Call) and getattr(asset.func, "attr", "") in ("from_asset", "asset") \
                    and asset.args and _literal(asset.args[0]):
                folder = app_folder / _literal(asset.args[0])
            handler = _handler(_literal(keywords.get("handler")), folder, path, None)
            if handler is not None:
                out.append(HandlerRef(handler.file, handler.function, path, node.lineno, node.col_offset + 1))
    return out


def _literal(node: Optional[ast.AST]) -> Optional[str]:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


# --------------------------------------------------------------------------- the project

@dataclass
class ProjectDeployments:
    """Every deployment file below a folder, read once per run."""

    deployments: List[Deployment] = field(default_factory=list)
    #: the files read (the result cache's dependencies of the answers)
    files: List[Path] = field(default_factory=list)
    #: programs a deployment command starts the code with (`ddtrace-run`)
    launchers: Set[str] = field(default_factory=set)
    #: the folder searched
    root: Optional[Path] = None

    @property
    def dependencies(self) -> List[Path]:
        """What an answer from these deployments depends on: the files read, and the listing
        of candidates (a deployment file that appears changes it)."""
        return self.files + ([listing_marker(self.root)] if self.root is not None else [])

    def handlers_in(self, path: Path) -> Dict[str, List[HandlerRef]]:
        """function name -> the references naming it as a handler, for the Python file `path`."""
        target = path.absolute()
        out: Dict[str, List[HandlerRef]] = {}
        for deployment in self.deployments:
            for handler in deployment.handlers:
                if handler.file == target:
                    out.setdefault(handler.function, []).append(handler)
        return out

    def environment(self, name: str) -> List[EnvVar]:
        return [var for d in self.deployments for var in d.environment if var.name == name]


_PROJECTS: Dict[Path, ProjectDeployments] = {}


def project_deployments(root: Path) -> ProjectDeployments:
    root = Path(root).absolute()
    found = _PROJECTS.get(root)
    if found is None:
        found = _PROJECTS[root] = _scan(root)
    return found


def _scan(root: Path) -> ProjectDeployments:
    out = ProjectDeployments(root=root)
    for path, kind in candidate_files(root):
        data = _small_file(path)
        if data is None:
            continue
        if kind == "command":
            launchers = set(_LAUNCHER.findall(data.decode("utf-8", "replace")))
            if launchers:
                out.launchers |= launchers
                out.files.append(path)
            continue
        if kind == "python":
            if _CDK_TEXT.search(data) and b"handler" in data:
                handlers = read_cdk_handlers(path, data.decode("utf-8", "replace"), _cdk_app_folder(path, root))
                if handlers:
                    out.deployments.append(Deployment(path, handlers))
                    out.files.append(path)
            continue
        try:
            deployment = read_deployment(path, data.decode("utf-8", "replace"))
        except (ReadError, YamlUnavailable, RecursionError):
            continue  # the file itself is reported where it is checked
        if deployment is not None:
            out.deployments.append(deployment)
            out.files.append(path)
    return out


#: a launcher named on a line that is not a comment (a Dockerfile's `CMD ["ddtrace-run", ...]`,
#: a Procfile's `web: ddtrace-run gunicorn app:app`, a compose file's `command:`)
_LAUNCHER = re.compile(r"^(?![ \t]*#).*?\b(ddtrace-run)\b", re.MULTILINE)


def _small_file(path: Path) -> Optional[bytes]:
    try:
        if path.stat().st_size > MAX_SIZE:
            return None
        return path.read_bytes()
    except OSError:
        return None


def _cdk_app_folder(path: Path, root: Path) -> Path:
    for folder in path.parents:
        if (folder / "cdk.json").is_file():
            return folder
        if folder == root:
            break
    return root
