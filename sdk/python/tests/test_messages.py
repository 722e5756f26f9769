"""Every message type sent on a linked sandbox session; idempotency keys, given and added."""

from __future__ import annotations

import io
import secrets

import anyio
import httpx
import pytest
from live_gateway import LiveGateway
from support import (
    CUSTOMER,
    MP4,
    OGG,
    PDF,
    PNG,
    WEBP,
    RecordingTransport,
    b64,
    message_in_status,
    running_receiver,
)

from gateway_sdk import AsyncGateway, File, Gateway, InvalidRequestError
from gateway_sdk.models import (
    AudioSend,
    ButtonsInteractive,
    ContactSend,
    DocumentSend,
    ImageSend,
    InteractiveSend,
    LocationSend,
    MediaSource,
    MessageOut,
    PollSend,
    ReactionSend,
    ReplyButton,
    StickerSend,
    TemplateMessage,
    TemplateSend,
    TextSend,
    UploadMediaBody,
    VideoSend,
)

SentBody = (
    AudioSend
    | ContactSend
    | DocumentSend
    | ImageSend
    | LocationSend
    | PollSend
    | ReactionSend
    | StickerSend
    | TextSend
    | VideoSend
)


def test_every_message_type_is_accepted_and_delivered(gw: Gateway, session_id: str) -> None:
    uploaded = gw.media.upload_media(
        body=UploadMediaBody(
            file=File(
                payload=io.BytesIO(PDF), file_name="invoice.pdf", mime_type="application/pdf"
            ),
            filename="invoice.pdf",
        )
    )
    assert uploaded.id.startswith("med_")

    def send(body: SentBody) -> MessageOut:
        return gw.messages.send_message(session_id, body=body)

    with running_receiver() as files:
        # Media by URL: the gateway fetches it from this server (private targets allowed).
        files.files["/photo.png"] = ("image/png", PNG)
        text = send(TextSend(chat_id=CUSTOMER, type_="text", text="Your order shipped"))
        bodies: list[SentBody] = [
            ImageSend(
                chat_id=CUSTOMER,
                type_="image",
                media=MediaSource(base64=b64(PNG), mime_type="image/png"),
                caption="look",
            ),
            ImageSend(
                chat_id=CUSTOMER, type_="image", media=MediaSource(url=files.url("/photo.png"))
            ),
            VideoSend(
                chat_id=CUSTOMER,
                type_="video",
                media=MediaSource(base64=b64(MP4), mime_type="video/mp4"),
            ),
            AudioSend(
                chat_id=CUSTOMER,
                type_="audio",
                media=MediaSource(base64=b64(OGG), mime_type="audio/ogg"),
                voice=True,
            ),
            DocumentSend(
                chat_id=CUSTOMER,
                type_="document",
                media=MediaSource(media_id=uploaded.id),
                filename="invoice.pdf",
            ),
            StickerSend(
                chat_id=CUSTOMER,
                type_="sticker",
                media=MediaSource(base64=b64(WEBP), mime_type="image/webp"),
            ),
            LocationSend(
                chat_id=CUSTOMER,
                type_="location",
                latitude=51.5033,
                longitude=-0.1196,
                name="London Eye",
            ),
            ContactSend(
                chat_id=CUSTOMER,
                type_="contact",
                vcard="BEGIN:VCARD\nVERSION:3.0\nFN:Ada Lovelace\nTEL:+12025550188\nEND:VCARD",
                name="Ada Lovelace",
            ),
            ReactionSend(chat_id=CUSTOMER, type_="reaction", message_id=text.id, emoji="👍"),
            PollSend(
                chat_id=CUSTOMER,
                type_="poll",
                question="Delivery slot?",
                options=["Morning", "Evening"],
            ),
            TextSend(chat_id=CUSTOMER, type_="text", text="Thanks!", reply_to=text.id),
        ]
        accepted = [text, *(send(body) for body in bodies)]
        for message in accepted:
            assert message.object_ == "message"
            assert message.direction == "outbound"
            assert message.status == "queued"
        assert {message.type_ for message in accepted} == {
            "text",
            "image",
            "video",
            "audio",
            "document",
            "sticker",
            "location",
            "contact",
            "reaction",
            "poll",
        }
        for message in accepted:
            done = message_in_status(gw, message.id, {"read", "played", "failed"})
            assert done.error is None, f"{message.type_}: {done.error}"
            assert done.status == ("played" if message.type_ == "audio" else "read"), message.type_
    assert accepted[-1].reply_to == text.id


