"""Everything that emulates AWS on this machine, and nothing a deployed function needs.

- `account`: the one local account, region, stack name, resource names and credentials.
- `endpoint`: moto's server on loopback (started one way, for `serve`, `bulk` and the tests), and scoped
  environments (a Lambda function's configuration is its process environment).
- `template`: template.yaml read with CloudFormation's short tags, and the one resolver of the intrinsics
  a local run can know.
- `resources`: the template's table, buckets and queues created on a local endpoint.
- `functions`: a function of the template as `sam local invoke` would run it (handler, environment, context).
- `events`: real-shaped Lambda events: API Gateway REST proxy requests and responses, S3 puts, SQS batches.
- `poller`: Lambda's SQS event source: receive, invoke, delete, dead letters included.
- `apigateway`: the HTTP server in front of the API function (`tarjama serve`).
- `bulk`: the split -> queue -> worker path on one machine (`tarjama bulk`).

This package is excluded from the Lambda image (.dockerignore) and the layer (layers/common/Makefile);
tests/unit/test_image.py keeps it so. Nothing under `functions/` or the runtime modules imports it.
"""

from tarjama.local.endpoint import free_port
from tarjama.local.functions import LambdaContext

__all__ = ["LambdaContext", "free_port"]  # what tests of other parts import most
