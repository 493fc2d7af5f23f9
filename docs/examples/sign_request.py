"""Call tarjama's API with a SigV4-signed request (the API's routes require IAM authorization).

    python docs/examples/sign_request.py https://<api-id>.execute-api.<region>.amazonaws.com/prod/v1/digests \
        article.txt

Credentials come from the usual places (environment, ~/.aws, an instance or Lambda role): whoever calls
needs `execute-api:Invoke` on the API. Only botocore (part of boto3) and the standard library are used.
"""

from __future__ import annotations

import json
import sys
import urllib.request
from typing import Any
from urllib.parse import urlsplit

import botocore.session
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest


def region_of(url: str) -> str:
    """`<id>.execute-api.<region>.amazonaws.com` -> region."""
    host = urlsplit(url).hostname or ""
    parts = host.split(".")
    return parts[2] if len(parts) > 3 and parts[1] == "execute-api" else "us-east-1"


def signed_request(
    method: str,
    url: str,
    body: dict[str, Any] | None = None,
    *,
    region: str | None = None,
    credentials: Any = None,
    api_key: str | None = None,
) -> urllib.request.Request:
    """A urllib request carrying SigV4 headers for service `execute-api`. Sign exactly the bytes you send."""
    data = json.dumps(body, ensure_ascii=False).encode("utf-8") if body is not None else None
    headers = {"Content-Type": "application/json"} if data is not None else {}
    if api_key:  # only when the stack was deployed with ApiKeyRequired=true
        headers["x-api-key"] = api_key
    creds = credentials or botocore.session.get_session().get_credentials()
    if creds is None:
        raise SystemExit("No AWS credentials found")
    aws_request = AWSRequest(method=method, url=url, data=data, headers=headers)
    SigV4Auth(creds, "execute-api", region or region_of(url)).add_auth(aws_request)
    return urllib.request.Request(url, data=data, method=method, headers=dict(aws_request.headers.items()))


def main(argv: list[str]) -> int:
    url, path = argv[1], argv[2]
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    request = signed_request("POST", url, {"text": text, "options": {"summary": "extractive"}})
    with urllib.request.urlopen(request, timeout=30) as response:  # an https URL you pass
        print(json.dumps(json.load(response), ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
