"""The table layout comes from template.yaml and `create_table` reproduces it on a real endpoint; the one
resolver of CloudFormation values a local run can know."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tarjama.config import Settings
from tarjama.local.resources import create_local_resources, create_table, table_definition_from_template
from tarjama.local.template import Resolver, find_template, load_template

REPO = Path(__file__).resolve().parents[3]


def test_definition_read_from_template() -> None:
    definition = table_definition_from_template(REPO / "template.yaml")
    assert definition.key_schema == [{"AttributeName": "pk", "KeyType": "HASH"}]
    assert definition.attribute_definitions == [{"AttributeName": "pk", "AttributeType": "S"}]
    assert definition.billing_mode == "PAY_PER_REQUEST"
    assert definition.ttl_attribute == "expires_at"
    assert definition.point_in_time_recovery is True


def test_intrinsic_tags_load_as_data(tmp_path: Path) -> None:
    path = tmp_path / "template.yaml"
    path.write_text(
        "Resources:\n"
        "  Q:\n"
        "    Properties:\n"
        "      A: !GetAtt Dlq.Arn\n"
        "      B: !Ref Table\n"
        "      C: !Sub '${AWS::StackName}-x'\n"
        "      D: !If [Cond, 1, 2]\n"
        "      E: !Join ['', [a, !Ref B]]\n",
        encoding="utf-8",
    )
    props = load_template(path)["Resources"]["Q"]["Properties"]
    assert props["A"] == {"Fn::GetAtt": ["Dlq", "Arn"]}
    assert props["B"] == {"Ref": "Table"}
    assert props["C"] == {"Fn::Sub": "${AWS::StackName}-x"}
    assert props["D"] == {"Fn::If": ["Cond", 1, 2]}
    assert props["E"] == {"Fn::Join": ["", ["a", {"Ref": "B"}]]}


def test_find_template_walks_up(tmp_path: Path) -> None:
    (tmp_path / "template.yaml").write_text("Resources: {}\n", encoding="utf-8")
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    assert find_template(nested) == tmp_path / "template.yaml"


def test_create_table_matches_template_and_is_idempotent(dynamodb: Any, table_definition: Any) -> None:
    name = "tarjama-create-table-test"
    try:
        assert create_table(dynamodb, name, table_definition) is True
        assert create_table(dynamodb, name, table_definition) is False
        table = dynamodb.describe_table(TableName=name)["Table"]
        assert table["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"}]
        assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
        ttl = dynamodb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
        assert ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires_at"}
    finally:
        dynamodb.delete_table(TableName=name)


def test_create_local_resources(dynamodb: Any, s3: Any, aws_endpoint: str) -> None:
    import boto3

    settings = Settings(
        table="tarjama-local-res",
        results_bucket="tarjama-local-results",
        input_bucket="tarjama-local-input",
        queue_url="http://example.invalid/000000000000/tarjama-local-work",
    )
    try:
        first = create_local_resources(settings, template=REPO / "template.yaml")
        again = create_local_resources(settings, template=REPO / "template.yaml")
        assert first == again
        assert dynamodb.describe_table(TableName="tarjama-local-res")["Table"]["TableStatus"] == "ACTIVE"
        buckets = {b["Name"] for b in s3.list_buckets()["Buckets"]}
        assert {"tarjama-local-results", "tarjama-local-input"} <= buckets
        sqs = boto3.client("sqs")
        assert first.queue_url and first.queue_url.endswith("/tarjama-local-work")
        attrs = sqs.get_queue_attributes(QueueUrl=first.queue_url, AttributeNames=["All"])["Attributes"]
        # The template's value, not SQS's default of 30: WorkerTimeout's default 300 s -> the mapping's 1800.
        assert attrs["VisibilityTimeout"] == "1800"
        assert '"maxReceiveCount"' in attrs["RedrivePolicy"]
        assert "tarjama-local-work-dlq" in attrs["RedrivePolicy"]
    finally:
        dynamodb.delete_table(TableName="tarjama-local-res")


def test_missing_resource_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "template.yaml"
    path.write_text("Resources: {}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no Table resource"):
        table_definition_from_template(path)


def test_resolve_parameters_and_mappings() -> None:
    template = {
        "Parameters": {"T": {"Type": "String", "Default": "300"}},
        "Mappings": {"M": {"300": {"V": 1800}}},
    }
    resolver = Resolver(template, region_name="eu-west-1")
    assert resolver.value({"Fn::FindInMap": ["M", {"Ref": "T"}, "V"]}) == 1800
    assert resolver.value({"Ref": "T"}) == "300"
    assert resolver.value({"Ref": "AWS::Region"}) == "eu-west-1"
    assert resolver.string({"Fn::Sub": "q-${AWS::AccountId}-${AWS::Region}"}) == "q-123456789012-eu-west-1"
    assert resolver.string({"Fn::Sub": ["${A}-x", {"A": {"Ref": "T"}}]}) == "300-x"
    assert resolver.value({"Fn::GetAtt": ["Q", "Arn"]}) is None
    assert resolver.value({"Ref": "SomeResource"}) is None
    assert resolver.string({"Fn::Sub": "${SomeResource.Arn}"}) is None
    assert resolver.value(42) == 42 and resolver.string(True) == "true"
    assert Resolver(template, {"T": "600"}).value({"Ref": "T"}) == "600"  # an override wins
