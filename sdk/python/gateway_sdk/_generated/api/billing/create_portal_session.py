from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_envelope import ErrorEnvelope
from ...models.portal_create import PortalCreate
from ...models.portal_session import PortalSession
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    body: None | PortalCreate | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/billing/portal",
    }

    
    if isinstance(body, PortalCreate):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorEnvelope | PortalSession | None:
    if response.status_code == 201:
        response_201 = PortalSession.from_dict(response.json())



        return response_201

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

    if response.status_code == 502:
        response_502 = ErrorEnvelope.from_dict(response.json())



        return response_502

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorEnvelope | PortalSession]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: None | PortalCreate | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,

) -> Response[ErrorEnvelope | PortalSession]:
    """ Create Portal Session

     A Stripe Customer Portal session: change plan, update the card, see invoices,
    cancel. Send the customer to its `url` at once (it is short-lived).

    Args:
        idempotency_key (str | Unset):
        body (None | PortalCreate | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | PortalSession]
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
    body: None | PortalCreate | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,

) -> ErrorEnvelope | PortalSession | None:
    """ Create Portal Session

     A Stripe Customer Portal session: change plan, update the card, see invoices,
    cancel. Send the customer to its `url` at once (it is short-lived).

    Args:
        idempotency_key (str | Unset):
        body (None | PortalCreate | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | PortalSession
     """


    return sync_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: None | PortalCreate | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,

) -> Response[ErrorEnvelope | PortalSession]:
    """ Create Portal Session

     A Stripe Customer Portal session: change plan, update the card, see invoices,
    cancel. Send the customer to its `url` at once (it is short-lived).

    Args:
        idempotency_key (str | Unset):
        body (None | PortalCreate | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | PortalSession]
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
    body: None | PortalCreate | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,

) -> ErrorEnvelope | PortalSession | None:
    """ Create Portal Session

     A Stripe Customer Portal session: change plan, update the card, see invoices,
    cancel. Send the customer to its `url` at once (it is short-lived).

    Args:
        idempotency_key (str | Unset):
        body (None | PortalCreate | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | PortalSession
     """


    return (await asyncio_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,

    )).parsed
