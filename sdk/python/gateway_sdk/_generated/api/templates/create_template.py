from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_envelope import ErrorEnvelope
from ...models.template_create import TemplateCreate
from ...models.template_out import TemplateOut
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    session_id: str,
    *,
    body: TemplateCreate,
    idempotency_key: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/sessions/{session_id}/templates".format(session_id=quote(str(session_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorEnvelope | TemplateOut | None:
    if response.status_code == 201:
        response_201 = TemplateOut.from_dict(response.json())



        return response_201

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

    if response.status_code == 501:
        response_501 = ErrorEnvelope.from_dict(response.json())



        return response_501

    if response.status_code == 502:
        response_502 = ErrorEnvelope.from_dict(response.json())



        return response_502

    if response.status_code == 503:
        response_503 = ErrorEnvelope.from_dict(response.json())



        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorEnvelope | TemplateOut]:
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
    body: TemplateCreate,
    idempotency_key: str | Unset = UNSET,

) -> Response[ErrorEnvelope | TemplateOut]:
    """ Create Template

     Submit a template for Meta's review. It is stored `PENDING`; a `template.status`
    event follows Meta's decision (`APPROVED` or `REJECTED`, with a reason).

    Args:
        session_id (str): The session's id (`ses_…`).
        idempotency_key (str | Unset):
        body (TemplateCreate): A template to submit for Meta's review; it is `PENDING` until Meta
            decides (a
            `template.status` event tells).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | TemplateOut]
     """


    kwargs = _get_kwargs(
        session_id=session_id,
body=body,
idempotency_key=idempotency_key,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    session_id: str,
    *,
    client: AuthenticatedClient,
    body: TemplateCreate,
    idempotency_key: str | Unset = UNSET,

) -> ErrorEnvelope | TemplateOut | None:
    """ Create Template

     Submit a template for Meta's review. It is stored `PENDING`; a `template.status`
    event follows Meta's decision (`APPROVED` or `REJECTED`, with a reason).

    Args:
        session_id (str): The session's id (`ses_…`).
        idempotency_key (str | Unset):
        body (TemplateCreate): A template to submit for Meta's review; it is `PENDING` until Meta
            decides (a
            `template.status` event tells).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | TemplateOut
     """


    return sync_detailed(
        session_id=session_id,
client=client,
body=body,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    session_id: str,
    *,
    client: AuthenticatedClient,
    body: TemplateCreate,
    idempotency_key: str | Unset = UNSET,

) -> Response[ErrorEnvelope | TemplateOut]:
    """ Create Template

     Submit a template for Meta's review. It is stored `PENDING`; a `template.status`
    event follows Meta's decision (`APPROVED` or `REJECTED`, with a reason).

    Args:
        session_id (str): The session's id (`ses_…`).
        idempotency_key (str | Unset):
        body (TemplateCreate): A template to submit for Meta's review; it is `PENDING` until Meta
            decides (a
            `template.status` event tells).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | TemplateOut]
     """


    kwargs = _get_kwargs(
        session_id=session_id,
body=body,
idempotency_key=idempotency_key,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    session_id: str,
    *,
    client: AuthenticatedClient,
    body: TemplateCreate,
    idempotency_key: str | Unset = UNSET,

) -> ErrorEnvelope | TemplateOut | None:
    """ Create Template

     Submit a template for Meta's review. It is stored `PENDING`; a `template.status`
    event follows Meta's decision (`APPROVED` or `REJECTED`, with a reason).

    Args:
        session_id (str): The session's id (`ses_…`).
        idempotency_key (str | Unset):
        body (TemplateCreate): A template to submit for Meta's review; it is `PENDING` until Meta
            decides (a
            `template.status` event tells).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | TemplateOut
     """


    return (await asyncio_detailed(
        session_id=session_id,
client=client,
body=body,
idempotency_key=idempotency_key,

    )).parsed
