"""template.yaml: every function resolves and imports with only its own runtime requirements, the settings
the code reads are the ones the template sets, and the secure defaults hold (IAM on every route, private
TLS-only buckets, least privilege, dead letters, log retention)."""

from __future__ import annotations

import json
import os
import re
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement
from tarjama.config import ENV_PREFIX, Settings

from tests.plugins.deploy import (
    LAYER_REQUIREMENTS,
    REPO,
    RUNTIME_REQUIREMENTS,
    TEMPLATE,
    TOOLS_PYTHON,
    actions,
    closure,
    functions,
    handler_entry,
    load_template,
    pins,
    probe_import,
    pyproject,
    read_requirements,
    site_with_only,
)
from tests.plugins.deploy import (
    statements as function_statements,
)

T = load_template()
RES = T["Resources"]
FUNCS = functions(T)
ENV_GLOBAL: dict[str, Any] = T["Globals"]["Function"]["Environment"]["Variables"]

# What no function may import: the zip function has no ML at all, the image has no torch.
FORBIDDEN = {
    "BulkSplitFunction": {"torch", "transformers", "ctranslate2", "sentencepiece", "numpy", "tokenizers"},
    "ApiFunction": {"torch"},
    "WorkerFunction": {"torch"},
}
# Settings that have no safe default in AWS: every function gets them; the image functions also the models'.
REQUIRED_SETTINGS = {"table", "results_bucket", "input_bucket", "queue_url"}
REQUIRED_IMAGE_SETTINGS = {"model_dir", "backend"}
# TARJAMA_ names in the code that are not settings and are never set in AWS (local tooling only).
LOCAL_ONLY = {"TARJAMA_TEST_AWS_ENDPOINT", "TARJAMA_X"}


def _env(name: str) -> dict[str, Any]:
    own = FUNCS[name]["Properties"].get("Environment", {}).get("Variables", {})
    return {**ENV_GLOBAL, **own}


def _entry(name: str) -> tuple[list[Path], str, str]:
    return handler_entry(FUNCS[name])


def _requirements(name: str) -> Path:
    return (
        RUNTIME_REQUIREMENTS
        if FUNCS[name]["Properties"].get("PackageType") == "Image"
        else LAYER_REQUIREMENTS
    )


def test_the_three_functions() -> None:
    assert set(FUNCS) == set(FORBIDDEN)
    bulk = FUNCS["BulkSplitFunction"]["Properties"]
    assert bulk["Runtime"] == "python3.11"
    assert bulk["Layers"] == [{"Ref": "CommonLayer"}]
    for name in ("ApiFunction", "WorkerFunction"):
        props = FUNCS[name]
        assert props["Properties"]["PackageType"] == "Image"
        assert props["Metadata"]["Dockerfile"] == "layers/inference/Dockerfile"
        assert (REPO / props["Metadata"]["DockerContext"] / props["Metadata"]["Dockerfile"]).is_file()
        assert props["Metadata"]["DockerTag"]


@pytest.mark.parametrize("name", sorted(FORBIDDEN))
def test_handler_imports_with_only_its_runtime_requirements(name: str, tmp_path: Path) -> None:
    roots, module, attr = _entry(name)
    module_file = roots[0].joinpath(*module.split(".")).with_suffix(".py")
    assert module_file.is_file(), f"{name}: {module_file} does not exist"
    dists = closure(read_requirements(_requirements(name)))
    site = site_with_only(dists, tmp_path / "site")
    env = {
        "PATH": os.environ.get("PATH", ""),
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        **{k: v for k, v in _env(name).items() if isinstance(v, str)},
    }
    extra = ["tarjama.nlp.backend_ct2"] if name != "BulkSplitFunction" else []
    result = probe_import([*roots, REPO / "layers" / "common", site], module, attr, extra, env)
    assert result["callable"] is True
    assert not set(result["modules"]) & FORBIDDEN[name], f"{name} imports {FORBIDDEN[name]}"


# Pinned in the layer's requirements beyond pyproject's core: transitive dependencies SAM's builder would
# otherwise miss (it drops extras such as justext's `lxml[html_clean]`; found by building the layer).
LAYER_BUILD_EXTRAS = {"lxml-html-clean"}


