"""Running the template's functions on this machine, the way `sam local` would, without Docker.

- `load_function` reads template.yaml, finds a function by logical id (zip: CodeUri + Handler; image:
  ImageConfig.Command relative to its DockerContext), and resolves its environment: Globals and the
  function's own variables, parameters' defaults and pseudo parameters where they can be known locally,
  and overrides from an `--env-vars` file in SAM's format (`{"Parameters": {..}, "<LogicalId>": {..}}`).
- `LambdaContext` is the context object a handler receives.
- `start_moto_server` starts a local AWS endpoint (moto's server) on loopback, for `tarjama serve` and the
  tests.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Handler = Callable[[dict[str, Any], Any], Any]

LOCAL_ACCOUNT = "123456789012"
LOCAL_STACK = "tarjama-local"
_SUB_VAR = re.compile(r"\$\{([^}!]+)\}")


class TemplateError(Exception):
    """The template does not describe the function asked for (a usage error, reported in one line)."""


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
        region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
        return f"arn:aws:lambda:{region}:{LOCAL_ACCOUNT}:function:{self.function_name}"

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
            function_name=self.logical_id, memory_limit_in_mb=self.memory_mb, timeout_seconds=self.timeout_s
        )


def _parameters(template: Mapping[str, Any], overrides: Mapping[str, str]) -> dict[str, str]:
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    values = {
        "AWS::Region": region,
        "AWS::AccountId": LOCAL_ACCOUNT,
        "AWS::StackName": LOCAL_STACK,
        "AWS::Partition": "aws",
        "AWS::URLSuffix": "amazonaws.com",
    }
    for name, spec in (template.get("Parameters") or {}).items():
        if isinstance(spec, Mapping) and "Default" in spec:
            values[name] = str(spec["Default"])
    values.update({k: str(v) for k, v in overrides.items()})
    return values


def resolve_value(value: Any, params: Mapping[str, str]) -> str | None:
    """A CloudFormation value as a string when it can be known locally, else None."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    if isinstance(value, Mapping) and len(value) == 1:
        (fn, arg), *_ = value.items()
        if fn == "Ref" and isinstance(arg, str):
            return params.get(arg)
        if fn == "Fn::Sub":
            text, extra = (arg, {}) if isinstance(arg, str) else (arg[0], arg[1] if len(arg) > 1 else {})
            local = dict(params)
            for key, sub in (extra or {}).items():
                resolved = resolve_value(sub, params)
                if resolved is None:
                    return None
                local[key] = resolved
            missing = [m for m in _SUB_VAR.findall(str(text)) if m not in local]
            if missing:
                return None
            return _SUB_VAR.sub(lambda m: local[m.group(1)], str(text))
    return None


def _int(value: Any, params: Mapping[str, str], default: int) -> int:
    resolved = resolve_value(value, params) if value is not None else None
    try:
        return int(float(resolved)) if resolved is not None else default
    except ValueError:
        return default


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
    from tarjama.store.tables import find_template, load_template

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
    params = _parameters(doc, {})
    root = path.parent

    if props.get("PackageType") == "Image" or "ImageConfig" in props:
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
        value = resolve_value(raw, params)
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
        memory_mb=_int(props.get("MemorySize", globals_fn.get("MemorySize")), params, 128),
        timeout_s=float(_int(props.get("Timeout", globals_fn.get("Timeout")), params, 3)),
    )


# --------------------------------------------------------------------------------------------- moto

# What `tarjama serve` and `tarjama bulk` create on an embedded endpoint (settings field -> name), and the
# credentials boto3 signs with there (moto accepts any).
LOCAL_NAMES = {
    "table": "tarjama-local",
    "results_bucket": "tarjama-local-results",
    "input_bucket": "tarjama-local-input",
}
LOCAL_QUEUE = "tarjama-local-work"
FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_moto_server(port: int | None = None, timeout: float = 30.0) -> tuple[subprocess.Popen[bytes], str]:
    """Start moto's server on loopback and wait until it answers; returns the process and its URL."""
    port = port or free_port()
    moto = Path(sys.executable).with_name("moto_server")
    proc = subprocess.Popen(
        [str(moto), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"moto server exited with code {proc.returncode}")
        try:
            urllib.request.urlopen(url + "/moto-api/", timeout=1).close()  # loopback only
            return proc, url
        except OSError:
            time.sleep(0.1)
    proc.kill()
    proc.wait(timeout=5)
    raise RuntimeError("moto server did not start")


def stop_process(proc: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=timeout)
