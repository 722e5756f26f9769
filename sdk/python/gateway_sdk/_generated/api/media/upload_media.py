from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_envelope import ErrorEnvelope
from ...models.media_out import MediaOut
from ...models.upload_media_body import UploadMediaBody
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    body: UploadMediaBody,
    idempotency_key: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/media",
    }

    _kwargs["files"] = body.to_multipart()

    headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorEnvelope | MediaOut | None:
    if response.status_code == 201:
        response_201 = MediaOut.from_dict(response.json())



        return response_201

    if response.status_code == 400:
        response_400 = ErrorEnvelope.from_dict(response.json())



        return response_400

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

    if response.status_code == 415:
        response_415 = ErrorEnvelope.from_dict(response.json())



        return response_415

    if response.status_code == 422:
        response_422 = ErrorEnvelope.from_dict(response.json())



        return response_422

    if response.status_code == 429:
        response_429 = ErrorEnvelope.from_dict(response.json())



        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorEnvelope | MediaOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: UploadMediaBody,
    idempotency_key: str | Unset = UNSET,

) -> Response[ErrorEnvelope | MediaOut]:
    """ Upload Media

     Upload a file to send in messages by `media_id`. Images (JPEG, PNG, WebP, GIF),
    video (MP4, 3GPP), audio (OGG/Opus, MP3, M4A/AAC, AMR) and documents (PDF, Office,
    plain text, ZIP, any other as `application/octet-stream`), up to 16 MiB by default.
    The type is taken from the content; a declared type that contradicts it is refused.

    Args:
        idempotency_key (str | Unset):
        body (UploadMediaBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | MediaOut]
     """


    kwargs = _get_kwargs(
        body=body,
idempotency_key=idempotency_key,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    body: UploadMediaBody,
    idempotency_key: str | Unset = UNSET,

) -> ErrorEnvelope | MediaOut | None:
    """ Upload Media

     Upload a file to send in messages by `media_id`. Images (JPEG, PNG, WebP, GIF),
    video (MP4, 3GPP), audio (OGG/Opus, MP3, M4A/AAC, AMR) and documents (PDF, Office,
    plain text, ZIP, any other as `application/octet-stream`), up to 16 MiB by default.
    The type is taken from the content; a declared type that contradicts it is refused.

    Args:
        idempotency_key (str | Unset):
        body (UploadMediaBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | MediaOut
     """


    return sync_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: UploadMediaBody,
    idempotency_key: str | Unset = UNSET,

) -> Response[ErrorEnvelope | MediaOut]:
    """ Upload Media

     Upload a file to send in messages by `media_id`. Images (JPEG, PNG, WebP, GIF),
    video (MP4, 3GPP), audio (OGG/Opus, MP3, M4A/AAC, AMR) and documents (PDF, Office,
    plain text, ZIP, any other as `application/octet-stream`), up to 16 MiB by default.
    The type is taken from the content; a declared type that contradicts it is refused.

    Args:
        idempotency_key (str | Unset):
        body (UploadMediaBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | MediaOut]
     """


    kwargs = _get_kwargs(
        body=body,
idempotency_key=idempotency_key,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    body: UploadMediaBody,
    idempotency_key: str | Unset = UNSET,

) -> ErrorEnvelope | MediaOut | None:
    """ Upload Media

     Upload a file to send in messages by `media_id`. Images (JPEG, PNG, WebP, GIF),
    video (MP4, 3GPP), audio (OGG/Opus, MP3, M4A/AAC, AMR) and documents (PDF, Office,
    plain text, ZIP, any other as `application/octet-stream`), up to 16 MiB by default.
    The type is taken from the content; a declared type that contradicts it is refused.

    Args:
        idempotency_key (str | Unset):
        body (UploadMediaBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | MediaOut
     """


    return (await asyncio_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,

    )).parsed
