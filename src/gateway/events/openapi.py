"""The event payloads, published in the OpenAPI document's ``webhooks`` section."""

from __future__ import annotations

from fastapi import FastAPI


def register_event_docs(app: FastAPI) -> None:
    return None
