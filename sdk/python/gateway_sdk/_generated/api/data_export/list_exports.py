from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_envelope import ErrorEnvelope
from ...models.list_response_export_out import ListResponseExportOut
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    limit: int | Unset = 20,
    starting_after: None | str | Unset = UNSET,
    ending_before: None | str | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    params["limit"] = limit

    json_starting_after: None | str | Unset
    if isinstance(starting_after, Unset):
        json_starting_after = UNSET
    else:
        json_starting_after = starting_after
    params["starting_after"] = json_starting_after

    json_ending_before: None | str | Unset
    if isinstance(ending_before, Unset):
        json_ending_before = UNSET
    else:
        json_ending_before = ending_before
    params["ending_before"] = json_ending_before


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/exports",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorEnvelope | ListResponseExportOut | None:
    if response.status_code == 200:
        response_200 = ListResponseExportOut.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorEnvelope | ListResponseExportOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    starting_after: None | str | Unset = UNSET,
    ending_before: None | str | Unset = UNSET,

) -> Response[ErrorEnvelope | ListResponseExportOut]:
    """ List Exports

     The account's exports, newest first.

    Args:
        limit (int | Unset): How many objects, 1 to 100. Default: 20.
        starting_after (None | str | Unset): Cursor: the id after which the page starts (older).
        ending_before (None | str | Unset): Cursor: the id before which the page ends (newer).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | ListResponseExportOut]
     """


    kwargs = _get_kwargs(
        limit=limit,
starting_after=starting_after,
ending_before=ending_before,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    starting_after: None | str | Unset = UNSET,
    ending_before: None | str | Unset = UNSET,

) -> ErrorEnvelope | ListResponseExportOut | None:
    """ List Exports

     The account's exports, newest first.

    Args:
        limit (int | Unset): How many objects, 1 to 100. Default: 20.
        starting_after (None | str | Unset): Cursor: the id after which the page starts (older).
        ending_before (None | str | Unset): Cursor: the id before which the page ends (newer).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | ListResponseExportOut
     """


    return sync_detailed(
        client=client,
limit=limit,
starting_after=starting_after,
ending_before=ending_before,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    starting_after: None | str | Unset = UNSET,
    ending_before: None | str | Unset = UNSET,

) -> Response[ErrorEnvelope | ListResponseExportOut]:
    """ List Exports

     The account's exports, newest first.

    Args:
        limit (int | Unset): How many objects, 1 to 100. Default: 20.
        starting_after (None | str | Unset): Cursor: the id after which the page starts (older).
        ending_before (None | str | Unset): Cursor: the id before which the page ends (newer).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | ListResponseExportOut]
     """


    kwargs = _get_kwargs(
        limit=limit,
starting_after=starting_after,
ending_before=ending_before,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    starting_after: None | str | Unset = UNSET,
    ending_before: None | str | Unset = UNSET,

) -> ErrorEnvelope | ListResponseExportOut | None:
    """ List Exports

     The account's exports, newest first.

    Args:
        limit (int | Unset): How many objects, 1 to 100. Default: 20.
        starting_after (None | str | Unset): Cursor: the id after which the page starts (older).
        ending_before (None | str | Unset): Cursor: the id before which the page ends (newer).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | ListResponseExportOut
     """


    return (await asyncio_detailed(
        client=client,
limit=limit,
starting_after=starting_after,
ending_before=ending_before,

    )).parsed
