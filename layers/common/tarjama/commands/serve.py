"""`tarjama serve [--port 3000] [--host 127.0.0.1]`: the API on this machine, like `sam local start-api`.

Each HTTP request becomes an API Gateway REST (v1) proxy event for the API function's own handler (found
in template.yaml), and its response is written back (`tarjama.local.apigateway`). Around it, what a local
run needs:

- AWS: with no endpoint configured (no AWS_ENDPOINT_URL and no TARJAMA_TABLE), an embedded moto server on
  loopback, with the template's table, buckets and queues created on it; stopped on exit.
- Models: TARJAMA_MODELS=tiny serves tiny models from .models/tiny (built on first use); with no models
  installed it says how to get them, still serves, and digests answer `503 model_missing`.
- Jobs: long articles are queued; a background poller hands the work queue's messages (and its dead
  letters) to the worker function's handler, as Lambda's SQS event source would, so a job finishes
  locally too.

The run's configuration is computed once, as one environment for the functions (what Lambda gives their
process) and the `Settings` read from it; serve itself uses that object, and the environment is applied
only while the server runs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import threading
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

API_FUNCTION = "ApiFunction"
WORKER_FUNCTION = "WorkerFunction"
DEFAULTS = {"POWERTOOLS_TRACE_DISABLED": "true", "POWERTOOLS_SERVICE_NAME": "tarjama"}


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser(
        "serve",
        help="serve the HTTP API locally (like `sam local start-api`)",
        description=__doc__.splitlines()[0] if __doc__ else None,
    )
    parser.add_argument("--port", "-p", type=int, default=3000)
    parser.add_argument("--host", default="127.0.0.1", help="loopback by default")
    parser.add_argument("--template", "-t", type=Path, default=None, help="default: nearest template.yaml")
    parser.add_argument("--env-vars", "-n", type=Path, default=None, help="SAM-style environment file")
    parser.add_argument("--no-worker", action="store_true", help="do not process queued jobs locally")
    parser.set_defaults(func=run)


def say(message: str) -> None:
    print(f"tarjama serve: {message}", file=sys.stderr, flush=True)


def ensure_tiny_models(target: Path) -> Path:
    """Tiny models in `target`, built there on first use (into a temporary sibling, then renamed)."""
    if (target / "summarizer" / "tarjama-model.json").is_file():
        return target
    from tarjama.nlp.build import build

    say(f"building tiny models into {target} (first run only; about a minute)")
    partial = target.with_name(target.name + f".partial-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    build(partial, "tiny")
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        partial.rename(target)
    except OSError:
        shutil.rmtree(partial, ignore_errors=True)
    return target


def check_models(settings: Any) -> str | None:
    """None when the configured models are installed, else what to do about it."""
    from tarjama.errors import ModelMissingError
    from tarjama.nlp.models import ModelProvider

    try:
        ModelProvider(settings).describe(settings.summary)
    except ModelMissingError as exc:
        return (
            f"{exc.message}\n  Or run with tiny models (random weights, for trying the API): "
            "TARJAMA_MODELS=tiny make run"
        )
    return None


@contextmanager
def local_aws(env: dict[str, str], template: Path | None) -> Iterator[tuple[Any, str | None]]:
    """The embedded moto server with the template's resources; adds their names and the endpoint to `env`
    and yields an SQS client for it and the dead-letter queue's URL. Explicit clients: no environment read."""
    from tarjama.config import Settings
    from tarjama.local.account import LOCAL_NAMES, LOCAL_QUEUE
    from tarjama.local.endpoint import endpoint_environ, local_client, start_moto_server, stop_process
    from tarjama.local.resources import create_local_resources

    proc, url = start_moto_server()
    try:
        env.update(endpoint_environ(url))
        for field, name in LOCAL_NAMES.items():
            env.setdefault(f"TARJAMA_{field.upper()}", name)
        created = create_local_resources(
            Settings.from_env(env),
            template=template,
            queue_name=LOCAL_QUEUE,
            dynamodb=local_client("dynamodb", url),
            s3=local_client("s3", url),
            sqs=local_client("sqs", url),
        )
        if created.queue_url:
            env["TARJAMA_QUEUE_URL"] = created.queue_url
        sqs = local_client("sqs", url)
        dlq = created.dead_letter_queue_url
        if dlq:  # the worker records what reaches it from the DLQ as failed
            attrs = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]
            env["TARJAMA_BULK_DEAD_LETTER_ARN"] = attrs["QueueArn"]
        say(f"local AWS endpoint (moto) on {url}: table {created.table}, queue {LOCAL_QUEUE}")
        yield sqs, dlq
    finally:
        stop_process(proc)


