from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.chat_deleted import ChatDeleted
from ...models.error_envelope import ErrorEnvelope
from typing import cast



def _get_kwargs(
    session_id: str,
    chat_id: str,

) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/v1/sessions/{session_id}/chats/{chat_id}".format(session_id=quote(str(session_id), safe=""),chat_id=quote(str(chat_id), safe=""),),
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ChatDeleted | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = ChatDeleted.from_dict(response.json())



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

    if response.status_code == 502:
        response_502 = ErrorEnvelope.from_dict(response.json())



        return response_502

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ChatDeleted | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    session_id: str,
    chat_id: str,
    *,
    client: AuthenticatedClient,

) -> Response[ChatDeleted | ErrorEnvelope]:
    """ Delete Chat

     Delete the chat from the phone's chat list (the next message starts it again).
    The gateway keeps its records of the chat's messages.

    Args:
        session_id (str): The session's id (`ses_…`).
        chat_id (str): A phone number in international format (`+12025550123`, normalised to
            E.164) or a chat id (`12025550123@c.us`, a group's `…@g.us`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ChatDeleted | ErrorEnvelope]
     """


    kwargs = _get_kwargs(
        session_id=session_id,
chat_id=chat_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    session_id: str,
    chat_id: str,
    *,
    client: AuthenticatedClient,

) -> ChatDeleted | ErrorEnvelope | None:
    """ Delete Chat

     Delete the chat from the phone's chat list (the next message starts it again).
    The gateway keeps its records of the chat's messages.

    Args:
        session_id (str): The session's id (`ses_…`).
        chat_id (str): A phone number in international format (`+12025550123`, normalised to
            E.164) or a chat id (`12025550123@c.us`, a group's `…@g.us`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ChatDeleted | ErrorEnvelope
     """


    return sync_detailed(
        session_id=session_id,
chat_id=chat_id,
client=client,

    ).parsed

async def asyncio_detailed(
    session_id: str,
    chat_id: str,
    *,
    client: AuthenticatedClient,

) -> Response[ChatDeleted | ErrorEnvelope]:
    """ Delete Chat

     Delete the chat from the phone's chat list (the next message starts it again).
    The gateway keeps its records of the chat's messages.

    Args:
        session_id (str): The session's id (`ses_…`).
        chat_id (str): A phone number in international format (`+12025550123`, normalised to
            E.164) or a chat id (`12025550123@c.us`, a group's `…@g.us`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ChatDeleted | ErrorEnvelope]
     """


    kwargs = _get_kwargs(
        session_id=session_id,
chat_id=chat_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    session_id: str,
    chat_id: str,
    *,
    client: AuthenticatedClient,

) -> ChatDeleted | ErrorEnvelope | None:
    """ Delete Chat

     Delete the chat from the phone's chat list (the next message starts it again).
    The gateway keeps its records of the chat's messages.

    Args:
        session_id (str): The session's id (`ses_…`).
        chat_id (str): A phone number in international format (`+12025550123`, normalised to
            E.164) or a chat id (`12025550123@c.us`, a group's `…@g.us`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ChatDeleted | ErrorEnvelope
     """


    return (await asyncio_detailed(
        session_id=session_id,
chat_id=chat_id,
client=client,

    )).parsed
