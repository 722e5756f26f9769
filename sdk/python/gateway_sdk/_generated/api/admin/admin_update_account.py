from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.account_update import AccountUpdate
from ...models.admin_account_out import AdminAccountOut
from ...models.error_envelope import ErrorEnvelope
from typing import cast



def _get_kwargs(
    account_id: str,
    *,
    body: AccountUpdate,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/admin/accounts/{account_id}".format(account_id=quote(str(account_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> AdminAccountOut | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = AdminAccountOut.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[AdminAccountOut | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    account_id: str,
    *,
    client: AuthenticatedClient,
    body: AccountUpdate,

) -> Response[AdminAccountOut | ErrorEnvelope]:
    """ Admin Update Account

     Change an account's name, email, default rate limit, plan or retention. A new plan
    applies at once on every API process.

    Args:
        account_id (str): The account's id (`acct_…`).
        body (AccountUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AdminAccountOut | ErrorEnvelope]
     """


    kwargs = _get_kwargs(
        account_id=account_id,
body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    account_id: str,
    *,
    client: AuthenticatedClient,
    body: AccountUpdate,

) -> AdminAccountOut | ErrorEnvelope | None:
    """ Admin Update Account

     Change an account's name, email, default rate limit, plan or retention. A new plan
    applies at once on every API process.

    Args:
        account_id (str): The account's id (`acct_…`).
        body (AccountUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AdminAccountOut | ErrorEnvelope
     """


    return sync_detailed(
        account_id=account_id,
client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    account_id: str,
    *,
    client: AuthenticatedClient,
    body: AccountUpdate,

) -> Response[AdminAccountOut | ErrorEnvelope]:
    """ Admin Update Account

     Change an account's name, email, default rate limit, plan or retention. A new plan
    applies at once on every API process.

    Args:
        account_id (str): The account's id (`acct_…`).
        body (AccountUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AdminAccountOut | ErrorEnvelope]
     """


    kwargs = _get_kwargs(
        account_id=account_id,
body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    account_id: str,
    *,
    client: AuthenticatedClient,
    body: AccountUpdate,

) -> AdminAccountOut | ErrorEnvelope | None:
    """ Admin Update Account

     Change an account's name, email, default rate limit, plan or retention. A new plan
    applies at once on every API process.

    Args:
        account_id (str): The account's id (`acct_…`).
        body (AccountUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AdminAccountOut | ErrorEnvelope
     """


    return (await asyncio_detailed(
        account_id=account_id,
client=client,
body=body,

    )).parsed