def test_layer_requirements_equal_pyproject_core() -> None:
    layer = pins(read_requirements(LAYER_REQUIREMENTS))
    core = pins(pyproject()["project"]["dependencies"])
    assert {k: v for k, v in layer.items() if k not in LAYER_BUILD_EXTRAS} == core
    # the extras are already part of what the core installs, at the version installed here
    assert closure(Requirement(f"{n}{v}") for n, v in core.items()) >= LAYER_BUILD_EXTRAS
    for name in LAYER_BUILD_EXTRAS:
        assert layer[name] == f"=={metadata.version(name)}"
    assert all(str(r.specifier).startswith("==") for r in read_requirements(LAYER_REQUIREMENTS))
    resource = RES["CommonLayer"]
    assert resource["Metadata"]["BuildMethod"] == "makefile"  # layers/common/Makefile (test_image.py)
    assert resource["Properties"]["ContentUri"] == "layers/common/"
    assert (REPO / "layers" / "common" / "tarjama" / "__init__.py").is_file()


def test_every_setting_aws_needs_is_set_and_every_set_one_is_real() -> None:
    fields = set(Settings.model_fields)
    for name in FUNCS:
        env = _env(name)
        set_fields = {k[len(ENV_PREFIX) :].lower() for k in env if k.startswith(ENV_PREFIX)}
        assert set_fields <= fields, f"{name} sets unknown settings {set_fields - fields}"
        needed = REQUIRED_SETTINGS | (REQUIRED_IMAGE_SETTINGS if name != "BulkSplitFunction" else set())
        assert needed <= set_fields, f"{name} lacks {needed - set_fields}"
        assert {"POWERTOOLS_SERVICE_NAME", "POWERTOOLS_METRICS_NAMESPACE", "LOG_LEVEL"} <= set(env)
        # every value must parse: a typo in a literal would only fail at the first request in AWS
        literal = {k[len(ENV_PREFIX) :].lower(): v for k, v in env.items() if isinstance(v, str)}
        Settings.model_validate({k: v for k, v in literal.items() if k in fields})
    assert _env("ApiFunction")["TARJAMA_MODEL_DIR"] == "/opt/models"
    assert _env("WorkerFunction")["TARJAMA_BACKEND"] == "ctranslate2"


def test_every_tarjama_variable_in_the_code_is_a_setting() -> None:
    """Code that reads os.environ["TARJAMA_..."] directly must read a real setting (or local tooling)."""
    settings = {ENV_PREFIX + f.upper() for f in Settings.model_fields}
    found: set[str] = set()
    for root in (REPO / "layers" / "common" / "tarjama", REPO / "functions"):
        for path in root.rglob("*.py"):
            found |= set(re.findall(r"TARJAMA_[A-Z0-9_]+", path.read_text(encoding="utf-8")))
    found.discard("TARJAMA_")
    assert found - settings <= LOCAL_ONLY, f"not settings: {found - settings - LOCAL_ONLY}"


def test_tests_use_the_templates_table() -> None:
    from tarjama.local.resources import table_definition_from_template

    # What the store's code assumes (keys.py: one string hash key `pk`, TTL on `expires_at`), stated
    # here, not read back from the template the definition was read from.
    definition = table_definition_from_template(TEMPLATE)
    assert definition.key_schema == [{"AttributeName": "pk", "KeyType": "HASH"}]
    assert definition.attribute_definitions == [{"AttributeName": "pk", "AttributeType": "S"}]
    assert definition.ttl_attribute == "expires_at"
    assert definition.billing_mode == "PAY_PER_REQUEST"
    assert definition.point_in_time_recovery is True
    assert definition.sse_enabled is True
    plugin = (REPO / "tests" / "plugins" / "aws.py").read_text(encoding="utf-8")
    assert "table_definition_from_template" in plugin


# ---------------------------------------------------------------------------------------- security

DATA_SERVICES = ("s3:", "dynamodb:", "sqs:")


def _statements(name: str) -> list[dict[str, Any]]:
    return function_statements(FUNCS[name])


def _actions(statement: dict[str, Any]) -> list[str]:
    return actions(statement)


def _resources(statement: dict[str, Any]) -> list[Any]:
    res = statement["Resource"]
    return res if isinstance(res, list) else [res]


