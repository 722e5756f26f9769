from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_envelope import ErrorEnvelope
from ...models.list_response_audit_entry_out import ListResponseAuditEntryOut
from ...types import UNSET, Unset
from typing import cast
import datetime



def _get_kwargs(
    *,
    action: None | str | Unset = UNSET,
    resource_id: None | str | Unset = UNSET,
    actor: None | str | Unset = UNSET,
    since: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 20,
    starting_after: None | str | Unset = UNSET,
    ending_before: None | str | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_action: None | str | Unset
    if isinstance(action, Unset):
        json_action = UNSET
    else:
        json_action = action
    params["action"] = json_action

    json_resource_id: None | str | Unset
    if isinstance(resource_id, Unset):
        json_resource_id = UNSET
    else:
        json_resource_id = resource_id
    params["resource_id"] = json_resource_id

    json_actor: None | str | Unset
    if isinstance(actor, Unset):
        json_actor = UNSET
    else:
        json_actor = actor
    params["actor"] = json_actor

    json_since: None | str | Unset
    if isinstance(since, Unset):
        json_since = UNSET
    elif isinstance(since, datetime.datetime):
        json_since = since.isoformat()
    else:
        json_since = since
    params["since"] = json_since

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
        "url": "/v1/audit-log",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorEnvelope | ListResponseAuditEntryOut | None:
    if response.status_code == 200:
        response_200 = ListResponseAuditEntryOut.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorEnvelope | ListResponseAuditEntryOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    action: None | str | Unset = UNSET,
    resource_id: None | str | Unset = UNSET,
    actor: None | str | Unset = UNSET,
    since: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 20,
    starting_after: None | str | Unset = UNSET,
    ending_before: None | str | Unset = UNSET,

) -> Response[ErrorEnvelope | ListResponseAuditEntryOut]:
    """ List Audit Log

     Every change made to the account, newest first: by its keys (the dashboard too),
    by the operator and by the gateway itself. Entries are never changed or removed.
    A test-mode key sees what test-mode keys did; a key restricted to one session cannot
    read the log, which covers the whole account.

    Args:
        action (None | str | Unset): Only this action (`session.created`), or a family
            (`session.*`).
        resource_id (None | str | Unset): Only entries about this object (its id).
        actor (None | str | Unset): Only changes by this key (`key_…`), or `admin`.
        since (datetime.datetime | None | Unset): Only entries made at or after this time.
        limit (int | Unset): How many objects, 1 to 100. Default: 20.
        starting_after (None | str | Unset): Cursor: the id after which the page starts (older).
        ending_before (None | str | Unset): Cursor: the id before which the page ends (newer).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | ListResponseAuditEntryOut]
     """


    kwargs = _get_kwargs(
        action=action,
resource_id=resource_id,
actor=actor,
since=since,
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
    action: None | str | Unset = UNSET,
    resource_id: None | str | Unset = UNSET,
    actor: None | str | Unset = UNSET,
    since: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 20,
    starting_after: None | str | Unset = UNSET,
    ending_before: None | str | Unset = UNSET,

) -> ErrorEnvelope | ListResponseAuditEntryOut | None:
    """ List Audit Log

     Every change made to the account, newest first: by its keys (the dashboard too),
    by the operator and by the gateway itself. Entries are never changed or removed.
    A test-mode key sees what test-mode keys did; a key restricted to one session cannot
    read the log, which covers the whole account.

    Args:
        action (None | str | Unset): Only this action (`session.created`), or a family
            (`session.*`).
        resource_id (None | str | Unset): Only entries about this object (its id).
        actor (None | str | Unset): Only changes by this key (`key_…`), or `admin`.
        since (datetime.datetime | None | Unset): Only entries made at or after this time.
        limit (int | Unset): How many objects, 1 to 100. Default: 20.
        starting_after (None | str | Unset): Cursor: the id after which the page starts (older).
        ending_before (None | str | Unset): Cursor: the id before which the page ends (newer).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | ListResponseAuditEntryOut
     """


    return sync_detailed(
        client=client,
action=action,
resource_id=resource_id,
actor=actor,
since=since,
limit=limit,
starting_after=starting_after,
ending_before=ending_before,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    action: None | str | Unset = UNSET,
    resource_id: None | str | Unset = UNSET,
    actor: None | str | Unset = UNSET,
    since: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 20,
    starting_after: None | str | Unset = UNSET,
    ending_before: None | str | Unset = UNSET,

) -> Response[ErrorEnvelope | ListResponseAuditEntryOut]:
    """ List Audit Log

     Every change made to the account, newest first: by its keys (the dashboard too),
    by the operator and by the gateway itself. Entries are never changed or removed.
    A test-mode key sees what test-mode keys did; a key restricted to one session cannot
    read the log, which covers the whole account.

    Args:
        action (None | str | Unset): Only this action (`session.created`), or a family
            (`session.*`).
        resource_id (None | str | Unset): Only entries about this object (its id).
        actor (None | str | Unset): Only changes by this key (`key_…`), or `admin`.
        since (datetime.datetime | None | Unset): Only entries made at or after this time.
        limit (int | Unset): How many objects, 1 to 100. Default: 20.
        starting_after (None | str | Unset): Cursor: the id after which the page starts (older).
        ending_before (None | str | Unset): Cursor: the id before which the page ends (newer).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | ListResponseAuditEntryOut]
     """


    kwargs = _get_kwargs(
        action=action,
resource_id=resource_id,
actor=actor,
since=since,
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
    action: None | str | Unset = UNSET,
    resource_id: None | str | Unset = UNSET,
    actor: None | str | Unset = UNSET,
    since: datetime.datetime | None | Unset = UNSET,
    limit: int | Unset = 20,
    starting_after: None | str | Unset = UNSET,
    ending_before: None | str | Unset = UNSET,

) -> ErrorEnvelope | ListResponseAuditEntryOut | None:
    """ List Audit Log

     Every change made to the account, newest first: by its keys (the dashboard too),
    by the operator and by the gateway itself. Entries are never changed or removed.
    A test-mode key sees what test-mode keys did; a key restricted to one session cannot
    read the log, which covers the whole account.

    Args:
        action (None | str | Unset): Only this action (`session.created`), or a family
            (`session.*`).
        resource_id (None | str | Unset): Only entries about this object (its id).
        actor (None | str | Unset): Only changes by this key (`key_…`), or `admin`.
        since (datetime.datetime | None | Unset): Only entries made at or after this time.
        limit (int | Unset): How many objects, 1 to 100. Default: 20.
        starting_after (None | str | Unset): Cursor: the id after which the page starts (older).
        ending_before (None | str | Unset): Cursor: the id before which the page ends (newer).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | ListResponseAuditEntryOut
     """


    return (await asyncio_detailed(
        client=client,
action=action,
resource_id=resource_id,
actor=actor,
since=since,
limit=limit,
starting_after=starting_after,
ending_before=ending_before,

    )).parsed