def test_cloud_only_types_are_refused_by_the_sandbox_as_typed_errors(
    gw: Gateway, session_id: str
) -> None:
    interactive = InteractiveSend(
        chat_id=CUSTOMER,
        type_="interactive",
        interactive=ButtonsInteractive(
            type_="button", body="Track it?", buttons=[ReplyButton(id="track", title="Track")]
        ),
    )
    template = TemplateSend(
        chat_id=CUSTOMER,
        type_="template",
        template=TemplateMessage(name="order_shipped", language="en_US"),
    )
    for body in (interactive, template):
        with pytest.raises(InvalidRequestError) as refused:
            gw.messages.send_message(session_id, body=body)
        assert refused.value.status == 501
        assert refused.value.code == "engine_unsupported"
        assert refused.value.request_id is not None


def test_the_same_idempotency_key_given_twice_creates_one_message(
    gw: Gateway, session_id: str
) -> None:
    body = TextSend(chat_id=CUSTOMER, type_="text", text="once")
    key = f"order-{secrets.token_hex(4)}-shipped"
    first = gw.messages.send_message(session_id, body=body, idempotency_key=key)
    again = gw.messages.send_message(session_id, body=body, idempotency_key=key)
    assert again.id == first.id


class DroppingTransport(RecordingTransport):
    """The connection drops after the gateway has stored the first POST: its answer never
    reaches the caller, as when a load balancer cuts a slow response."""

    def __init__(self) -> None:
        super().__init__()
        self.first_answer: bytes | None = None

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        if request.method == "POST" and self.first_answer is None:
            self.first_answer = response.read()
            response.close()
            raise httpx.RemoteProtocolError("peer closed connection", request=request)
        return response


def test_a_post_whose_answer_was_lost_is_retried_under_the_same_key(
    live: LiveGateway, session_id: str
) -> None:
    transport = DroppingTransport()
    text = f"sent once {secrets.token_hex(4)}"
    body = TextSend(chat_id=CUSTOMER, type_="text", text=text)
    with Gateway(api_key=live.api_key, base_url=live.base_url, transport=transport) as gw:
        message = gw.messages.send_message(session_id, body=body)

        first, retry = transport.attempts
        assert first.idempotency_key, "the SDK adds an Idempotency-Key to a POST"
        assert retry.idempotency_key == first.idempotency_key, "a retry reuses its call's key"
        assert retry.replayed == "true"
        assert transport.first_answer is not None
        assert message.id in transport.first_answer.decode()

        same = [
            sent.id
            for sent in gw.paginate(gw.messages.list_messages, session_id)
            if sent.content.to_dict().get("text") == text
        ]
        assert same == [message.id]

        # Another call is another operation: a new key.
        gw.messages.send_message(session_id, body=body)
        assert transport.attempts[-1].idempotency_key != first.idempotency_key


@pytest.mark.anyio
async def test_the_async_client_sends_concurrently(live: LiveGateway, session_id: str) -> None:
    async with AsyncGateway(api_key=live.api_key, base_url=live.base_url) as gw:
        sent: list[MessageOut] = []

        async def send(text: str) -> None:
            body = TextSend(chat_id=CUSTOMER, type_="text", text=text)
            sent.append(await gw.messages.send_message(session_id, body=body))

        async with anyio.create_task_group() as group:
            for n in range(5):
                group.start_soon(send, f"async {n}")
        assert len({message.id for message in sent}) == 5
        again = await gw.messages.retrieve_message(sent[0].id)
        assert again.id == sent[0].id


class AsyncDroppingTransport(httpx.AsyncBaseTransport):
    """`DroppingTransport` for the async client."""

    def __init__(self) -> None:
        self.wrapped = httpx.AsyncHTTPTransport()
        self.keys: list[str | None] = []
        self.replayed: list[str | None] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.wrapped.handle_async_request(request)
        self.keys.append(request.headers.get("idempotency-key"))
        self.replayed.append(response.headers.get("idempotent-replayed"))
        if len(self.keys) == 1:
            await response.aread()
            await response.aclose()
            raise httpx.RemoteProtocolError("peer closed connection", request=request)
        return response

    async def aclose(self) -> None:
        await self.wrapped.aclose()


@pytest.mark.anyio
async def test_the_async_client_retries_a_lost_answer_under_the_same_key(
    live: LiveGateway, session_id: str
) -> None:
    transport = AsyncDroppingTransport()
    body = TextSend(chat_id=CUSTOMER, type_="text", text=f"async once {secrets.token_hex(4)}")
    async with AsyncGateway(
        api_key=live.api_key, base_url=live.base_url, transport=transport
    ) as gw:
        message = await gw.messages.send_message(session_id, body=body)
    assert message.object_ == "message"
    first, retry = transport.keys
    assert first is not None
    assert retry == first
    assert transport.replayed == [None, "true"]
