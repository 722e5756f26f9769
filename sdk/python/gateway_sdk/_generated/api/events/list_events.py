from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_envelope import ErrorEnvelope
from ...models.list_events_type_type_0_item import ListEventsTypeType0Item
from ...models.list_response_event_out import ListResponseEventOut
from ...types import UNSET, Unset
from typing import cast
import datetime



def _get_kwargs(
    *,
    limit: int | Unset = 20,
    starting_after: None | str | Unset = UNSET,
    ending_before: None | str | Unset = UNSET,
    type_: list[ListEventsTypeType0Item] | None | Unset = UNSET,
    session_id: None | str | Unset = UNSET,
    created_gte: datetime.datetime | None | Unset = UNSET,
    created_lt: datetime.datetime | None | Unset = UNSET,

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

    json_type_: list[str] | None | Unset
    if isinstance(type_, Unset):
        json_type_ = UNSET
    elif isinstance(type_, list):
        json_type_ = []
        for type_type_0_item_data in type_:
            type_type_0_item = type_type_0_item_data.value
            json_type_.append(type_type_0_item)


    else:
        json_type_ = type_
    params["type"] = json_type_

    json_session_id: None | str | Unset
    if isinstance(session_id, Unset):
        json_session_id = UNSET
    else:
        json_session_id = session_id
    params["session_id"] = json_session_id

    json_created_gte: None | str | Unset
    if isinstance(created_gte, Unset):
        json_created_gte = UNSET
    elif isinstance(created_gte, datetime.datetime):
        json_created_gte = created_gte.isoformat()
    else:
        json_created_gte = created_gte
    params["created_gte"] = json_created_gte

    json_created_lt: None | str | Unset
    if isinstance(created_lt, Unset):
        json_created_lt = UNSET
    elif isinstance(created_lt, datetime.datetime):
        json_created_lt = created_lt.isoformat()
    else:
        json_created_lt = created_lt
    params["created_lt"] = json_created_lt


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/events",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorEnvelope | ListResponseEventOut | None:
    if response.status_code == 200:
        response_200 = ListResponseEventOut.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorEnvelope | ListResponseEventOut]:
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
    type_: list[ListEventsTypeType0Item] | None | Unset = UNSET,
    session_id: None | str | Unset = UNSET,
    created_gte: datetime.datetime | None | Unset = UNSET,
    created_lt: datetime.datetime | None | Unset = UNSET,

) -> Response[ErrorEnvelope | ListResponseEventOut]:
    """ List Events

     The account's events, newest first. Poll with `ending_before` set to the newest
    event seen to get only what happened since. A poll never passes an event that
    commits late: an event is listed once no transaction that could still record one
    before it is running (normally milliseconds after it commits). A cursor is the id of
    an event the key can see.

    Args:
        limit (int | Unset): How many objects, 1 to 100. Default: 20.
        starting_after (None | str | Unset): Cursor: the id after which the page starts (older).
        ending_before (None | str | Unset): Cursor: the id before which the page ends (newer).
        type_ (list[ListEventsTypeType0Item] | None | Unset): Only events of this type; repeat the
            parameter for any of several.
        session_id (None | str | Unset): Only events of this session (`ses_…`).
        created_gte (datetime.datetime | None | Unset): Only events created at or after this time
            (ISO 8601; UTC if bare).
        created_lt (datetime.datetime | None | Unset): Only events created before this time (ISO
            8601; UTC if bare).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | ListResponseEventOut]
     """


    kwargs = _get_kwargs(
        limit=limit,
starting_after=starting_after,
ending_before=ending_before,
type_=type_,
session_id=session_id,
created_gte=created_gte,
created_lt=created_lt,

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
    type_: list[ListEventsTypeType0Item] | None | Unset = UNSET,
    session_id: None | str | Unset = UNSET,
    created_gte: datetime.datetime | None | Unset = UNSET,
    created_lt: datetime.datetime | None | Unset = UNSET,

) -> ErrorEnvelope | ListResponseEventOut | None:
    """ List Events

     The account's events, newest first. Poll with `ending_before` set to the newest
    event seen to get only what happened since. A poll never passes an event that
    commits late: an event is listed once no transaction that could still record one
    before it is running (normally milliseconds after it commits). A cursor is the id of
    an event the key can see.

    Args:
        limit (int | Unset): How many objects, 1 to 100. Default: 20.
        starting_after (None | str | Unset): Cursor: the id after which the page starts (older).
        ending_before (None | str | Unset): Cursor: the id before which the page ends (newer).
        type_ (list[ListEventsTypeType0Item] | None | Unset): Only events of this type; repeat the
            parameter for any of several.
        session_id (None | str | Unset): Only events of this session (`ses_…`).
        created_gte (datetime.datetime | None | Unset): Only events created at or after this time
            (ISO 8601; UTC if bare).
        created_lt (datetime.datetime | None | Unset): Only events created before this time (ISO
            8601; UTC if bare).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | ListResponseEventOut
     """


    return sync_detailed(
        client=client,
limit=limit,
starting_after=starting_after,
ending_before=ending_before,
type_=type_,
session_id=session_id,
created_gte=created_gte,
created_lt=created_lt,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    starting_after: None | str | Unset = UNSET,
    ending_before: None | str | Unset = UNSET,
    type_: list[ListEventsTypeType0Item] | None | Unset = UNSET,
    session_id: None | str | Unset = UNSET,
    created_gte: datetime.datetime | None | Unset = UNSET,
    created_lt: datetime.datetime | None | Unset = UNSET,

) -> Response[ErrorEnvelope | ListResponseEventOut]:
    """ List Events

     The account's events, newest first. Poll with `ending_before` set to the newest
    event seen to get only what happened since. A poll never passes an event that
    commits late: an event is listed once no transaction that could still record one
    before it is running (normally milliseconds after it commits). A cursor is the id of
    an event the key can see.

    Args:
        limit (int | Unset): How many objects, 1 to 100. Default: 20.
        starting_after (None | str | Unset): Cursor: the id after which the page starts (older).
        ending_before (None | str | Unset): Cursor: the id before which the page ends (newer).
        type_ (list[ListEventsTypeType0Item] | None | Unset): Only events of this type; repeat the
            parameter for any of several.
        session_id (None | str | Unset): Only events of this session (`ses_…`).
        created_gte (datetime.datetime | None | Unset): Only events created at or after this time
            (ISO 8601; UTC if bare).
        created_lt (datetime.datetime | None | Unset): Only events created before this time (ISO
            8601; UTC if bare).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | ListResponseEventOut]
     """


    kwargs = _get_kwargs(
        limit=limit,
starting_after=starting_after,
ending_before=ending_before,
type_=type_,
session_id=session_id,
created_gte=created_gte,
created_lt=created_lt,

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
    type_: list[ListEventsTypeType0Item] | None | Unset = UNSET,
    session_id: None | str | Unset = UNSET,
    created_gte: datetime.datetime | None | Unset = UNSET,
    created_lt: datetime.datetime | None | Unset = UNSET,

) -> ErrorEnvelope | ListResponseEventOut | None:
    """ List Events

     The account's events, newest first. Poll with `ending_before` set to the newest
    event seen to get only what happened since. A poll never passes an event that
    commits late: an event is listed once no transaction that could still record one
    before it is running (normally milliseconds after it commits). A cursor is the id of
    an event the key can see.

    Args:
        limit (int | Unset): How many objects, 1 to 100. Default: 20.
        starting_after (None | str | Unset): Cursor: the id after which the page starts (older).
        ending_before (None | str | Unset): Cursor: the id before which the page ends (newer).
        type_ (list[ListEventsTypeType0Item] | None | Unset): Only events of this type; repeat the
            parameter for any of several.
        session_id (None | str | Unset): Only events of this session (`ses_…`).
        created_gte (datetime.datetime | None | Unset): Only events created at or after this time
            (ISO 8601; UTC if bare).
        created_lt (datetime.datetime | None | Unset): Only events created before this time (ISO
            8601; UTC if bare).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | ListResponseEventOut
     """


    return (await asyncio_detailed(
        client=client,
limit=limit,
starting_after=starting_after,
ending_before=ending_before,
type_=type_,
session_id=session_id,
created_gte=created_gte,
created_lt=created_lt,

    )).parsed
