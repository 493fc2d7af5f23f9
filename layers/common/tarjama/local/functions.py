"""Running the template's functions on this machine, the way `sam local` would, without Docker.

- `load_function` reads template.yaml, finds a function by logical id (zip: CodeUri + Handler; image:
  ImageConfig.Command relative to its DockerContext), and resolves its environment: Globals and the
  function's own variables, parameters' defaults and pseudo parameters where they can be known locally,
  and overrides from an `--env-vars` file in SAM's format (`{"Parameters": {..}, "<LogicalId>": {..}}`).
- `LambdaContext` is the context object a handler receives.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tarjama.local.account import LOCAL_ACCOUNT, region, region_environ
from tarjama.local.template import Resolver, TemplateError, find_template, load_template

Handler = Callable[[dict[str, Any], Any], Any]

# --------------------------------------------------------------------------------------------- context


@dataclass
class LambdaContext:
    """What Lambda passes a handler as `context`; the fields Powertools and our handlers read."""

    function_name: str = "local"
    memory_limit_in_mb: int = 128
    timeout_seconds: float = 30.0
    function_version: str = "$LATEST"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    log_group_name: str = ""
    log_stream_name: str = "local"
    _started: float = field(default_factory=time.monotonic)

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:{region()}:{LOCAL_ACCOUNT}:function:{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.timeout_seconds - (time.monotonic() - self._started)) * 1000))


# --------------------------------------------------------------------------------------------- template


@dataclass
class FunctionSpec:
    logical_id: str
    module: str  # dotted name (image) or file path (zip)
    attribute: str
    code_dir: Path
    environment: dict[str, str]
    unresolved: list[str]
    memory_mb: int
    timeout_s: float
    log_group: str = ""
    handler_name: str = ""

    def runtime_environment(self, region_name: str) -> dict[str, str]:
        """What the Lambda runtime sets in every function's environment (reserved: the function's own
        variables cannot change them); SAM's `local invoke` sets the same."""
        return {
            **region_environ(region_name),
            "AWS_LAMBDA_FUNCTION_NAME": self.logical_id,
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(self.memory_mb),
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_LOG_GROUP_NAME": self.log_group or f"/aws/lambda/{self.logical_id}",
            "AWS_LAMBDA_LOG_STREAM_NAME": "local",
            "AWS_EXECUTION_ENV": "AWS_Lambda_python3.11",
            "LAMBDA_TASK_ROOT": str(self.code_dir),
            "_HANDLER": self.handler_name,
            "TZ": ":UTC",
        }

    def load_handler(self) -> Handler:
        """Import the handler the way the Lambda runtime would: the code directory first on sys.path."""
        code_dir = str(self.code_dir)
        if code_dir not in sys.path:
            sys.path.insert(0, code_dir)
        if self.module.endswith(".py"):
            name = f"_tarjama_fn_{self.logical_id}"
            module = sys.modules.get(name)
            if module is None:
                spec = importlib.util.spec_from_file_location(name, self.module)
                if spec is None or spec.loader is None:
                    raise TemplateError(f"Cannot load {self.module}")
                module = importlib.util.module_from_spec(spec)
                sys.modules[name] = module
                spec.loader.exec_module(module)
        else:
            module = importlib.import_module(self.module)
        handler = getattr(module, self.attribute, None)
        if not callable(handler):
            raise TemplateError(f"{self.logical_id}: no callable `{self.attribute}` in {self.module}")
        return handler  # type: ignore[no-any-return]

    def context(self) -> LambdaContext:
        return LambdaContext(
            function_name=self.logical_id,
            memory_limit_in_mb=self.memory_mb,
            timeout_seconds=self.timeout_s,
            log_group_name=self.log_group or f"/aws/lambda/{self.logical_id}",
        )


