"""Names: job ids and every S3 key a job writes. All of a job's objects live under `results/<job>/`.

Ids from a file (a JSON `id` or a zip entry name) never become a path as they are: they are reduced to a
safe charset and prefixed by the zero-padded input index, so keys are unique, sort in input order and can
never climb out of the job's prefix.
"""

from __future__ import annotations

import hashlib
import re

RESULTS_ROOT = "results/"
INCOMING_PREFIX = "incoming/"
INDEX_WIDTH = 8
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_JOB_ID = re.compile(r"^j_[0-9a-f]{8,64}$")


def job_id_for_upload(bucket: str, key: str, version: str) -> str:
    """Deterministic: the same upload (bucket, key, etag or version id) always gets the same job."""
    blob = "\x00".join((bucket, key, version)).encode("utf-8")
    return "j_" + hashlib.sha256(blob).hexdigest()[:32]


def is_job_id(value: str) -> bool:
    return bool(_JOB_ID.match(value))


def safe_id(article_id: str, limit: int = 64) -> str:
    """An S3-safe rendering of an article id (for key readability only; the index keeps keys unique)."""
    cleaned = _UNSAFE.sub("_", article_id).strip("._") or "article"
    return cleaned[:limit]


def job_prefix(job_id: str) -> str:
    return f"{RESULTS_ROOT}{job_id}/"


def item_key(job_id: str, index: int, article_id: str) -> str:
    """The per-article outcome object (result or error); sorted listing = input order."""
    return f"{job_prefix(job_id)}items/{index:0{INDEX_WIDTH}d}-{safe_id(article_id)}.json"


def items_prefix(job_id: str) -> str:
    return f"{job_prefix(job_id)}items/"


def input_key(job_id: str, index: int) -> str:
    """Where an article too large for an SQS message waits for its worker."""
    return f"{job_prefix(job_id)}inputs/{index:0{INDEX_WIDTH}d}.json"


def split_errors_key(job_id: str, chunk: int) -> str:
    return f"{job_prefix(job_id)}errors/split-{chunk:05d}.jsonl"


def split_errors_prefix(job_id: str) -> str:
    return f"{job_prefix(job_id)}errors/"


def results_key(job_id: str) -> str:
    return f"{job_prefix(job_id)}results.jsonl"


def report_key(job_id: str) -> str:
    return f"{job_prefix(job_id)}report.json"
