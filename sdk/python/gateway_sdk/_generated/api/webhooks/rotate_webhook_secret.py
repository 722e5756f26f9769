from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_envelope import ErrorEnvelope
from ...models.rotate_secret import RotateSecret
from ...models.webhook_with_secret import WebhookWithSecret
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    endpoint_id: str,
    *,
    body: None | RotateSecret | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/webhooks/{endpoint_id}/rotate-secret".format(endpoint_id=quote(str(endpoint_id), safe=""),),
    }

    
    if isinstance(body, RotateSecret):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorEnvelope | WebhookWithSecret | None:
    if response.status_code == 200:
        response_200 = WebhookWithSecret.from_dict(response.json())



        return response_200

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

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorEnvelope | WebhookWithSecret]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    endpoint_id: str,
    *,
    client: AuthenticatedClient,
    body: None | RotateSecret | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,

) -> Response[ErrorEnvelope | WebhookWithSecret]:
    """ Rotate Webhook Secret

     A new signing secret (shown only here); the old one keeps signing alongside it for
    `grace_seconds` (default 24 hours).

    Args:
        endpoint_id (str): The endpoint's id (`whk_…`).
        idempotency_key (str | Unset):
        body (None | RotateSecret | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | WebhookWithSecret]
     """


    kwargs = _get_kwargs(
        endpoint_id=endpoint_id,
body=body,
idempotency_key=idempotency_key,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    endpoint_id: str,
    *,
    client: AuthenticatedClient,
    body: None | RotateSecret | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,

) -> ErrorEnvelope | WebhookWithSecret | None:
    """ Rotate Webhook Secret

     A new signing secret (shown only here); the old one keeps signing alongside it for
    `grace_seconds` (default 24 hours).

    Args:
        endpoint_id (str): The endpoint's id (`whk_…`).
        idempotency_key (str | Unset):
        body (None | RotateSecret | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | WebhookWithSecret
     """


    return sync_detailed(
        endpoint_id=endpoint_id,
client=client,
body=body,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    endpoint_id: str,
    *,
    client: AuthenticatedClient,
    body: None | RotateSecret | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,

) -> Response[ErrorEnvelope | WebhookWithSecret]:
    """ Rotate Webhook Secret

     A new signing secret (shown only here); the old one keeps signing alongside it for
    `grace_seconds` (default 24 hours).

    Args:
        endpoint_id (str): The endpoint's id (`whk_…`).
        idempotency_key (str | Unset):
        body (None | RotateSecret | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | WebhookWithSecret]
     """


    kwargs = _get_kwargs(
        endpoint_id=endpoint_id,
body=body,
idempotency_key=idempotency_key,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    endpoint_id: str,
    *,
    client: AuthenticatedClient,
    body: None | RotateSecret | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,

) -> ErrorEnvelope | WebhookWithSecret | None:
    """ Rotate Webhook Secret

     A new signing secret (shown only here); the old one keeps signing alongside it for
    `grace_seconds` (default 24 hours).

    Args:
        endpoint_id (str): The endpoint's id (`whk_…`).
        idempotency_key (str | Unset):
        body (None | RotateSecret | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | WebhookWithSecret
     """


    return (await asyncio_detailed(
        endpoint_id=endpoint_id,
client=client,
body=body,
idempotency_key=idempotency_key,

    )).parsed
