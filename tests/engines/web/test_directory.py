"""``WebEngine``'s contacts, LIDs and groups over a real child running the fake neonize
client: the records the API answers, and the API's errors for what goes wrong."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from typing import Any

import pytest
from PIL import Image

from gateway.engines.base import Capability, EngineFailure, EngineResources, EngineUnsupported
from gateway.engines.records import GroupSettingsUpdate
from gateway.engines.web.calls import SessionNotRunning
from gateway.engines.web.engine import WebEngine
from gateway.kit.errors import GatewayError, InvalidRequest, NotFound, PermissionDenied
from gateway.media.service import store_media
from tests.engines.web.test_engine import linked, running, web_engine
from tests.engines.web.test_engine import resources as resources  # the fixture

ME = "12025550123@c.us"  # the fake links this number
ADA, LIN, NOBODY = "+12025550111", "+12025550121", "+12025550101"
ADA_ID, LIN_ID, NOBODY_ID = "12025550111@c.us", "12025550121@c.us", "12025550101@c.us"
ADA_LID, LIN_LID = "184467440737095@lid", "184467440737096@lid"


@pytest.fixture
async def engine(resources: EngineResources) -> AsyncIterator[WebEngine]:
    engine, events = web_engine(resources, auto_link=True)
    async with running(engine):
        await linked(events)
        await fake(engine, "fake_add_contact", phone_number=ADA, name="Ada Lovelace",
                   push_name="Ada", lid=ADA_LID, about="Counting",
                   picture_url="https://pps.whatsapp.net/ada.jpg")  # fmt: skip
        await fake(engine, "fake_add_contact", phone_number=LIN, lid=LIN_LID, lid_known=False,
                   in_address_book=False)  # fmt: skip
        await fake(engine, "fake_add_contact", phone_number=NOBODY, on_whatsapp=False,
                   in_address_book=False)  # fmt: skip
        yield engine


async def fake(engine: WebEngine, op: str, **args: Any) -> Any:
    """One of the fake neonize client's test ops, through the session's child."""
    assert engine._child is not None
    return await engine._child.call(op, **args)


def assert_error(caught: pytest.ExceptionInfo[GatewayError], status: int, code: str,
                 param: str | None = None) -> GatewayError:  # fmt: skip
    error = caught.value
    assert (error.status_code, error.code, error.param) == (status, code, param)
    return error


async def test_capabilities_are_contacts_groups_and_the_chat_list() -> None:
    for capability in (
        Capability.contacts,
        Capability.contacts_check,
        Capability.lids,
        Capability.contacts_block,
        Capability.contact_profile,
        Capability.groups,
        Capability.groups_manage,
        Capability.group_invites,
    ):
        assert WebEngine.supports(capability, {})  # fmt: skip
    assert WebEngine.supports(Capability.chats, {})  # answered from PostgreSQL
    # neonize 0.5.2 sends app-state patches without their collection: see neonize_chats.
    assert not WebEngine.supports(Capability.chats_manage, {})


# -- contacts -----------------------------------------------------------------------------


async def test_contacts_as_the_api_answers_them(engine: WebEngine) -> None:
    [ada] = await engine.contacts()  # Lin is not in the address book
    assert ada.model_dump() == {
        "object": "contact", "id": ADA_ID, "phone_number": ADA, "phone_id": ADA_ID,
        "lid": ADA_LID, "name": "Ada Lovelace", "push_name": "Ada", "is_business": False,
        "blocked": False,
    }  # fmt: skip
    assert (await engine.contact(ADA_LID)).id == ADA_ID
    lin = await engine.contact(LIN_ID)
    assert (lin.id, lin.lid, lin.name) == (LIN_ID, None, None)


async def test_an_unknown_contact_is_a_404(engine: WebEngine) -> None:
    with pytest.raises(NotFound) as caught:
        await engine.contact(NOBODY_ID)
    assert_error(caught, 404, "resource_missing", "contact_id")
    with pytest.raises(NotFound) as caught:
        await engine.about(NOBODY_ID)
    assert_error(caught, 404, "resource_missing", "contact_id")
    with pytest.raises(NotFound) as caught:
        await engine.lid_by_phone(NOBODY)
    assert_error(caught, 404, "resource_missing", "phone_number")


async def test_numbers_lids_profiles_and_blocking(engine: WebEngine) -> None:
    checks = await engine.check_numbers([LIN, NOBODY])
    assert [(c.on_whatsapp, c.id, c.lid) for c in checks] == [(True, LIN_ID, None),
                                                              (False, None, None)]  # fmt: skip
    assert (await engine.lid(LIN_LID)).phone_number is None
    learnt = await engine.lid_by_phone(LIN)
    assert (learnt.lid, learnt.phone_number) == (LIN_LID, LIN)
    assert (await engine.lid(LIN_LID)).phone_id == LIN_ID
    assert (await engine.profile_picture(ADA_ID)).url == "https://pps.whatsapp.net/ada.jpg"
    assert (await engine.profile_picture(LIN_ID)).url is None
    assert (await engine.about(ADA_ID)).about == "Counting"
    assert (await engine.block(LIN_ID, True)).blocked is True
    assert {c.id: c.blocked for c in await engine.contacts()} == {ADA_ID: False, LIN_ID: True}
    assert (await engine.block(LIN_ID, False)).blocked is False


async def test_whatsapp_failing_is_a_502_with_a_code(engine: WebEngine) -> None:
    await fake(engine, "fake_fail", method="is_on_whatsapp", error="info query timed out")
    with pytest.raises(EngineFailure) as caught:
        await engine.check_numbers([ADA])
    error = assert_error(caught, 502, "number_check_failed")
    assert error.message == "info query timed out"
    assert error.type == "engine_error"


# -- groups -------------------------------------------------------------------------------


async def a_group(engine: WebEngine, **args: Any) -> str:
    args.setdefault("participants", [{"phone_number": ADA}])
    return str((await fake(engine, "fake_add_group", subject="Team", **args))["id"])


async def test_a_group_created_then_listed(engine: WebEngine) -> None:
    created = await engine.create_group("Launch", [ADA_ID, LIN_ID])
    assert created.subject == "Launch"
    assert [(p.id, p.role) for p in created.participants] == [
        (ME, "superadmin"), (ADA_ID, "member"), (LIN_ID, "member"),
    ]  # fmt: skip
    assert [g.id for g in await engine.groups()] == [created.id]
    assert (await engine.group(created.id)).model_dump() == created.model_dump()


async def test_a_participant_not_on_whatsapp_fails_the_creation(engine: WebEngine) -> None:
    with pytest.raises(InvalidRequest) as caught:
        await engine.create_group("Launch", [ADA_ID, NOBODY_ID])
    error = assert_error(caught, 422, "participant_not_on_whatsapp", "participants.1")
    assert NOBODY_ID in error.message
    assert await engine.groups() == []


async def test_an_unknown_group_or_invite_is_a_404(engine: WebEngine) -> None:
    outside = await a_group(engine, me_role=None)
    for group_id in (outside, "120363000000000000@g.us"):
        with pytest.raises(NotFound) as caught:
            await engine.group(group_id)
        assert_error(caught, 404, "resource_missing", "group_id")
        with pytest.raises(NotFound) as caught:
            await engine.leave_group(group_id)
        assert_error(caught, 404, "resource_missing", "group_id")
    for call in (engine.group_preview, engine.join_group):
        with pytest.raises(NotFound) as caught:
            await call("NoSuchInvite1234567890")
        assert_error(caught, 404, "resource_missing", "code")


async def test_a_member_is_told_only_admins_can(engine: WebEngine) -> None:
    group_id = await a_group(engine, me_role="member", locked=True)
    with pytest.raises(PermissionDenied) as caught:
        await engine.update_group(group_id, subject="Mine")
    assert_error(caught, 403, "group_admin_required", "group_id")
    with pytest.raises(PermissionDenied) as caught:
        await engine.update_participants(group_id, "add", [LIN_ID])
    error = assert_error(caught, 403, "group_admin_required", "group_id")
    assert error.message == "Only group admins can add participants."
    with pytest.raises(PermissionDenied) as caught:
        await engine.group_invite(group_id)
    assert_error(caught, 403, "group_admin_required", "group_id")


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (20, 120, 200)).save(out, format="PNG")
    return out.getvalue()


async def test_an_admin_changes_the_group_picture_from_stored_media(engine: WebEngine) -> None:
    group_id = await a_group(engine)
    async with engine.resources.sessionmaker() as db:
        media = await store_media(
            db, settings=engine.resources.settings, account_id=engine.session.account_id,
            session_id=None, source="upload", content=png(), mime_type="image/png",
            filename="team.png",
        )  # fmt: skip
        await db.commit()
    group = await engine.update_group(
        group_id, subject="Launch crew", description="Ship it", picture_id=media.id,
        settings=GroupSettingsUpdate(only_admins_send=True),
    )  # fmt: skip
    assert (group.subject, group.description, group.settings.only_admins_send) == (
        "Launch crew", "Ship it", True,
    )  # fmt: skip
    assert group.picture_url is not None
    network = await fake(engine, "fake_group", group_id=group_id)
    assert network["picture_id"] is not None
    assert engine._workdir is not None
    assert not any(engine._workdir.glob("group-picture-*"))  # the staged file is gone
    with pytest.raises(NotFound) as caught:
        await engine.update_group(group_id, picture_id="med_missing")
    assert_error(caught, 404, "resource_missing", "picture.media_id")


async def test_participants_invites_and_joining(engine: WebEngine) -> None:
    group_id = await a_group(engine)
    update = await engine.update_participants(group_id, "add", [LIN_ID, ADA_ID, NOBODY_ID])
    assert [(r.status, r.error.code if r.error else None) for r in update.results] == [
        ("added", None), ("failed", "already_participant"), ("failed", "not_on_whatsapp"),
    ]  # fmt: skip
    assert {p.id for p in update.group.participants} == {ME, ADA_ID, LIN_ID}
    invite = await engine.group_invite(group_id)
    revoked = await engine.group_invite(group_id, revoke=True)
    assert revoked.code != invite.code
    with pytest.raises(NotFound):
        await engine.group_preview(invite.code)
    await engine.leave_group(group_id)
    assert await engine.groups() == []
    preview = await engine.group_preview(revoked.code)
    assert (preview.id, preview.size) == (group_id, 2)
    joined = await engine.join_group(revoked.code)
    assert ME in {p.id for p in joined.participants}


# -- what the engine cannot do ------------------------------------------------------------


async def test_removing_a_group_picture_is_501(engine: WebEngine) -> None:
    group_id = await a_group(engine)
    with pytest.raises(EngineUnsupported) as caught:
        await engine.update_group(group_id, remove_picture=True)
    error = assert_error(caught, 501, "engine_unsupported")
    assert error.message == "The web engine does not support group_picture_remove."


async def test_a_session_not_running_is_not_ready(resources: EngineResources) -> None:
    engine, _ = web_engine(resources)
    with pytest.raises(SessionNotRunning) as caught:
        await engine.groups()
    assert_error(caught, 409, "session_not_ready")
