from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_envelope import ErrorEnvelope
from ...models.stripe_event_received import StripeEventReceived
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    stripe_signature: None | str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(stripe_signature, Unset):
        headers["Stripe-Signature"] = stripe_signature



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/billing/stripe/webhook",
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorEnvelope | StripeEventReceived | None:
    if response.status_code == 200:
        response_200 = StripeEventReceived.from_dict(response.json())



        return response_200

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorEnvelope | StripeEventReceived]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    stripe_signature: None | str | Unset = UNSET,

) -> Response[ErrorEnvelope | StripeEventReceived]:
    """ Receive Stripe Webhook

     An event from Stripe (point the Stripe webhook endpoint here): verified, stored by
    its id, then processed. A replayed event is answered 200 and does nothing.

    Args:
        stripe_signature (None | str | Unset): `t=<unix time>,v1=<hex HMAC-SHA256>`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | StripeEventReceived]
     """


    kwargs = _get_kwargs(
        stripe_signature=stripe_signature,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient | Client,
    stripe_signature: None | str | Unset = UNSET,

) -> ErrorEnvelope | StripeEventReceived | None:
    """ Receive Stripe Webhook

     An event from Stripe (point the Stripe webhook endpoint here): verified, stored by
    its id, then processed. A replayed event is answered 200 and does nothing.

    Args:
        stripe_signature (None | str | Unset): `t=<unix time>,v1=<hex HMAC-SHA256>`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | StripeEventReceived
     """


    return sync_detailed(
        client=client,
stripe_signature=stripe_signature,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    stripe_signature: None | str | Unset = UNSET,

) -> Response[ErrorEnvelope | StripeEventReceived]:
    """ Receive Stripe Webhook

     An event from Stripe (point the Stripe webhook endpoint here): verified, stored by
    its id, then processed. A replayed event is answered 200 and does nothing.

    Args:
        stripe_signature (None | str | Unset): `t=<unix time>,v1=<hex HMAC-SHA256>`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | StripeEventReceived]
     """


    kwargs = _get_kwargs(
        stripe_signature=stripe_signature,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    stripe_signature: None | str | Unset = UNSET,

) -> ErrorEnvelope | StripeEventReceived | None:
    """ Receive Stripe Webhook

     An event from Stripe (point the Stripe webhook endpoint here): verified, stored by
    its id, then processed. A replayed event is answered 200 and does nothing.

    Args:
        stripe_signature (None | str | Unset): `t=<unix time>,v1=<hex HMAC-SHA256>`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | StripeEventReceived
     """


    return (await asyncio_detailed(
        client=client,
stripe_signature=stripe_signature,

    )).parsed