def function_environment(overrides: Mapping[str, Mapping[str, str]]) -> dict[str, str]:
    """The API function's environment for a local run: this process's and the `--env-vars` file's. The
    template's own values describe the deployed image (/opt/models, ...) and are not applied here."""
    env = {**DEFAULTS, **os.environ}
    for scope in ("Parameters", API_FUNCTION):
        env.update(overrides.get(scope, {}))
    if env.get("TARJAMA_MODELS") == "tiny" and not env.get("TARJAMA_MODEL_DIR"):
        env["TARJAMA_MODEL_DIR"] = str(ensure_tiny_models(Path(".models/tiny").resolve()))
    return env


def run(args: argparse.Namespace) -> int:
    from tarjama.config import Settings
    from tarjama.local.apigateway import App, make_server
    from tarjama.local.endpoint import scoped_environ
    from tarjama.local.functions import load_env_vars, load_function
    from tarjama.local.template import TemplateError

    try:
        overrides = load_env_vars(args.env_vars)
        api = load_function(API_FUNCTION, template=args.template, env_vars=None)
    except (TemplateError, OSError, ValueError) as exc:
        say(str(exc))
        return 2
    env = function_environment(overrides)
    with ExitStack() as stack:
        sqs, dlq = None, None
        if not env.get("AWS_ENDPOINT_URL") and not env.get("TARJAMA_TABLE"):
            try:
                sqs, dlq = stack.enter_context(local_aws(env, args.template))
            except Exception as exc:
                say(f"no local AWS endpoint ({type(exc).__name__}: {exc}); serving without a cache")
        settings = Settings.from_env(env)
        # The functions read their configuration from their process environment, as in Lambda: applied
        # for the server's lifetime, restored on exit.
        stack.enter_context(scoped_environ({k: v for k, v in env.items() if os.environ.get(k) != v}))
        problem = check_models(settings)
        if problem:
            say("no models installed, so digests will answer 503 model_missing.\n  " + problem)
        else:
            say(f"models: {settings.models} from {settings.model_dir}")
        if settings.queue_url and not args.no_worker:
            start_worker(stack, settings, sqs, dlq, args.template)
        try:
            app = App(handler=api.load_handler(), context_factory=api.context)
            server = make_server(app, args.host, args.port)
        except OSError as exc:
            say(f"cannot listen on {args.host}:{args.port}: {exc.strerror}")
            return 2
        stack.callback(server.server_close)
        return serve_forever(server)


def start_worker(
    stack: ExitStack, settings: Any, sqs: Any, dead_letter_url: str | None, template: Path | None
) -> None:
    """The worker function behind the local SQS event source, in a background thread until exit."""
    import boto3

    from tarjama.local.functions import load_function
    from tarjama.local.poller import QueuePoller

    try:
        worker = load_function(WORKER_FUNCTION, template=template)
        poller = QueuePoller(
            sqs or boto3.client("sqs"),
            str(settings.queue_url),
            worker.load_handler(),
            dead_letter_url=dead_letter_url,
            context_factory=worker.context,
            batch=4,
            visibility_seconds=int(worker.timeout_s) * 6,
            wait_seconds=1,
        )
    except Exception as exc:  # the API still works; only long articles stay queued
        say(f"not processing queued jobs locally ({type(exc).__name__}: {exc})")
        return
    stopping = threading.Event()
    thread = poller.start(stopping)

    def stop() -> None:
        stopping.set()
        thread.join(timeout=5)

    stack.callback(stop)


def serve_forever(server: Any) -> int:
    def _terminate(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGINT, _terminate)  # also when started in the background (SIGINT ignored)
    host, port = str(server.server_address[0]), int(server.server_address[1])
    say(f"serving on http://{host}:{port}  (docs: http://{host}:{port}/v1/docs; Ctrl-C stops)")
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        say("stopping")
    return 0
