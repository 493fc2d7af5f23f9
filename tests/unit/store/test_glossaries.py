"""The glossary store on moto's server: round trips, the 400 KB item limit, replacement, listing."""

from __future__ import annotations

import random
from typing import Any

import pytest
from tarjama.errors import GlossaryNotFoundError, GlossaryTooLargeError, StoreUnavailableError
from tarjama.store import glossaries as store_module
from tarjama.store.glossaries import INDEX_PK, GlossaryStore, head_pk, part_pk
from tarjama.text.glossary import Term
from tarjama.text.glossary_file import MAX_TERM_BYTES, MAX_TERMS, build

ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
LATIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def small() -> Any:
    return build("house", (Term("الكاظمي", "Kadhimi"), Term("فيلق القدس", "the Quds Force")))


def at_the_limit(seed: int = 7) -> Any:
    """10,000 terms, each side exactly 200 bytes of random letters (close to incompressible)."""
    rng = random.Random(seed)
    side_ar = MAX_TERM_BYTES // 2  # Arabic letters are two bytes of UTF-8
    terms = tuple(
        Term(
            "".join(rng.choice(ARABIC) for _ in range(side_ar)),
            "".join(rng.choice(LATIN) for _ in range(200)),
        )
        for _ in range(MAX_TERMS)
    )
    return build("big", terms)


def test_round_trip(dynamodb: Any, dynamo_table: str) -> None:
    store = GlossaryStore(dynamodb, dynamo_table)
    info = store.put(small())
    assert (info.name, info.terms, info.version) == ("house", 2, small().version)
    assert store.get("house") == small()


def test_items_carry_no_ttl(dynamodb: Any, dynamo_table: str) -> None:
    GlossaryStore(dynamodb, dynamo_table).put(small())
    item = dynamodb.get_item(TableName=dynamo_table, Key={"pk": {"S": head_pk("house")}})["Item"]
    assert "expires_at" not in item


def test_unknown_name(dynamodb: Any, dynamo_table: str) -> None:
    with pytest.raises(GlossaryNotFoundError) as info:
        GlossaryStore(dynamodb, dynamo_table).get("nope")
    assert info.value.status == 404


def test_glossary_at_the_limit_is_stored_in_parts(dynamodb: Any, dynamo_table: str) -> None:
    big = at_the_limit()
    store = GlossaryStore(dynamodb, dynamo_table)
    store.put(big)
    head = dynamodb.get_item(TableName=dynamo_table, Key={"pk": {"S": head_pk("big")}})["Item"]
    assert "body" not in head
    assert int(head["parts"]["N"]) >= 2  # the compressed terms pass one item's 400 KB
    assert store.get("big") == big


def test_replacing_a_large_glossary_deletes_the_old_parts(dynamodb: Any, dynamo_table: str) -> None:
    store = GlossaryStore(dynamodb, dynamo_table, part_bytes=200)
    first = build("g", tuple(Term(f"كلمة{i}", f"word{i}") for i in range(60)))
    store.put(first)
    parts = int(
        dynamodb.get_item(TableName=dynamo_table, Key={"pk": {"S": head_pk("g")}})["Item"]["parts"]["N"]
    )
    assert parts >= 2
    second = build("g", (Term("الكاظمي", "Kadhimi"),))
    store.put(second)
    assert store.get("g") == second
    for i in range(parts):
        key = {"pk": {"S": part_pk("g", first.version, i)}}
        assert "Item" not in dynamodb.get_item(TableName=dynamo_table, Key=key)


def test_list_and_delete(dynamodb: Any, dynamo_table: str) -> None:
    store = GlossaryStore(dynamodb, dynamo_table)
    assert store.list_all() == []
    store.put(small())
    store.put(build("alpha", (Term("العراق", "Iraq"),)))
    assert [(g.name, g.terms) for g in store.list_all()] == [("alpha", 1), ("house", 2)]
    store.delete("house")
    assert [g.name for g in store.list_all()] == ["alpha"]
    with pytest.raises(GlossaryNotFoundError):
        store.get("house")
    with pytest.raises(GlossaryNotFoundError):
        store.delete("house")