def load_env_vars(path: Path | None) -> dict[str, dict[str, str]]:
    if path is None:
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise TemplateError(f'{path}: expected an object of the form {{"<LogicalId>": {{"VAR": "value"}}}}')
    return {str(k): {str(n): str(v) for n, v in (vals or {}).items()} for k, vals in data.items()}


def load_function(
    logical_id: str, *, template: Path | None = None, env_vars: Path | None = None
) -> FunctionSpec:
    """The function `logical_id` of the template, with its handler location and local environment."""
    path = template or find_template()
    doc = load_template(path)
    resources = doc.get("Resources") or {}
    resource = resources.get(logical_id)
    functions = sorted(
        k for k, v in resources.items() if (v or {}).get("Type") == "AWS::Serverless::Function"
    )
    if not resource or resource.get("Type") != "AWS::Serverless::Function":
        raise TemplateError(
            f"No function `{logical_id}` in {path}; functions: {', '.join(functions) or 'none'}."
        )
    props = resource.get("Properties") or {}
    globals_fn = (doc.get("Globals") or {}).get("Function") or {}
    overrides = load_env_vars(env_vars)
    resolver = Resolver(doc)
    root = path.parent

    is_image = props.get("PackageType") == "Image" or "ImageConfig" in props
    command: list[Any] = []
    handler: Any = None
    if is_image:
        command = (props.get("ImageConfig") or {}).get("Command") or []
        if not command:
            raise TemplateError(f"{logical_id}: an image function without ImageConfig.Command")
        module, _, attribute = str(command[0]).rpartition(".")
        context_dir = root / str((resource.get("Metadata") or {}).get("DockerContext", "."))
        code_dir = context_dir.resolve()
    else:
        code_uri = props.get("CodeUri", globals_fn.get("CodeUri"))
        handler = props.get("Handler", globals_fn.get("Handler"))
        if not isinstance(code_uri, str) or not isinstance(handler, str):
            raise TemplateError(f"{logical_id}: needs a local CodeUri and a Handler")
        code_dir = (root / code_uri).resolve()
        module_path, _, attribute = handler.rpartition(".")
        module = str(code_dir / (module_path.replace(".", "/") + ".py"))

    declared: dict[str, Any] = {}
    for source in (globals_fn, props):
        declared.update(((source.get("Environment") or {}).get("Variables")) or {})
    environment: dict[str, str] = {}
    unresolved: list[str] = []
    given = {**overrides.get("Parameters", {}), **overrides.get(logical_id, {})}
    for name, raw in declared.items():
        if name in given:
            environment[name] = given[name]
            continue
        value = resolver.string(raw)
        if value is None:
            unresolved.append(name)
        else:
            environment[name] = value
    # SAM applies only variables the template declares; in-process we also take the others the file gives
    # for this function (e.g. an endpoint for a local run), since nothing else could pass them.
    for name, value in given.items():
        environment.setdefault(name, value)
    return FunctionSpec(
        logical_id=logical_id,
        module=module,
        attribute=attribute,
        code_dir=code_dir,
        environment=environment,
        unresolved=sorted(unresolved),
        memory_mb=resolver.integer(props.get("MemorySize", globals_fn.get("MemorySize")), 128),
        timeout_s=float(resolver.integer(props.get("Timeout", globals_fn.get("Timeout")), 3)),
        log_group=_log_group(props, resources, resolver),
        handler_name=str(command[0]) if is_image else str(handler),
    )


def _log_group(props: dict[str, Any], resources: dict[str, Any], resolver: Resolver) -> str:
    """The function's log group as the template names it (LoggingConfig.LogGroup: a Ref to a LogGroup)."""
    group = (props.get("LoggingConfig") or {}).get("LogGroup")
    if isinstance(group, dict) and isinstance(group.get("Ref"), str):
        resource = resources.get(group["Ref"]) or {}
        group = (resource.get("Properties") or {}).get("LogGroupName")
    if group is None:
        return ""
    return resolver.string(group) or ""
