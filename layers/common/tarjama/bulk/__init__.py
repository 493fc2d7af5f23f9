"""Bulk files: an upload is split into articles, fanned out through SQS, digested, collected and reported.

`split` (S3 trigger) -> `messages` (SQS) -> `worker` (SQS trigger) -> `report` (the last worker). Every step
is idempotent, because S3 and SQS both deliver at least once: the job id is derived from the upload, each
article is counted through a per-article marker, and the final files are written by exactly one claimant.
"""
