from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.contact_erasure import ContactErasure
from ...models.contact_erasure_request import ContactErasureRequest
from ...models.error_envelope import ErrorEnvelope
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    body: ContactErasureRequest,
    idempotency_key: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/contacts/erase",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ContactErasure | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = ContactErasure.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ContactErasure | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ContactErasureRequest,
    idempotency_key: str | Unset = UNSET,

) -> Response[ContactErasure | ErrorEnvelope]:
    """ Erase Contact

     Erase everything the account stores of one person, across all its sessions: the
    messages to and from them (in groups, the ones they sent), their files, the contact
    and chat rows, the events that mention them and those events' webhook deliveries.
    Outbound messages of real sessions are kept for billing, emptied of chat and
    content. Needs a live key that is not restricted to a session.

    Args:
        idempotency_key (str | Unset):
        body (ContactErasureRequest): Exactly one of `phone_number` and `lid`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ContactErasure | ErrorEnvelope]
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
    body: ContactErasureRequest,
    idempotency_key: str | Unset = UNSET,

) -> ContactErasure | ErrorEnvelope | None:
    """ Erase Contact

     Erase everything the account stores of one person, across all its sessions: the
    messages to and from them (in groups, the ones they sent), their files, the contact
    and chat rows, the events that mention them and those events' webhook deliveries.
    Outbound messages of real sessions are kept for billing, emptied of chat and
    content. Needs a live key that is not restricted to a session.

    Args:
        idempotency_key (str | Unset):
        body (ContactErasureRequest): Exactly one of `phone_number` and `lid`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ContactErasure | ErrorEnvelope
     """


    return sync_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ContactErasureRequest,
    idempotency_key: str | Unset = UNSET,

) -> Response[ContactErasure | ErrorEnvelope]:
    """ Erase Contact

     Erase everything the account stores of one person, across all its sessions: the
    messages to and from them (in groups, the ones they sent), their files, the contact
    and chat rows, the events that mention them and those events' webhook deliveries.
    Outbound messages of real sessions are kept for billing, emptied of chat and
    content. Needs a live key that is not restricted to a session.

    Args:
        idempotency_key (str | Unset):
        body (ContactErasureRequest): Exactly one of `phone_number` and `lid`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ContactErasure | ErrorEnvelope]
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
    body: ContactErasureRequest,
    idempotency_key: str | Unset = UNSET,

) -> ContactErasure | ErrorEnvelope | None:
    """ Erase Contact

     Erase everything the account stores of one person, across all its sessions: the
    messages to and from them (in groups, the ones they sent), their files, the contact
    and chat rows, the events that mention them and those events' webhook deliveries.
    Outbound messages of real sessions are kept for billing, emptied of chat and
    content. Needs a live key that is not restricted to a session.

    Args:
        idempotency_key (str | Unset):
        body (ContactErasureRequest): Exactly one of `phone_number` and `lid`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ContactErasure | ErrorEnvelope
     """


    return (await asyncio_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,

    )).parsed
