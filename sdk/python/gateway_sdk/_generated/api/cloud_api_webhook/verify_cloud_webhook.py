from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_envelope import ErrorEnvelope
from typing import cast



def _get_kwargs(
    *,
    hub_mode: str,
    hub_verify_token: str,
    hub_challenge: str,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    params["hub.mode"] = hub_mode

    params["hub.verify_token"] = hub_verify_token

    params["hub.challenge"] = hub_challenge


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/cloud/webhook",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorEnvelope | str | None:
    if response.status_code == 200:
        response_200 = response.text
        return response_200

    if response.status_code == 403:
        response_403 = ErrorEnvelope.from_dict(response.json())



        return response_403

    if response.status_code == 422:
        response_422 = ErrorEnvelope.from_dict(response.json())



        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorEnvelope | str]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    hub_mode: str,
    hub_verify_token: str,
    hub_challenge: str,

) -> Response[ErrorEnvelope | str]:
    """ Verify Cloud Webhook

     Meta's subscription handshake: answers `hub.challenge` when `hub.verify_token` is
    the verify token of a cloud session's number.

    Args:
        hub_mode (str):
        hub_verify_token (str):
        hub_challenge (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | str]
     """


    kwargs = _get_kwargs(
        hub_mode=hub_mode,
hub_verify_token=hub_verify_token,
hub_challenge=hub_challenge,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient | Client,
    hub_mode: str,
    hub_verify_token: str,
    hub_challenge: str,

) -> ErrorEnvelope | str | None:
    """ Verify Cloud Webhook

     Meta's subscription handshake: answers `hub.challenge` when `hub.verify_token` is
    the verify token of a cloud session's number.

    Args:
        hub_mode (str):
        hub_verify_token (str):
        hub_challenge (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | str
     """


    return sync_detailed(
        client=client,
hub_mode=hub_mode,
hub_verify_token=hub_verify_token,
hub_challenge=hub_challenge,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    hub_mode: str,
    hub_verify_token: str,
    hub_challenge: str,

) -> Response[ErrorEnvelope | str]:
    """ Verify Cloud Webhook

     Meta's subscription handshake: answers `hub.challenge` when `hub.verify_token` is
    the verify token of a cloud session's number.

    Args:
        hub_mode (str):
        hub_verify_token (str):
        hub_challenge (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | str]
     """


    kwargs = _get_kwargs(
        hub_mode=hub_mode,
hub_verify_token=hub_verify_token,
hub_challenge=hub_challenge,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    hub_mode: str,
    hub_verify_token: str,
    hub_challenge: str,

) -> ErrorEnvelope | str | None:
    """ Verify Cloud Webhook

     Meta's subscription handshake: answers `hub.challenge` when `hub.verify_token` is
    the verify token of a cloud session's number.

    Args:
        hub_mode (str):
        hub_verify_token (str):
        hub_challenge (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | str
     """


    return (await asyncio_detailed(
        client=client,
hub_mode=hub_mode,
hub_verify_token=hub_verify_token,
hub_challenge=hub_challenge,

    )).parsed
