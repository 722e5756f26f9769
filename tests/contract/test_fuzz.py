"""Schemathesis fuzzes every operation of the OpenAPI document against a live gateway: no
answer is a server error, and every answer's status is one the document declares for the
operation, with the body and content type declared for it (the error envelope on errors).

The budget is bounded and the run repeatable: a fixed seed, a few examples per operation,
no shrinking. The fuzzed key belongs to a test-mode account whose sandbox session is linked
and WORKING, so the ``/v1/sessions/{session_id}/…`` operations reach the engine; the admin
operations get the operator's token and change another account.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator

import pytest
import requests
import schemathesis
from schemathesis import CheckContext, Response
from schemathesis.checks import not_a_server_error
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from gateway.cli import render_openapi
from tests.contract.live import LiveGateway

# CI's budget; a longer hunt: GATEWAY_FUZZ_EXAMPLES=200 GATEWAY_FUZZ_SEED=7 pytest tests/contract
EXAMPLES_PER_OPERATION = int(os.environ.get("GATEWAY_FUZZ_EXAMPLES", "25"))
SEED = int(os.environ.get("GATEWAY_FUZZ_SEED", "20250101"))


@schemathesis.check
def no_server_error(ctx: CheckContext, response: Response, case: schemathesis.Case) -> bool | None:
    """``not_a_server_error``, but for the one 5xx that is an answer rather than a fault:
    501 ``engine_unsupported``, which the sandbox session gives to what only the Cloud
    API's engine does (templates). Any other 5xx fails."""
    if response.status_code == 501 and _error_code(response) == "engine_unsupported":
        return True
    return not_a_server_error(ctx, response, case)


def _error_code(response: Response) -> str | None:
    try:
        body = response.json()
    except ValueError:
        return None
    error = body.get("error") if isinstance(body, dict) else None
    return error.get("code") if isinstance(error, dict) else None


CHECKS = [
    no_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": SEED,
        "generation": {
            "mode": "all",
            "max-examples": EXAMPLES_PER_OPERATION,
            "no-shrink": True,
            "deterministic": True,
            "database": "none",
            # The keys are given below, not generated as random headers.
            "with-security-parameters": False,
        },
        "phases": {"stateful": {"enabled": False}},
    }
)

# The app's own document (tests/test_openapi.py holds the committed one to it).
schema = schemathesis.openapi.from_dict(json.loads(render_openapi()), config=CONFIG)


@pytest.fixture(scope="module")
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session


def credentials(case: schemathesis.Case, live: LiveGateway) -> dict[str, str]:
    """The header the operation's security scheme reads: the admin token for the admin
    operations, the account's key for the others, none for public ones."""
    schemes = {
        name for option in case.operation.definition.raw.get("security", []) for name in option
    }
    if "AdminToken" in schemes:
        return {"Authorization": f"Bearer {live.admin_token}"}
    if "BearerAuth" in schemes:
        return dict(live.account.headers)
    return {}


def use_live_ids(case: schemathesis.Case, live: LiveGateway) -> None:
    """Ids of real objects in the path, so the operation gets past its 404; and, in the
    cases meant to be valid, a chat, contact or group the engine knows."""
    path = case.path_parameters
    if not path:
        return
    operation_id = case.operation.definition.raw.get("operationId", "")
    ids = {**live.ids, **live.spares.get(operation_id, {})}
    if not (case.meta is not None and case.meta.is_negative_at(ParameterLocation.PATH)):
        ids.update(live.known)
    for name in path.keys() & ids.keys():
        path[name] = ids[name]


@schema.parametrize()
def test_every_operation_answers_as_documented(
    case: schemathesis.Case, live_gateway: LiveGateway, http: requests.Session
) -> None:
    use_live_ids(case, live_gateway)
    case.call_and_validate(
        base_url=live_gateway.base_url,
        session=http,
        headers=credentials(case, live_gateway),
        checks=CHECKS,
    )