def test_least_privilege() -> None:
    allowed = {
        "ApiFunction": {
            "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
            "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "s3:GetObject", "s3:PutObject",
            "s3:ListBucket", "sqs:SendMessage",
        },
        "WorkerFunction": {
            "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
            "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "s3:GetObject", "s3:PutObject",
            "s3:AbortMultipartUpload", "s3:ListBucket", "sqs:SendMessage", "events:PutEvents",
        },
        "BulkSplitFunction": {
            "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem",
            "s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload", "sqs:SendMessage", "events:PutEvents",
        },
    }  # fmt: skip
    for name, statements in ((n, _statements(n)) for n in FUNCS):
        granted = set()
        for st in statements:
            assert st["Effect"] == "Allow"
            for action in _actions(st):
                assert "*" not in action, f"{name}: wildcard action {action}"
                granted.add(action)
            for resource in _resources(st):
                assert resource != "*", f"{name}: data access on every resource"
                assert "*" not in json.dumps(resource).replace("/*", ""), f"{name}: {resource}"
        assert granted <= allowed[name], f"{name} has {granted - allowed[name]}"
    # Job events go to the default bus only, never to any bus
    for name in ("WorkerFunction", "BulkSplitFunction"):
        (grant,) = [st for st in _statements(name) if "events:PutEvents" in _actions(st)]
        assert grant["Resource"] == {
            "Fn::Sub": "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/default"
        }
    assert not [st for st in _statements("ApiFunction") if "events:PutEvents" in _actions(st)]
    # BulkSplit reads uploads only under incoming/
    upload = next(s for s in _statements("BulkSplitFunction") if s["Sid"] == "Uploads")
    assert json.dumps(upload["Resource"]).count("/incoming/*") == 1


def test_input_bucket_is_named_the_same_everywhere() -> None:
    """The bucket, the functions' setting and the IAM resources spell the name with one expression
    (a Ref would make BulkSplit <-> bucket notification circular)."""
    name_expr = RES["InputBucket"]["Properties"]["BucketName"]
    assert ENV_GLOBAL["TARJAMA_INPUT_BUCKET"] == name_expr
    prefix, variables = name_expr["Fn::Sub"]
    for fn in ("BulkSplitFunction", "WorkerFunction"):
        upload = next(s for s in _statements(fn) if s["Sid"] == "Uploads")
        sub = upload["Resource"]["Fn::Sub"]
        assert sub[0].startswith(f"arn:${{AWS::Partition}}:s3:::{prefix}/")
        assert sub[1] == variables


def test_buckets_private_encrypted_tls_only() -> None:
    for bucket in ("ResultsBucket", "InputBucket"):
        props = RES[bucket]["Properties"]
        assert props["PublicAccessBlockConfiguration"] == {
            "BlockPublicAcls": True,
            "BlockPublicPolicy": True,
            "IgnorePublicAcls": True,
            "RestrictPublicBuckets": True,
        }
        assert props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
        assert props["LifecycleConfiguration"]["Rules"][0]["Status"] == "Enabled"
        policies = [
            r["Properties"]
            for r in RES.values()
            if r["Type"] == "AWS::S3::BucketPolicy" and r["Properties"]["Bucket"] == {"Ref": bucket}
        ]
        assert len(policies) == 1
        (deny,) = [s for s in policies[0]["PolicyDocument"]["Statement"] if s["Effect"] == "Deny"]
        assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
        assert deny["Action"] == "s3:*" and deny["Principal"] == "*"
        assert {"Fn::GetAtt": [bucket, "Arn"]} in deny["Resource"]
        assert {"Fn::Sub": f"${{{bucket}.Arn}}/*"} in deny["Resource"]
    assert RES["ResultsBucket"]["Properties"]["LifecycleConfiguration"]["Rules"][0]["ExpirationInDays"]


def test_api_is_never_anonymous_and_never_logs_bodies() -> None:
    props = RES["Api"]["Properties"]
    assert props["Auth"]["DefaultAuthorizer"] == "AWS_IAM"
    for event in FUNCS["ApiFunction"]["Properties"]["Events"].values():
        assert event["Type"] == "Api"
        assert "Auth" not in event["Properties"], "a route overriding the default authorizer"
    (setting,) = props["MethodSettings"]
    assert setting["LoggingLevel"] == "OFF" and setting["DataTraceEnabled"] is False
    assert {"ThrottlingRateLimit", "ThrottlingBurstLimit"} <= set(setting)
    assert props["AccessLogSetting"]["DestinationArn"] == {"Fn::GetAtt": ["ApiAccessLogGroup", "Arn"]}
    routes = {(e["Properties"]["Method"].upper(), e["Properties"]["Path"])
              for e in FUNCS["ApiFunction"]["Properties"]["Events"].values()}  # fmt: skip
    assert {
        ("POST", "/v1/digests"),
        ("POST", "/v1/digests:batch"),
        ("GET", "/v1/digests/{id}"),
        ("GET", "/v1/jobs/{id}"),
        ("GET", "/v1/health"),
        ("GET", "/v1/openapi.json"),
        ("GET", "/v1/docs"),
    } <= routes


