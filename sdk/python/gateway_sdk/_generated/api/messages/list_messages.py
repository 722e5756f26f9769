from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_envelope import ErrorEnvelope
from ...models.list_messages_direction_type_0 import ListMessagesDirectionType0
from ...models.list_messages_status_type_0 import ListMessagesStatusType0
from ...models.list_response_message_out import ListResponseMessageOut
from ...types import UNSET, Unset
from typing import cast
import datetime



def _get_kwargs(
    session_id: str,
    *,
    chat_id: None | str | Unset = UNSET,
    direction: ListMessagesDirectionType0 | None | Unset = UNSET,
    status: ListMessagesStatusType0 | None | Unset = UNSET,
    created_gte: datetime.datetime | None | Unset = UNSET,
    created_lt: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 20,
    starting_after: None | str | Unset = UNSET,
    ending_before: None | str | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_chat_id: None | str | Unset
    if isinstance(chat_id, Unset):
        json_chat_id = UNSET
    else:
        json_chat_id = chat_id
    params["chat_id"] = json_chat_id

    json_direction: None | str | Unset
    if isinstance(direction, Unset):
        json_direction = UNSET
    elif isinstance(direction, ListMessagesDirectionType0):
        json_direction = direction.value
    else:
        json_direction = direction
    params["direction"] = json_direction

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, ListMessagesStatusType0):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

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
        "url": "/v1/sessions/{session_id}/messages".format(session_id=quote(str(session_id), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorEnvelope | ListResponseMessageOut | None:
    if response.status_code == 200:
        response_200 = ListResponseMessageOut.from_dict(response.json())



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

    if response.status_code == 501:
        response_501 = ErrorEnvelope.from_dict(response.json())



        return response_501

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorEnvelope | ListResponseMessageOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    session_id: str,
    *,
    client: AuthenticatedClient,
    chat_id: None | str | Unset = UNSET,
    direction: ListMessagesDirectionType0 | None | Unset = UNSET,
    status: ListMessagesStatusType0 | None | Unset = UNSET,
    created_gte: datetime.datetime | None | Unset = UNSET,
    created_lt: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 20,
    starting_after: None | str | Unset = UNSET,
    ending_before: None | str | Unset = UNSET,

) -> Response[ErrorEnvelope | ListResponseMessageOut]:
    """ List Messages

     The session's messages, newest first.

    Args:
        session_id (str): The session's id (`ses_…`).
        chat_id (None | str | Unset): Only this chat.
        direction (ListMessagesDirectionType0 | None | Unset):
        status (ListMessagesStatusType0 | None | Unset):
        created_gte (datetime.datetime | None | Unset): Created at or after.
        created_lt (datetime.datetime | None | Unset): Created before.
        limit (int | Unset): How many objects, 1 to 100. Default: 20.
        starting_after (None | str | Unset): Cursor: the id after which the page starts (older).
        ending_before (None | str | Unset): Cursor: the id before which the page ends (newer).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | ListResponseMessageOut]
     """


    kwargs = _get_kwargs(
        session_id=session_id,
chat_id=chat_id,
direction=direction,
status=status,
created_gte=created_gte,
created_lt=created_lt,
limit=limit,
starting_after=starting_after,
ending_before=ending_before,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    session_id: str,
    *,
    client: AuthenticatedClient,
    chat_id: None | str | Unset = UNSET,
    direction: ListMessagesDirectionType0 | None | Unset = UNSET,
    status: ListMessagesStatusType0 | None | Unset = UNSET,
    created_gte: datetime.datetime | None | Unset = UNSET,
    created_lt: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 20,
    starting_after: None | str | Unset = UNSET,
    ending_before: None | str | Unset = UNSET,

) -> ErrorEnvelope | ListResponseMessageOut | None:
    """ List Messages

     The session's messages, newest first.

    Args:
        session_id (str): The session's id (`ses_…`).
        chat_id (None | str | Unset): Only this chat.
        direction (ListMessagesDirectionType0 | None | Unset):
        status (ListMessagesStatusType0 | None | Unset):
        created_gte (datetime.datetime | None | Unset): Created at or after.
        created_lt (datetime.datetime | None | Unset): Created before.
        limit (int | Unset): How many objects, 1 to 100. Default: 20.
        starting_after (None | str | Unset): Cursor: the id after which the page starts (older).
        ending_before (None | str | Unset): Cursor: the id before which the page ends (newer).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | ListResponseMessageOut
     """


    return sync_detailed(
        session_id=session_id,
client=client,
chat_id=chat_id,
direction=direction,
status=status,
created_gte=created_gte,
created_lt=created_lt,
limit=limit,
starting_after=starting_after,
ending_before=ending_before,

    ).parsed

async def asyncio_detailed(
    session_id: str,
    *,
    client: AuthenticatedClient,
    chat_id: None | str | Unset = UNSET,
    direction: ListMessagesDirectionType0 | None | Unset = UNSET,
    status: ListMessagesStatusType0 | None | Unset = UNSET,
    created_gte: datetime.datetime | None | Unset = UNSET,
    created_lt: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 20,
    starting_after: None | str | Unset = UNSET,
    ending_before: None | str | Unset = UNSET,

) -> Response[ErrorEnvelope | ListResponseMessageOut]:
    """ List Messages

     The session's messages, newest first.

    Args:
        session_id (str): The session's id (`ses_…`).
        chat_id (None | str | Unset): Only this chat.
        direction (ListMessagesDirectionType0 | None | Unset):
        status (ListMessagesStatusType0 | None | Unset):
        created_gte (datetime.datetime | None | Unset): Created at or after.
        created_lt (datetime.datetime | None | Unset): Created before.
        limit (int | Unset): How many objects, 1 to 100. Default: 20.
        starting_after (None | str | Unset): Cursor: the id after which the page starts (older).
        ending_before (None | str | Unset): Cursor: the id before which the page ends (newer).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | ListResponseMessageOut]
     """


    kwargs = _get_kwargs(
        session_id=session_id,
chat_id=chat_id,
direction=direction,
status=status,
created_gte=created_gte,
created_lt=created_lt,
limit=limit,
starting_after=starting_after,
ending_before=ending_before,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    session_id: str,
    *,
    client: AuthenticatedClient,
    chat_id: None | str | Unset = UNSET,
    direction: ListMessagesDirectionType0 | None | Unset = UNSET,
    status: ListMessagesStatusType0 | None | Unset = UNSET,
    created_gte: datetime.datetime | None | Unset = UNSET,
    created_lt: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 20,
    starting_after: None | str | Unset = UNSET,
    ending_before: None | str | Unset = UNSET,

) -> ErrorEnvelope | ListResponseMessageOut | None:
    """ List Messages

     The session's messages, newest first.

    Args:
        session_id (str): The session's id (`ses_…`).
        chat_id (None | str | Unset): Only this chat.
        direction (ListMessagesDirectionType0 | None | Unset):
        status (ListMessagesStatusType0 | None | Unset):
        created_gte (datetime.datetime | None | Unset): Created at or after.
        created_lt (datetime.datetime | None | Unset): Created before.
        limit (int | Unset): How many objects, 1 to 100. Default: 20.
        starting_after (None | str | Unset): Cursor: the id after which the page starts (older).
        ending_before (None | str | Unset): Cursor: the id before which the page ends (newer).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | ListResponseMessageOut
     """


    return (await asyncio_detailed(
        session_id=session_id,
client=client,
chat_id=chat_id,
direction=direction,
status=status,
created_gte=created_gte,
created_lt=created_lt,
limit=limit,
starting_after=starting_after,
ending_before=ending_before,

    )).parsed
