"""docs/reference/ is what the code generates: a setting, an error code or an event type
added without regenerating it (`gateway reference`) fails here."""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway.reference import REFERENCES, error_codes

DOCS = Path(__file__).parents[1] / "docs" / "reference"


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_the_committed_reference_is_what_the_code_generates(name: str) -> None:
    committed = (DOCS / name).read_text()
    assert committed == REFERENCES[name](), (
        f"docs/reference/{name} is stale: run `gateway reference`"
    )


def test_codes_raised_with_the_call_are_found_too() -> None:
    found = {(c.code, c.status) for c in error_codes()}
    # Raised as AuthenticationFailed(..., code="missing_api_key"), a 401.
    assert ("missing_api_key", 401) in found
    # From the error classes: both webhooks' signature errors, each with its own status.
    assert {("signature_invalid", 400), ("signature_invalid", 401)} <= found
    # From the handlers and the outermost middleware.
    assert {
        ("parameter_missing", 422),
        ("internal_error", 500),
        ("request_too_large", 413),
    } <= found