def test_queue_outlives_worker_and_dead_letters_alarm() -> None:
    queue = RES["WorkQueue"]["Properties"]
    assert queue["RedrivePolicy"]["maxReceiveCount"] == 3
    assert queue["RedrivePolicy"]["deadLetterTargetArn"] == {"Fn::GetAtt": ["WorkDeadLetterQueue", "Arn"]}
    assert queue["VisibilityTimeout"]["Fn::FindInMap"][0] == "WorkerTimeouts"
    for timeout in T["Parameters"]["WorkerTimeout"]["AllowedValues"]:
        assert T["Mappings"]["WorkerTimeouts"][timeout]["VisibilityTimeout"] >= 6 * int(timeout)
    assert FUNCS["WorkerFunction"]["Properties"]["Timeout"] == {"Ref": "WorkerTimeout"}
    events = FUNCS["WorkerFunction"]["Properties"]["Events"]
    # The work queue, and its DLQ: what still lands there is recorded in the job's error report.
    assert {e["Properties"]["Queue"]["Fn::GetAtt"][0] for e in events.values()} == {
        "WorkQueue",
        "WorkDeadLetterQueue",
    }
    for event in events.values():
        assert event["Type"] == "SQS"
        assert event["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    worker_env = FUNCS["WorkerFunction"]["Properties"]["Environment"]["Variables"]
    assert worker_env["TARJAMA_BULK_MAX_RECEIVES"] == str(queue["RedrivePolicy"]["maxReceiveCount"])
    assert worker_env["TARJAMA_BULK_DEAD_LETTER_ARN"] == {"Fn::GetAtt": ["WorkDeadLetterQueue", "Arn"]}
    alarm = RES["DeadLettersAlarm"]["Properties"]
    assert alarm["Dimensions"][0]["Value"] == {"Fn::GetAtt": ["WorkDeadLetterQueue", "QueueName"]}
    # The worker drains the DLQ, so depth stays near zero: the alarm counts arrivals instead.
    assert alarm["MetricName"] == "NumberOfMessagesReceived"
    assert RES["Api5xxAlarm"]["Properties"]["MetricName"] == "5XXError"


def test_bulk_split_listens_on_incoming() -> None:
    (event,) = FUNCS["BulkSplitFunction"]["Properties"]["Events"].values()
    assert event["Type"] == "S3"
    assert event["Properties"]["Bucket"] == {"Ref": "InputBucket"}
    assert event["Properties"]["Filter"]["S3Key"]["Rules"] == [{"Name": "prefix", "Value": "incoming/"}]


def test_a_split_lambda_gives_up_on_reaches_the_worker() -> None:
    """S3 invokes the split asynchronously: once Lambda gives up (first try + 2 retries), the invocation
    record goes to the work queue, which the worker drains, and BulkSplit may send there and nowhere else."""
    config = FUNCS["BulkSplitFunction"]["Properties"]["EventInvokeConfig"]
    assert config["MaximumRetryAttempts"] == 2
    assert config["DestinationConfig"]["OnFailure"] == {
        "Type": "SQS",
        "Destination": {"Fn::GetAtt": ["WorkQueue", "Arn"]},
    }
    assert "OnSuccess" not in config["DestinationConfig"]
    work = FUNCS["WorkerFunction"]["Properties"]["Events"]["Work"]
    assert work["Properties"]["Queue"] == {"Fn::GetAtt": ["WorkQueue", "Arn"]}
    sends = [st for st in _statements("BulkSplitFunction") if "sqs:SendMessage" in _actions(st)]
    assert [st["Resource"] for st in sends] == [{"Fn::GetAtt": ["WorkQueue", "Arn"]}]


def test_every_function_logs_to_its_own_group_with_retention() -> None:
    for name, fn in FUNCS.items():
        ref = fn["Properties"]["LoggingConfig"]["LogGroup"]["Ref"]
        group = RES[ref]
        assert group["Type"] == "AWS::Logs::LogGroup"
        assert group["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}
        assert group["Properties"]["LogGroupName"] == {"Fn::Sub": f"/aws/lambda/${{AWS::StackName}}-{name}"}


def test_outputs() -> None:
    assert {
        "ApiUrl", "ResultsBucketName", "InputBucketName", "TableName", "WorkQueueUrl", "DeadLetterQueueUrl"
    } <= set(T["Outputs"])  # fmt: skip


# ------------------------------------------------------------------ the template SAM actually deploys

_TRANSFORM = r"""
import json, sys
from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse
tpl = yaml_parse(open(sys.argv[1], encoding="utf-8").read())
for res in tpl["Resources"].values():  # what `sam build` + `sam package` fill in
    props = res.get("Properties", {})
    if res["Type"] == "AWS::Serverless::Function":
        if props.get("PackageType") == "Image":
            props["ImageUri"] = "123456789012.dkr.ecr.us-east-1.amazonaws.com/tarjama:v1"
        else:
            props["CodeUri"] = "s3://bucket/code.zip"
    if res["Type"] == "AWS::Serverless::LayerVersion":
        props["ContentUri"] = "s3://bucket/layer.zip"
class NoManagedPolicies:
    def load(self):
        return {}
print(json.dumps(transform(tpl, json.loads(sys.argv[2]), NoManagedPolicies())))
"""


def _transformed(params: dict[str, str]) -> dict[str, Any]:
    if not TOOLS_PYTHON.exists():
        pytest.skip("needs the SAM translator from .tools: run `make lint-template` once")
    env = {**os.environ, "AWS_DEFAULT_REGION": "us-east-1"}
    proc = subprocess.run(
        [str(TOOLS_PYTHON), "-c", _TRANSFORM, str(TEMPLATE), json.dumps(params)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    out: dict[str, Any] = json.loads(proc.stdout)
    return out


def _methods(cfn: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    body = cfn["Resources"]["Api"]["Properties"]["Body"]
    return {(path, m): op for path, ops in body["paths"].items() for m, op in ops.items()}


def test_transformed_routes_all_signed_and_roles_scoped() -> None:
    cfn = _transformed({})
    methods = _methods(cfn)
    assert ("/v1/digests:batch", "post") in methods
    for key, op in methods.items():
        assert op["security"] == [{"AWS_IAM": []}], key
    for name, res in cfn["Resources"].items():
        if res["Type"] != "AWS::IAM::Role":
            continue
        for policy in res["Properties"].get("Policies", []):
            for st in policy["PolicyDocument"]["Statement"]:
                actions = _actions(st)
                if st["Effect"] == "Allow" and any(a.startswith(DATA_SERVICES) for a in actions):
                    assert "*" not in _resources(st), f"{name}: {actions} on *"
    assert not [k for k in cfn["Resources"] if "UsagePlan" in k]


def test_transformed_api_key_mode_adds_key_and_usage_plan() -> None:
    cfn = _transformed({"ApiKeyRequired": "true", "ApiUsagePlan": "PER_API"})
    for key, op in _methods(cfn).items():
        assert op["security"] == [{"AWS_IAM": []}, {"api_key": []}], key
    kinds = {r["Type"] for r in cfn["Resources"].values()}
    assert {"AWS::ApiGateway::UsagePlan", "AWS::ApiGateway::ApiKey", "AWS::ApiGateway::UsagePlanKey"} <= kinds


# ------------------------------------------------------------------ API Gateway's own answers

# Response types API Gateway answers itself on this API (IAM auth, throttling, usage plans, limits).
GATEWAY_TYPES = {
    "DEFAULT_4XX", "DEFAULT_5XX", "THROTTLED", "QUOTA_EXCEEDED", "ACCESS_DENIED", "WAF_FILTERED",
    "MISSING_AUTHENTICATION_TOKEN", "INVALID_SIGNATURE", "EXPIRED_TOKEN", "INVALID_API_KEY",
    "REQUEST_TOO_LARGE", "INTEGRATION_TIMEOUT", "INTEGRATION_FAILURE", "BAD_REQUEST_BODY",
    "BAD_REQUEST_PARAMETERS", "UNSUPPORTED_MEDIA_TYPE", "RESOURCE_NOT_FOUND",
}  # fmt: skip
# What the context variables become at run time: a request id, and messageString, a quoted JSON string.
CONTEXT = {
    "$context.requestId": "4c9a5c2e-0000-4000-8000-00000000abcd",
    "$context.error.messageString": json.dumps('Missing "Authentication" Token'),
}


def _gateway_responses() -> dict[str, dict[str, Any]]:
    responses: dict[str, dict[str, Any]] = RES["Api"]["Properties"]["GatewayResponses"]
    return responses


def _rendered(template: str) -> dict[str, Any]:
    for name, value in CONTEXT.items():
        template = template.replace(name, value)
    assert "$context" not in template, f"an unexpected context variable: {template}"
    rendered: dict[str, Any] = json.loads(template)
    return rendered


def test_every_gateway_response_is_configured() -> None:
    assert set(_gateway_responses()) == GATEWAY_TYPES


@pytest.mark.parametrize("response_type", sorted(GATEWAY_TYPES))
def test_gateway_response_has_the_error_shape_a_registered_code_and_the_security_headers(
    response_type: str,
) -> None:
    from tarjama.api.http import ERROR_HEADERS
    from tarjama.api.schemas import ErrorResponse
    from tarjama.errors import REGISTRY

    response = _gateway_responses()[response_type]
    body = _rendered(response["ResponseTemplates"]["application/json"])
    error = ErrorResponse.model_validate(body).error  # the schema the API's own errors have
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    assert error.details == {"request_id": CONTEXT["$context.requestId"]}
    assert error.message
    entry = REGISTRY[error.code]
    if response_type.startswith("DEFAULT_"):  # API Gateway keeps its own status and message
        assert "StatusCode" not in response
        assert error.message == 'Missing "Authentication" Token'
        assert entry.status // 100 == int(response_type[-3])
    else:
        assert int(response["StatusCode"]) == entry.status, error.code
    headers = response["ResponseParameters"]["Headers"]
    assert headers.get("Content-Type") == "'application/json'"
    for name, value in ERROR_HEADERS.items():  # what the handler sends with its own errors
        assert headers.get(name) == f"'{value}'", name


def test_every_gateway_code_has_a_gateway_response() -> None:
    """A code the registry says API Gateway answers, that no gateway response carries, would be a lie in
    the docs and the OpenAPI document."""
    from tarjama.errors import CODES

    used = {
        _rendered(r["ResponseTemplates"]["application/json"])["error"]["code"]
        for r in _gateway_responses().values()
    }
    assert {c.code for c in CODES if c.where == "gateway"} <= used


def test_transformed_api_carries_the_gateway_responses() -> None:
    cfn = _transformed({})
    body = cfn["Resources"]["Api"]["Properties"]["Body"]
    deployed = body["x-amazon-apigateway-gateway-responses"]
    assert set(deployed) == GATEWAY_TYPES
    throttled = deployed["THROTTLED"]
    assert throttled["statusCode"] == "429"
    assert throttled["responseParameters"]["gatewayresponse.header.X-Content-Type-Options"] == "'nosniff'"
    assert _rendered(throttled["responseTemplates"]["application/json"])["error"]["code"] == "throttled"


# ------------------------------------------------------------------ cold starts


def test_provisioned_concurrency_is_off_by_default_and_loads_models_at_init_when_on() -> None:
    assert T["Parameters"]["ApiProvisionedConcurrency"]["Default"] == 0
    props = FUNCS["ApiFunction"]["Properties"]
    assert props["AutoPublishAlias"] == "live"
    assert props["Environment"]["Variables"]["TARJAMA_EAGER_INIT"] == {
        "Fn::If": ["HasApiProvisionedConcurrency", "true", "false"]
    }
    off = _transformed({})
    aliases = [r for r in off["Resources"].values() if r["Type"] == "AWS::Lambda::Alias"]
    assert len(aliases) == 1 and aliases[0]["Properties"]["Name"] == "live"
    assert off["Conditions"]["HasApiProvisionedConcurrency"] == {
        "Fn::Not": [{"Fn::Equals": [{"Ref": "ApiProvisionedConcurrency"}, 0]}]
    }
    config = aliases[0]["Properties"]["ProvisionedConcurrencyConfig"]
    assert config == {
        "Fn::If": [
            "HasApiProvisionedConcurrency",
            {"ProvisionedConcurrentExecutions": {"Ref": "ApiProvisionedConcurrency"}},
            {"Ref": "AWS::NoValue"},
        ]
    }
    # API Gateway calls the alias (the provisioned environments), not $LATEST
    uris = json.dumps(off["Resources"]["Api"]["Properties"]["Body"])
    assert "ApiFunctionAliaslive" in uris
