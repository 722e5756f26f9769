from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_envelope import ErrorEnvelope
from ...models.notification_received import NotificationReceived
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    x_hub_signature_256: None | str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_hub_signature_256, Unset):
        headers["X-Hub-Signature-256"] = x_hub_signature_256



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/cloud/webhook",
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorEnvelope | NotificationReceived | None:
    if response.status_code == 200:
        response_200 = NotificationReceived.from_dict(response.json())



        return response_200

    if response.status_code == 401:
        response_401 = ErrorEnvelope.from_dict(response.json())



        return response_401

    if response.status_code == 413:
        response_413 = ErrorEnvelope.from_dict(response.json())



        return response_413

    if response.status_code == 422:
        response_422 = ErrorEnvelope.from_dict(response.json())



        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorEnvelope | NotificationReceived]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    x_hub_signature_256: None | str | Unset = UNSET,

) -> Response[ErrorEnvelope | NotificationReceived]:
    """ Receive Cloud Webhook

     A notification from Meta (statuses, received messages, template reviews …):
    stored before the 200, processed right after.

    Args:
        x_hub_signature_256 (None | str | Unset): `sha256=<hex HMAC of the body>`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | NotificationReceived]
     """


    kwargs = _get_kwargs(
        x_hub_signature_256=x_hub_signature_256,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient | Client,
    x_hub_signature_256: None | str | Unset = UNSET,

) -> ErrorEnvelope | NotificationReceived | None:
    """ Receive Cloud Webhook

     A notification from Meta (statuses, received messages, template reviews …):
    stored before the 200, processed right after.

    Args:
        x_hub_signature_256 (None | str | Unset): `sha256=<hex HMAC of the body>`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | NotificationReceived
     """


    return sync_detailed(
        client=client,
x_hub_signature_256=x_hub_signature_256,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    x_hub_signature_256: None | str | Unset = UNSET,

) -> Response[ErrorEnvelope | NotificationReceived]:
    """ Receive Cloud Webhook

     A notification from Meta (statuses, received messages, template reviews …):
    stored before the 200, processed right after.

    Args:
        x_hub_signature_256 (None | str | Unset): `sha256=<hex HMAC of the body>`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | NotificationReceived]
     """


    kwargs = _get_kwargs(
        x_hub_signature_256=x_hub_signature_256,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    x_hub_signature_256: None | str | Unset = UNSET,

) -> ErrorEnvelope | NotificationReceived | None:
    """ Receive Cloud Webhook

     A notification from Meta (statuses, received messages, template reviews …):
    stored before the 200, processed right after.

    Args:
        x_hub_signature_256 (None | str | Unset): `sha256=<hex HMAC of the body>`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | NotificationReceived
     """


    return (await asyncio_detailed(
        client=client,
x_hub_signature_256=x_hub_signature_256,

    )).parsed
