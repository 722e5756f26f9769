"""A webhook delivery received by a real HTTP server and verified into a typed event."""

from __future__ import annotations

import base64
import datetime
import json
import time

import httpx
import pytest
from standardwebhooks.webhooks import Webhook
from support import eventually, running_receiver

from gateway_sdk import Gateway, WebhookVerificationError, verify_webhook
from gateway_sdk.models import (
    InboundRequest,
    MessageReceivedEvent,
    WebhookCreate,
    WebhookTestEvent,
)

OTHER_SECRET = "whsec_" + base64.b64encode(b"another secret, 32 bytes long!!!").decode()


def test_a_delivery_is_received_verified_and_typed_and_a_forged_one_refused(
    gw: Gateway, session_id: str
) -> None:
    with running_receiver() as receiver:
        endpoint = gw.webhooks.create_webhook(
            body=WebhookCreate(
                url=receiver.url("/hooks"),
                event_types=["message.received"],
                session_ids=[session_id],
            )
        )
        assert endpoint.secret.startswith("whsec_")
        inbound = InboundRequest(from_="+12025550199", from_name="Ada", text="Is it on its way?")
        gw.sandbox.sandbox_inject_inbound(session_id, body=inbound)
        delivery = eventually(
            lambda: receiver.deliveries[0] if receiver.deliveries else None,
            what="a webhook delivery",
        )

        event = verify_webhook(delivery.body, delivery.headers, endpoint.secret)
        assert isinstance(event, MessageReceivedEvent), event
        assert event.id == delivery.headers["webhook-id"]
        assert event.data.message.text == "Is it on its way?"
        assert event.data.message.from_name == "Ada"
        assert event.session is not None
        assert event.session.id == session_id
        # From the text and from httpx's (case-insensitive) Headers, the same.
        headers = httpx.Headers({k.title(): v for k, v in delivery.headers.items()})
        assert verify_webhook(delivery.body.decode(), headers, endpoint.secret).id == event.id

        tampered = delivery.body.replace(b"on its way", b"cancelled")
        with pytest.raises(WebhookVerificationError):
            verify_webhook(tampered, delivery.headers, endpoint.secret)
        with pytest.raises(WebhookVerificationError):
            verify_webhook(delivery.body, delivery.headers, OTHER_SECRET)
        unsigned = {k: v for k, v in delivery.headers.items() if k != "webhook-signature"}
        with pytest.raises(WebhookVerificationError):
            verify_webhook(delivery.body, unsigned, endpoint.secret)
        garbled = {**delivery.headers, "webhook-signature": "v1"}
        with pytest.raises(WebhookVerificationError):
            verify_webhook(delivery.body, garbled, endpoint.secret)

        ping = gw.webhooks.test_webhook(endpoint.id)
        assert ping.event_type == "webhook.test"
        pinged = eventually(
            lambda: receiver.deliveries[1] if len(receiver.deliveries) > 1 else None,
            what="the test delivery",
        )
        assert isinstance(
            verify_webhook(pinged.body, pinged.headers, endpoint.secret), WebhookTestEvent
        )

        assert gw.webhooks.delete_webhook(endpoint.id).deleted is True


def test_a_replayed_delivery_is_refused() -> None:
    # Signed correctly, but ten minutes ago: a captured delivery sent again.
    secret = OTHER_SECRET
    body = json.dumps({"id": "evt_1", "type": "webhook.test", "created_at": "", "data": {}})
    sent_at = time.time() - 600
    signature = Webhook(secret).sign("evt_1", _utc(sent_at), body)
    headers = {
        "webhook-id": "evt_1",
        "webhook-timestamp": str(int(sent_at)),
        "webhook-signature": signature,
    }
    with pytest.raises(WebhookVerificationError, match="too old"):
        verify_webhook(body, headers, secret)


def _utc(timestamp: float) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(timestamp, tz=datetime.UTC)
