"""`tarjama store`: create the table (and the other local resources) from template.yaml.

`tarjama store create-table [--table NAME] [--template PATH]` creates the `Table` resource of the template
(key schema, billing mode, TTL) on the endpoint of boto3's standard configuration (`AWS_ENDPOINT_URL`...),
so a local endpoint has exactly the deployed layout. `tarjama store create-local` also creates the buckets
and queues named in the settings. Both are idempotent.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from tarjama.config import get_settings
from tarjama.errors import InvalidInputError, StoreUnavailableError


def register(sub: Any) -> None:
    parser = sub.add_parser("store", help="Create the table and local resources from template.yaml.")
    store_sub = parser.add_subparsers(dest="store_command", required=True, metavar="ACTION")

    create = store_sub.add_parser("create-table", help="Create the DynamoDB table (+TTL) of template.yaml.")
    create.add_argument("--table", help="Table name (default: TARJAMA_TABLE).")
    create.add_argument("--template", type=Path, help="template.yaml (default: nearest in cwd or parents).")
    create.set_defaults(func=_create_table)

    local = store_sub.add_parser("create-local", help="Create the table, buckets and queues of the settings.")
    local.add_argument("--template", type=Path, help="template.yaml (default: nearest in cwd or parents).")
    local.add_argument("--queue-name", help="Work queue name when TARJAMA_QUEUE_URL is not set.")
    local.set_defaults(func=_create_local)


def _create_table(args: argparse.Namespace) -> int:
    import yaml
    from botocore.exceptions import BotoCoreError, ClientError

    from tarjama.local.resources import create_table, table_definition_from_template
    from tarjama.store.clients import dynamodb_client

    name = args.table or get_settings().table
    if not name:
        raise InvalidInputError("No table name: pass --table or set TARJAMA_TABLE.")
    try:
        definition = table_definition_from_template(_template(args.template))
    except (OSError, ValueError, KeyError, yaml.YAMLError) as exc:
        raise InvalidInputError(f"Cannot read the table definition: {exc}") from exc
    try:
        created = create_table(dynamodb_client(), name, definition)
    except (BotoCoreError, ClientError) as exc:
        raise StoreUnavailableError(f"Could not create table {name}: {exc}") from exc
    print(json.dumps({"table": name, "created": created, "ttl_attribute": definition.ttl_attribute}))
    return 0


def _create_local(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from botocore.exceptions import BotoCoreError, ClientError

    from tarjama.local.resources import create_local_resources

    try:
        resources = create_local_resources(
            get_settings(), template=_template(args.template), queue_name=args.queue_name
        )
    except (BotoCoreError, ClientError) as exc:
        raise StoreUnavailableError(f"Could not create the local resources: {exc}") from exc
    print(json.dumps(asdict(resources)))
    return 0


def _template(path: Path | None) -> Path:
    from tarjama.local.template import find_template

    try:
        return path or find_template()
    except FileNotFoundError as exc:
        raise InvalidInputError(str(exc)) from exc