def test_deleting_a_large_glossary_deletes_its_parts(dynamodb: Any, dynamo_table: str) -> None:
    store = GlossaryStore(dynamodb, dynamo_table, part_bytes=200)
    g = build("g", tuple(Term(f"كلمة{i}", f"word{i}") for i in range(60)))
    store.put(g)
    store.delete("g")
    assert "Item" not in dynamodb.get_item(
        TableName=dynamo_table, Key={"pk": {"S": part_pk("g", g.version, 0)}}
    )


def test_too_many_glossaries(dynamodb: Any, dynamo_table: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "MAX_GLOSSARIES", 2)
    store = GlossaryStore(dynamodb, dynamo_table)
    store.put(build("a", (Term("العراق", "Iraq"),)))
    store.put(build("b", (Term("العراق", "Iraq"),)))
    store.put(build("b", (Term("العراق", "Iraq."),)))  # replacing one is not one more
    with pytest.raises(GlossaryTooLargeError):
        store.put(build("c", (Term("العراق", "Iraq"),)))
    index = dynamodb.get_item(TableName=dynamo_table, Key={"pk": {"S": INDEX_PK}})["Item"]
    assert sorted(index["names"]["SS"]) == ["a", "b"]


def test_store_outage_is_503(closed_endpoint: str) -> None:
    import boto3
    from tarjama.store.clients import store_config

    client = boto3.client("dynamodb", endpoint_url=closed_endpoint, config=store_config(max_attempts=1))
    with pytest.raises(StoreUnavailableError):
        GlossaryStore(client, "t").get("house")


def test_a_replaced_glossary_is_read_again(dynamodb: Any, dynamo_table: str) -> None:
    reader = GlossaryStore(dynamodb, dynamo_table)
    writer = GlossaryStore(dynamodb, dynamo_table)
    writer.put(small())
    assert reader.get("house") == small()
    replaced = build("house", (Term("الكاظمي", "al-Kazemi"),))
    writer.put(replaced)
    assert reader.get("house") == replaced  # another process's PUT is seen at once
    writer.delete("house")
    with pytest.raises(GlossaryNotFoundError):
        reader.get("house")


def test_every_call_is_one_the_api_and_worker_policies_grant(dynamodb: Any, dynamo_table: str) -> None:
    """The glossary store runs on the table grants the functions already had: no Scan, no Query."""
    from tests.plugins.deploy import functions, load_template

    called: set[str] = set()
    dynamodb.meta.events.register("before-call.dynamodb.*", lambda model, **_: called.add(model.name))
    store = GlossaryStore(dynamodb, dynamo_table, part_bytes=200)
    big = build("g", tuple(Term(f"كلمة{i}", f"word{i}") for i in range(60)))
    store.put(big)
    store.put(small())
    store.get("g")
    store.get("house")
    store.list_all()
    store.put(build("g", (Term("العراق", "Iraq"),)))  # replacing parts deletes the old ones
    store.delete("g")
    assert {"PutItem", "GetItem", "BatchGetItem", "BatchWriteItem", "UpdateItem", "DeleteItem"} <= called
    template = load_template()
    for name in ("ApiFunction", "WorkerFunction"):
        granted = {
            action.removeprefix("dynamodb:")
            for policy in functions(template)[name]["Properties"]["Policies"]
            for statement in policy["Statement"]
            for action in (
                [statement["Action"]] if isinstance(statement["Action"], str) else statement["Action"]
            )
            if action.startswith("dynamodb:")
        }
        assert called <= granted, f"{name} lacks {called - granted}"


def test_a_part_gone_missing_is_a_503_not_a_wrong_glossary(dynamodb: Any, dynamo_table: str) -> None:
    store = GlossaryStore(dynamodb, dynamo_table, part_bytes=200)
    g = build("g", tuple(Term(f"كلمة{i}", f"word{i}") for i in range(60)))
    store.put(g)
    dynamodb.delete_item(TableName=dynamo_table, Key={"pk": {"S": part_pk("g", g.version, 1)}})
    with pytest.raises(StoreUnavailableError):
        GlossaryStore(dynamodb, dynamo_table).get("g")
