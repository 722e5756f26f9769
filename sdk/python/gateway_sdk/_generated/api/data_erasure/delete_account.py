from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.account_deleted import AccountDeleted
from ...models.error_envelope import ErrorEnvelope
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    confirm: None | str | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_confirm: None | str | Unset
    if isinstance(confirm, Unset):
        json_confirm = UNSET
    else:
        json_confirm = confirm
    params["confirm"] = json_confirm


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/v1/account",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> AccountDeleted | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = AccountDeleted.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[AccountDeleted | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    confirm: None | str | Unset = UNSET,

) -> Response[AccountDeleted | ErrorEnvelope]:
    """ Delete Account

     Delete the account: every key is revoked and its data erased (sessions are
    stopped and logged out). What accounting needs stays: the account's row (with no
    name or email), usage, billing and the audit log. A Stripe subscription is not
    cancelled by this; cancel it in the customer portal first. Takes two calls: the
    first answers 409 `confirmation_required` with a token to repeat as `confirm`.

    Args:
        confirm (None | str | Unset): The token the first call answered with (valid for ten
            minutes).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccountDeleted | ErrorEnvelope]
     """


    kwargs = _get_kwargs(
        confirm=confirm,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    confirm: None | str | Unset = UNSET,

) -> AccountDeleted | ErrorEnvelope | None:
    """ Delete Account

     Delete the account: every key is revoked and its data erased (sessions are
    stopped and logged out). What accounting needs stays: the account's row (with no
    name or email), usage, billing and the audit log. A Stripe subscription is not
    cancelled by this; cancel it in the customer portal first. Takes two calls: the
    first answers 409 `confirmation_required` with a token to repeat as `confirm`.

    Args:
        confirm (None | str | Unset): The token the first call answered with (valid for ten
            minutes).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccountDeleted | ErrorEnvelope
     """


    return sync_detailed(
        client=client,
confirm=confirm,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    confirm: None | str | Unset = UNSET,

) -> Response[AccountDeleted | ErrorEnvelope]:
    """ Delete Account

     Delete the account: every key is revoked and its data erased (sessions are
    stopped and logged out). What accounting needs stays: the account's row (with no
    name or email), usage, billing and the audit log. A Stripe subscription is not
    cancelled by this; cancel it in the customer portal first. Takes two calls: the
    first answers 409 `confirmation_required` with a token to repeat as `confirm`.

    Args:
        confirm (None | str | Unset): The token the first call answered with (valid for ten
            minutes).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccountDeleted | ErrorEnvelope]
     """


    kwargs = _get_kwargs(
        confirm=confirm,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    confirm: None | str | Unset = UNSET,

) -> AccountDeleted | ErrorEnvelope | None:
    """ Delete Account

     Delete the account: every key is revoked and its data erased (sessions are
    stopped and logged out). What accounting needs stays: the account's row (with no
    name or email), usage, billing and the audit log. A Stripe subscription is not
    cancelled by this; cancel it in the customer portal first. Takes two calls: the
    first answers 409 `confirmation_required` with a token to repeat as `confirm`.

    Args:
        confirm (None | str | Unset): The token the first call answered with (valid for ten
            minutes).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccountDeleted | ErrorEnvelope
     """


    return (await asyncio_detailed(
        client=client,
confirm=confirm,

    )).parsed
