from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.audio_send import AudioSend
from ...models.contact_send import ContactSend
from ...models.document_send import DocumentSend
from ...models.error_envelope import ErrorEnvelope
from ...models.image_send import ImageSend
from ...models.interactive_send import InteractiveSend
from ...models.location_send import LocationSend
from ...models.message_out import MessageOut
from ...models.poll_send import PollSend
from ...models.reaction_send import ReactionSend
from ...models.sticker_send import StickerSend
from ...models.template_send import TemplateSend
from ...models.text_send import TextSend
from ...models.video_send import VideoSend
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    session_id: str,
    *,
    body: AudioSend | ContactSend | DocumentSend | ImageSend | InteractiveSend | LocationSend | PollSend | ReactionSend | StickerSend | TemplateSend | TextSend | VideoSend,
    idempotency_key: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/sessions/{session_id}/messages".format(session_id=quote(str(session_id), safe=""),),
    }

    
    if isinstance(body, TextSend):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, ImageSend):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, VideoSend):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, AudioSend):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, DocumentSend):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, StickerSend):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, LocationSend):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, ContactSend):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, ReactionSend):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, PollSend):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, InteractiveSend):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body.to_dict()


    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorEnvelope | MessageOut | None:
    if response.status_code == 202:
        response_202 = MessageOut.from_dict(response.json())



        return response_202

    if response.status_code == 401:
        response_401 = ErrorEnvelope.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = ErrorEnvelope.from_dict(response.json())



        return response_403

    if response.status_code == 404:
        response_404 = ErrorEnvelope.from_dict(response.json())



        return response_404

    if response.status_code == 409:
        response_409 = ErrorEnvelope.from_dict(response.json())



        return response_409

    if response.status_code == 413:
        response_413 = ErrorEnvelope.from_dict(response.json())



        return response_413

    if response.status_code == 422:
        response_422 = ErrorEnvelope.from_dict(response.json())



        return response_422

    if response.status_code == 429:
        response_429 = ErrorEnvelope.from_dict(response.json())



        return response_429

    if response.status_code == 501:
        response_501 = ErrorEnvelope.from_dict(response.json())



        return response_501

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorEnvelope | MessageOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    session_id: str,
    *,
    client: AuthenticatedClient,
    body: AudioSend | ContactSend | DocumentSend | ImageSend | InteractiveSend | LocationSend | PollSend | ReactionSend | StickerSend | TemplateSend | TextSend | VideoSend,
    idempotency_key: str | Unset = UNSET,

) -> Response[ErrorEnvelope | MessageOut]:
    """ Send Message

     Queue a message. It is stored before this answers (status `queued`, or `scheduled`
    with a future `send_at`) and delivered in order, paced, while the session is WORKING;
    `message.status` events follow it to `sent`, `delivered`, `read` (or `failed`).

    Args:
        session_id (str): The session's id (`ses_…`).
        idempotency_key (str | Unset):
        body (AudioSend | ContactSend | DocumentSend | ImageSend | InteractiveSend | LocationSend
            | PollSend | ReactionSend | StickerSend | TemplateSend | TextSend | VideoSend):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | MessageOut]
     """


    kwargs = _get_kwargs(
        session_id=session_id,
body=body,
idempotency_key=idempotency_key,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    session_id: str,
    *,
    client: AuthenticatedClient,
    body: AudioSend | ContactSend | DocumentSend | ImageSend | InteractiveSend | LocationSend | PollSend | ReactionSend | StickerSend | TemplateSend | TextSend | VideoSend,
    idempotency_key: str | Unset = UNSET,

) -> ErrorEnvelope | MessageOut | None:
    """ Send Message

     Queue a message. It is stored before this answers (status `queued`, or `scheduled`
    with a future `send_at`) and delivered in order, paced, while the session is WORKING;
    `message.status` events follow it to `sent`, `delivered`, `read` (or `failed`).

    Args:
        session_id (str): The session's id (`ses_…`).
        idempotency_key (str | Unset):
        body (AudioSend | ContactSend | DocumentSend | ImageSend | InteractiveSend | LocationSend
            | PollSend | ReactionSend | StickerSend | TemplateSend | TextSend | VideoSend):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | MessageOut
     """


    return sync_detailed(
        session_id=session_id,
client=client,
body=body,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    session_id: str,
    *,
    client: AuthenticatedClient,
    body: AudioSend | ContactSend | DocumentSend | ImageSend | InteractiveSend | LocationSend | PollSend | ReactionSend | StickerSend | TemplateSend | TextSend | VideoSend,
    idempotency_key: str | Unset = UNSET,

) -> Response[ErrorEnvelope | MessageOut]:
    """ Send Message

     Queue a message. It is stored before this answers (status `queued`, or `scheduled`
    with a future `send_at`) and delivered in order, paced, while the session is WORKING;
    `message.status` events follow it to `sent`, `delivered`, `read` (or `failed`).

    Args:
        session_id (str): The session's id (`ses_…`).
        idempotency_key (str | Unset):
        body (AudioSend | ContactSend | DocumentSend | ImageSend | InteractiveSend | LocationSend
            | PollSend | ReactionSend | StickerSend | TemplateSend | TextSend | VideoSend):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | MessageOut]
     """


    kwargs = _get_kwargs(
        session_id=session_id,
body=body,
idempotency_key=idempotency_key,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    session_id: str,
    *,
    client: AuthenticatedClient,
    body: AudioSend | ContactSend | DocumentSend | ImageSend | InteractiveSend | LocationSend | PollSend | ReactionSend | StickerSend | TemplateSend | TextSend | VideoSend,
    idempotency_key: str | Unset = UNSET,

) -> ErrorEnvelope | MessageOut | None:
    """ Send Message

     Queue a message. It is stored before this answers (status `queued`, or `scheduled`
    with a future `send_at`) and delivered in order, paced, while the session is WORKING;
    `message.status` events follow it to `sent`, `delivered`, `read` (or `failed`).

    Args:
        session_id (str): The session's id (`ses_…`).
        idempotency_key (str | Unset):
        body (AudioSend | ContactSend | DocumentSend | ImageSend | InteractiveSend | LocationSend
            | PollSend | ReactionSend | StickerSend | TemplateSend | TextSend | VideoSend):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | MessageOut
     """


    return (await asyncio_detailed(
        session_id=session_id,
client=client,
body=body,
idempotency_key=idempotency_key,

    )).parsed
