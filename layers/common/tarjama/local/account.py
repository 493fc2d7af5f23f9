"""The one definition of the local account: ids, region, names and the credentials moto accepts.

Lambda's runtime and SAM's `local invoke` default to us-east-1 when nothing says otherwise; so do we.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

LOCAL_ACCOUNT = "123456789012"
DEFAULT_REGION = "us-east-1"
LOCAL_STACK = "tarjama-local"

# What `tarjama serve` and `tarjama bulk` create on an embedded endpoint (settings field -> name).
LOCAL_NAMES = {
    "table": "tarjama-local",
    "results_bucket": "tarjama-local-results",
    "input_bucket": "tarjama-local-input",
}
LOCAL_QUEUE = "tarjama-local-work"

# boto3 signs with these on a local endpoint (moto accepts any).
FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
}


def region(environ: Mapping[str, str] | None = None) -> str:
    """The region boto3 would use here: AWS_REGION, then AWS_DEFAULT_REGION, then Lambda's default."""
    env = os.environ if environ is None else environ
    return env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or DEFAULT_REGION


def region_environ(name: str) -> dict[str, str]:
    """Both variables Lambda sets for the region (boto3 reads the second, the runtime the first)."""
    return {"AWS_REGION": name, "AWS_DEFAULT_REGION": name}


def queue_arn(queue_url: str, region_name: str | None = None, account: str = LOCAL_ACCOUNT) -> str:
    """The ARN of a local queue from its URL (the last path part is the queue's name)."""
    return f"arn:aws:sqs:{region_name or region()}:{account}:{queue_url.rstrip('/').rsplit('/', 1)[-1]}"
