"""template.yaml read as data, and the one resolver of the CloudFormation values a local run can know.

The template is the single source of truth of the deployment (table layout, queue timeouts, each
function's handler and environment); local runs read it instead of restating it, so the two cannot drift.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from tarjama.local.account import LOCAL_ACCOUNT, LOCAL_STACK, region

TEMPLATE_NAME = "template.yaml"
_SUB_VAR = re.compile(r"\$\{([^}!]+)\}")


class TemplateError(Exception):
    """The template does not describe what was asked for (a usage error, reported in one line)."""


class _CfnLoader(yaml.SafeLoader):
    """SafeLoader that reads CloudFormation's short intrinsic tags (!Ref, !GetAtt, !Sub, ...) as data."""


def _intrinsic(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    value: Any
    if isinstance(node, yaml.ScalarNode):
        scalar = loader.construct_scalar(node)
        value = scalar.split(".", 1) if suffix == "GetAtt" else scalar
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return {name: value}


_CfnLoader.add_multi_constructor("!", _intrinsic)


def load_template(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=_CfnLoader)  # a SafeLoader subclass
    if not isinstance(data, dict):
        raise ValueError(f"{path} is not a CloudFormation template")
    return data


def find_template(start: Path | None = None) -> Path:
    """template.yaml in `start` (default: the working directory) or the nearest parent holding one."""
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        candidate = directory / TEMPLATE_NAME
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"No {TEMPLATE_NAME} in {here} or its parents; pass --template.")


class Resolver:
    """Resolves `Ref` (parameters' defaults, overrides, pseudo parameters), `Fn::Sub` and `Fn::FindInMap`.

    Anything else (`GetAtt`, `Ref` to a resource, conditions) cannot be known before a deployment: None,
    and the caller skips the value or reports it unresolved.
    """

    def __init__(
        self,
        template: Mapping[str, Any],
        overrides: Mapping[str, str] | None = None,
        region_name: str | None = None,
    ) -> None:
        self.template = template
        self.params: dict[str, Any] = {
            "AWS::Region": region_name or region(),
            "AWS::AccountId": LOCAL_ACCOUNT,
            "AWS::StackName": LOCAL_STACK,
            "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com",
        }
        for name, spec in (template.get("Parameters") or {}).items():
            if isinstance(spec, Mapping) and "Default" in spec:
                self.params[name] = spec["Default"]
        self.params.update(overrides or {})

    def value(self, value: Any) -> Any:
        """The value as the template means it (numbers stay numbers), or None when not knowable."""
        if not isinstance(value, Mapping):
            return value
        if len(value) != 1:
            return None
        (fn, arg), *_ = value.items()
        if fn == "Ref" and isinstance(arg, str):
            return self.params.get(arg)
        if fn == "Fn::FindInMap" and isinstance(arg, list):
            parts = [self.value(part) for part in arg[:3]]
            if any(part is None for part in parts):
                return None
            try:
                return self.template["Mappings"][parts[0]][str(parts[1])][parts[2]]
            except (KeyError, TypeError):
                return None
        if fn == "Fn::Sub":
            return self._sub(arg)
        return None

    def string(self, value: Any) -> str | None:
        """The value as an environment variable would hold it."""
        resolved = self.value(value)
        if resolved is None or isinstance(resolved, Mapping | list):
            return None
        if isinstance(resolved, bool):
            return "true" if resolved else "false"
        return str(resolved)

    def integer(self, value: Any, default: int) -> int:
        resolved = self.string(value) if value is not None else None
        try:
            return int(float(resolved)) if resolved is not None else default
        except ValueError:
            return default

    def _sub(self, arg: Any) -> str | None:
        text, extra = (arg, {}) if isinstance(arg, str) else (arg[0], arg[1] if len(arg) > 1 else {})
        names = {k: str(v) for k, v in self.params.items()}
        for key, sub in (extra or {}).items():
            resolved = self.string(sub)
            if resolved is None:
                return None
            names[key] = resolved
        if any(m not in names for m in _SUB_VAR.findall(str(text))):
            return None
        return _SUB_VAR.sub(lambda m: names[m.group(1)], str(text))
