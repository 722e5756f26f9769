"""The web engine's contacts, LIDs, groups and chats.

Contacts, LIDs and groups go through the session's child: each ``Engine`` method is one
op of the child (``neonize_directory``, same name and arguments), whose JSON answer is
validated into its record here; the child's error codes become the API's errors (404
``resource_missing`` naming the contact, group or invite; 403 ``group_admin_required``),
anything else a 502 carrying the child's code.

Chats are ``chats``'s (``WebChats``): whatsmeow keeps no chat list, so the host keeps
the one history sync brings and the gateway's messages extend, and answers from
PostgreSQL. Changing a chat (archive, mark unread, delete) is an app-state patch, which
neonize 0.5.2 cannot deliver: ``chats_manage`` is not offered (501).

Removing a group's picture is not offered either: whatsmeow removes it when given no
image, and neonize always passes one (possibly empty).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any, ClassVar

from gateway.engines.base import Capability, EngineFailure, EngineUnsupported
from gateway.engines.records import (
    Contact,
    ContactAbout,
    Group,
    GroupInvite,
    GroupPreview,
    GroupSettingsUpdate,
    LidMapping,
    NumberCheck,
    ParticipantAction,
    ParticipantsUpdate,
    ProfilePicture,
)
from gateway.engines.web.chats import WebChats
from gateway.kit.errors import GatewayError, InvalidRequest, NotFound, PermissionDenied
from gateway.media.storage import StorageError

DIRECTORY_CAPABILITIES: frozenset[Capability] = frozenset(
    {
        Capability.contacts,
        Capability.contacts_check,
        Capability.contact_profile,
        Capability.contacts_block,
        Capability.lids,
        Capability.groups,
        Capability.groups_manage,
        Capability.group_invites,
        Capability.chats,
    }
)
Errors = dict[str, GatewayError]


def _contact_errors(contact_id: str, param: str = "contact_id") -> Errors:
    return {"contact_not_found": NotFound("contact", contact_id, param=param)}


def _group_errors(group_id: str, what: str) -> Errors:
    return {
        "group_not_found": NotFound("group", group_id, param="group_id"),
        "not_group_admin": PermissionDenied(
            f"Only group admins can {what}.", code="group_admin_required", param="group_id"
        ),
    }


def _invite_errors(code: str) -> Errors:
    return {"invite_not_found": NotFound("invite", code, param="code")}


class WebDirectory(WebChats):
    directory_capabilities: ClassVar[frozenset[Capability]] = DIRECTORY_CAPABILITIES

    # -- contacts and LIDs ----------------------------------------------------------------

    async def contacts(self) -> list[Contact]:
        return [Contact.model_validate(c) for c in await self._call("contacts")]

    async def contact(self, contact_id: str) -> Contact:
        found = await self._call(
            "contact", errors=_contact_errors(contact_id), contact_id=contact_id
        )
        return Contact.model_validate(found)

    async def check_numbers(self, phone_numbers: list[str]) -> list[NumberCheck]:
        found = await self._call("check_numbers", phone_numbers=phone_numbers)
        return [NumberCheck.model_validate(check) for check in found]

    async def profile_picture(self, contact_id: str) -> ProfilePicture:
        found = await self._call("profile_picture", contact_id=contact_id)
        return ProfilePicture.model_validate(found)

    async def about(self, contact_id: str) -> ContactAbout:
        found = await self._call("about", errors=_contact_errors(contact_id), contact_id=contact_id)
        return ContactAbout.model_validate(found)

    async def block(self, contact_id: str, blocked: bool) -> Contact:
        found = await self._call(
            "block", errors=_contact_errors(contact_id), contact_id=contact_id, blocked=blocked
        )
        return Contact.model_validate(found)

    async def lid(self, lid: str) -> LidMapping:
        return LidMapping.model_validate(await self._call("lid", lid=lid))

    async def lid_by_phone(self, phone_number: str) -> LidMapping:
        errors: Errors = {
            **_contact_errors(phone_number, "phone_number"),
            "lid_unknown": NotFound("lid", phone_number, param="phone_number"),
        }
        found = await self._call("lid_by_phone", errors=errors, phone_number=phone_number)
        return LidMapping.model_validate(found)

    # -- groups ---------------------------------------------------------------------------

    async def groups(self) -> list[Group]:
        return [Group.model_validate(g) for g in await self._call("groups")]

    async def group(self, group_id: str) -> Group:
        found = await self._call(
            "group", errors=_group_errors(group_id, "see the group"), group_id=group_id
        )
        return Group.model_validate(found)

    async def create_group(self, subject: str, participants: list[str]) -> Group:
        await self._check_participants(participants)
        found = await self._call("create_group", subject=subject, participants=participants)
        return Group.model_validate(found)

    async def _check_participants(self, participants: list[str]) -> None:
        """A participant not on WhatsApp fails the creation, naming them, as on the
        sandbox (WhatsApp would make the group without them)."""
        phones = {
            f"+{p.split('@')[0]}": i for i, p in enumerate(participants) if p.endswith("@c.us")
        }
        if not phones:
            return
        checks = await self._call("check_numbers", phone_numbers=list(phones))
        for check in checks:
            if not check["on_whatsapp"]:
                index = phones[check["phone_number"]]
                raise InvalidRequest(
                    f"{participants[index]} is not on WhatsApp.",
                    code="participant_not_on_whatsapp", param=f"participants.{index}",
                )  # fmt: skip

    async def update_group(
        self,
        group_id: str,
        *,
        subject: str | None = None,
        description: str | None = None,
        picture_id: str | None = None,
        remove_picture: bool = False,
        settings: GroupSettingsUpdate | None = None,
    ) -> Group:
        if remove_picture:
            raise EngineUnsupported(self.name, "group_picture_remove")
        changes: dict[str, Any] = {"subject": subject, "description": description}
        if settings is not None:
            changes["settings"] = GroupSettingsUpdate.model_validate(settings).model_dump(
                exclude_none=True
            )
        errors = {
            **_group_errors(group_id, "change the group's info or settings"),
            "invalid_image": InvalidRequest(
                "WhatsApp did not take the image as a group picture.", param="picture.media_id"
            ),
        }
        async with self._staged_picture(await self._picture(picture_id)) as picture_file:
            found = await self._call(
                "update_group", errors=errors, group_id=group_id, picture_file=picture_file,
                **changes,
            )  # fmt: skip
        return Group.model_validate(found)

    async def _picture(self, picture_id: str | None) -> bytes | None:
        """The stored image's bytes (the API checked it is the account's JPEG or PNG)."""
        if picture_id is None:
            return None
        try:
            content = await self._stored_media(picture_id)
        except StorageError as exc:
            raise EngineFailure(str(exc), code="media_unavailable") from None
        if content is None:
            raise NotFound("media", picture_id, param="picture.media_id")
        return content

    @contextlib.asynccontextmanager
    async def _staged_picture(self, content: bytes | None) -> AsyncIterator[str | None]:
        """``content`` as a file in the session's directory while the call lasts; its
        name, which the child reads there (None: no picture)."""
        if content is None:
            yield None
            return
        async with self._staged(content, "group-picture") as path:
            yield path.name

    async def update_participants(
        self, group_id: str, action: ParticipantAction, participants: list[str]
    ) -> ParticipantsUpdate:
        found = await self._call(
            "update_participants", errors=_group_errors(group_id, f"{action} participants"),
            group_id=group_id, action=action, participants=participants,
        )  # fmt: skip
        return ParticipantsUpdate.model_validate(found)

    async def leave_group(self, group_id: str) -> None:
        await self._call("leave_group", errors=_group_errors(group_id, "leave"), group_id=group_id)

    async def group_invite(self, group_id: str, *, revoke: bool = False) -> GroupInvite:
        found = await self._call(
            "group_invite", errors=_group_errors(group_id, "see or reset the invite link"),
            group_id=group_id, revoke=revoke,
        )  # fmt: skip
        return GroupInvite.model_validate(found)

    async def group_preview(self, code: str) -> GroupPreview:
        found = await self._call("group_preview", errors=_invite_errors(code), code=code)
        return GroupPreview.model_validate(found)

    async def join_group(self, code: str) -> Group:
        found = await self._call("join_group", errors=_invite_errors(code), code=code)
        return Group.model_validate(found)
