"""The child's contact and group ops (``neonize_directory``) over the fake neonize client:
what each answers as the API's records, and whatsmeow's failures as codes."""

from __future__ import annotations

import gc
import io
import subprocess
import warnings
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from gateway.engines.records import (
    Contact,
    ContactAbout,
    Group,
    GroupInvite,
    GroupPreview,
    LidMapping,
    NumberCheck,
    ParticipantsUpdate,
    ProfilePicture,
)
from gateway.engines.web.clients import ClientError
from gateway.engines.web.neonize_ops import OpContext
from gateway.engines.web.protocol import MeData


def _close_neonizes_pipe() -> None:
    """Importing neonize runs ``uname -a`` through ``os.popen`` and drops the pipe: the
    process is closed and waited for here, or its ResourceWarning fails whichever test
    next starts a process (``subprocess`` reaps the dropped one then)."""
    for leftover in gc.get_objects():
        if isinstance(leftover, subprocess.Popen) and leftover.args == "uname -a":
            if leftover.stdout is not None:
                leftover.stdout.close()
            leftover.wait()


with warnings.catch_warnings():
    warnings.simplefilter("ignore", ResourceWarning)
    from gateway.engines.web.fake_neonize import FakeNewAClient, jid
    from gateway.engines.web.neonize_directory import OPS

    _close_neonizes_pipe()

ME = "12025550123"
ADA, GRACE, LIN, NOBODY, PRIVATE = (
    "+12025550111", "+12025550112", "+12025550121", "+12025550101", "+12025550131",
)  # fmt: skip
ADA_LID, LIN_LID = "184467440737095@lid", "184467440737096@lid"


class Directory:
    """The ops over one fake client, linked as ``ME``."""

    def __init__(self, workdir: Path) -> None:
        self.client = FakeNewAClient("postgresql://fake/fake", uuid="ses_dir")
        self.client.me_jid = jid(ME, device=7)
        me = MeData(id=f"{ME}@c.us", phone_number=f"+{ME}", push_name="Me")
        self.ctx = OpContext(client=self.client, me=me, workdir=workdir)
        self.seed = self.client.directory_test_ops()

    async def __call__(self, op: str, **args: Any) -> Any:
        return await OPS[op](self.ctx, args)

    async def fails(self, op: str, **args: Any) -> ClientError:
        with pytest.raises(ClientError) as caught:
            await self(op, **args)
        return caught.value

    async def fail_next(self, method: str, error: str) -> None:
        await self.client.test_ops()["fake_fail"]({"method": method, "error": error})

    def calls(self, method: str) -> list[dict[str, Any]]:
        return [c["args"] for c in self.client.calls if c["method"] == method]


@pytest.fixture
async def directory(tmp_path: Path) -> Directory:
    directory = Directory(tmp_path)
    add = directory.seed["fake_add_contact"]
    await add(
        {
            "phone_number": ADA,
            "name": "Ada Lovelace",
            "push_name": "Ada",
            "lid": ADA_LID,
            "about": "Counting",
            "picture_url": "https://pps.whatsapp.net/ada.jpg",
        }
    )
    await add(
        {
            "phone_number": GRACE,
            "name": "Grace Hopper",
            "business_name": "Navy",
            "about": "",
            "picture_hidden": True,
        }
    )
    await add(
        {
            "phone_number": LIN,
            "push_name": "Lin",
            "lid": LIN_LID,
            "lid_known": False,
            "in_address_book": False,
        }
    )
    await add({"phone_number": PRIVATE, "name": "Pat", "invite_only": True})
    await add({"phone_number": NOBODY, "on_whatsapp": False, "in_address_book": False})
    return directory  # fmt: skip


def phone_id(phone: str) -> str:
    return f"{phone.lstrip('+')}@c.us"


# -- contacts ---------------------------------------------------------------------------


async def test_contacts_are_the_address_book_and_the_blocked(directory: Directory) -> None:
    await directory("block", contact_id=phone_id(LIN), blocked=True)
    contacts = [Contact.model_validate(c) for c in await directory("contacts")]
    by_id = {c.id: c for c in contacts}
    assert set(by_id) == {phone_id(ADA), phone_id(GRACE), phone_id(PRIVATE), phone_id(LIN)}
    ada = by_id[phone_id(ADA)]
    assert (ada.name, ada.push_name, ada.phone_number, ada.lid) == (
        "Ada Lovelace", "Ada", ADA, ADA_LID,
    )  # fmt: skip
    assert by_id[phone_id(GRACE)].is_business
    assert by_id[phone_id(GRACE)].lid is None  # no LID known for her
    lin = by_id[phone_id(LIN)]
    assert lin.blocked
    assert lin.name is None
    assert not ada.blocked


async def test_one_contact_by_number_or_by_lid(directory: Directory) -> None:
    by_lid = Contact.model_validate(await directory("contact", contact_id=ADA_LID))
    assert (by_lid.id, by_lid.lid, by_lid.name) == (phone_id(ADA), ADA_LID, "Ada Lovelace")
    # On WhatsApp but not in the address book: known, without a name.
    lin = Contact.model_validate(await directory("contact", contact_id=phone_id(LIN)))
    assert (lin.id, lin.name, lin.lid) == (phone_id(LIN), None, None)


async def test_an_unknown_contact_is_not_found(directory: Directory) -> None:
    assert (await directory.fails("contact", contact_id=phone_id(NOBODY))).code == (
        "contact_not_found"
    )
    # A LID whatsmeow has no mapping for, and no stored contact: unknown.
    assert (await directory.fails("contact", contact_id=LIN_LID)).code == "contact_not_found"


async def test_numbers_are_checked_in_order_with_the_lids_known(directory: Directory) -> None:
    checks = [
        NumberCheck.model_validate(c)
        for c in await directory("check_numbers", phone_numbers=[NOBODY, ADA, LIN])
    ]
    assert [(c.phone_number, c.on_whatsapp, c.id, c.lid) for c in checks] == [
        (NOBODY, False, None, None),
        (ADA, True, phone_id(ADA), ADA_LID),
        (LIN, True, phone_id(LIN), None),  # whatsmeow's store has not seen Lin's LID
    ]
    assert directory.calls("is_on_whatsapp") == [{"numbers": [NOBODY, ADA, LIN]}]


async def test_a_lid_is_learnt_from_a_user_query(directory: Directory) -> None:
    unknown = LidMapping.model_validate(await directory("lid", lid=LIN_LID))
    assert unknown.phone_number is None
    learnt = LidMapping.model_validate(await directory("lid_by_phone", phone_number=LIN))
    assert (learnt.lid, learnt.phone_id) == (LIN_LID, phone_id(LIN))
    known = LidMapping.model_validate(await directory("lid", lid=LIN_LID))
    assert (known.phone_number, known.phone_id) == (LIN, phone_id(LIN))
    error = await directory.fails("lid_by_phone", phone_number=NOBODY)
    assert error.code == "contact_not_found"


async def test_profile_pictures_and_about(directory: Directory) -> None:
    ada = ProfilePicture.model_validate(
        await directory("profile_picture", contact_id=phone_id(ADA))
    )
    assert ada.url == "https://pps.whatsapp.net/ada.jpg"
    for hidden_or_none in (GRACE, LIN):
        found = await directory("profile_picture", contact_id=phone_id(hidden_or_none))
        assert ProfilePicture.model_validate(found).url is None
    about = ContactAbout.model_validate(await directory("about", contact_id=phone_id(ADA)))
    assert about.about == "Counting"
    blank = await directory("about", contact_id=phone_id(GRACE))
    assert ContactAbout.model_validate(blank).about is None
    assert (await directory.fails("about", contact_id=phone_id(NOBODY))).code == (
        "contact_not_found"
    )


async def test_whatsmeows_failure_keeps_its_words(directory: Directory) -> None:
    await directory.fail_next("get_profile_picture", "info query timed out")
    error = await directory.fails("profile_picture", contact_id=phone_id(ADA))
    assert (error.code, error.message, error.transient) == (
        "profile_picture_failed", "info query timed out", True,
    )  # fmt: skip


async def test_block_then_unblock(directory: Directory) -> None:
    blocked = Contact.model_validate(await directory("block", contact_id=ADA_LID, blocked=True))
    assert (blocked.id, blocked.blocked) == (phone_id(ADA), True)
    assert directory.calls("update_blocklist") == [{"jid": f"{ADA[1:]}@s.whatsapp.net",
                                                    "action": "BLOCK"}]  # fmt: skip
    unblocked = await directory("block", contact_id=phone_id(ADA), blocked=False)
    assert Contact.model_validate(unblocked).blocked is False
    error = await directory.fails("block", contact_id=phone_id(NOBODY), blocked=True)
    assert error.code == "contact_not_found"


# -- groups -----------------------------------------------------------------------------


async def make_group(directory: Directory, **args: Any) -> str:
    seeded = await directory.seed["fake_add_group"]({"subject": "Team", **args})
    return str(seeded["id"])


async def test_a_group_created_lists_who_could_be_added(directory: Directory) -> None:
    created = Group.model_validate(
        await directory("create_group", subject="Launch",
                        participants=[phone_id(ADA), LIN_LID.replace("@lid", "@c.us"),
                                      phone_id(PRIVATE)])
    )  # fmt: skip
    assert created.subject == "Launch"
    assert created.owner == f"{ME}@c.us"
    assert [(p.id, p.role) for p in created.participants] == [
        (f"{ME}@c.us", "superadmin"),
        (phone_id(ADA), "member"),
    ]  # Pat's privacy refused the add; the LID-looking number is nobody
    assert created.participants[1].lid == ADA_LID
    listed = [Group.model_validate(g) for g in await directory("groups")]
    assert [g.id for g in listed] == [created.id]
    assert listed[0].picture_url is None


async def test_a_group_the_session_is_not_in_is_not_found(directory: Directory) -> None:
    outside = await make_group(directory, me_role=None, participants=[{"phone_number": ADA}])
    for group_id in (outside, "120363000000000000@g.us"):
        assert (await directory.fails("group", group_id=group_id)).code == "group_not_found"
        assert (await directory.fails("leave_group", group_id=group_id)).code == ("group_not_found")


async def test_group_participants_in_a_lid_group_show_their_numbers(
    directory: Directory,
) -> None:
    group_id = await make_group(
        directory, addressing="lid", participants=[{"phone_number": ADA, "role": "admin"}]
    )
    group = Group.model_validate(await directory("group", group_id=group_id))
    ada = next(p for p in group.participants if p.phone_number == ADA)
    assert (ada.id, ada.lid, ada.role) == (phone_id(ADA), ADA_LID, "admin")


def png(width: int = 900, height: int = 700) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


async def test_an_admin_updates_the_group(directory: Directory) -> None:
    group_id = await make_group(directory, participants=[{"phone_number": ADA}])
    (directory.ctx.workdir / "picture").write_bytes(png())
    updated = Group.model_validate(
        await directory("update_group", group_id=group_id, subject="Launch crew",
                        description="Ship it", picture_file="picture",
                        settings={"only_admins_send": True, "only_admins_edit_info": True})
    )  # fmt: skip
    assert (updated.subject, updated.description) == ("Launch crew", "Ship it")
    assert updated.settings.only_admins_send
    assert updated.settings.only_admins_edit_info
    assert updated.picture_url is not None
    # The PNG reached WhatsApp as a JPEG: the fake, like WhatsApp, takes nothing else.
    (photo,) = directory.calls("set_group_photo")
    assert photo["size"] > 0
    # Unchanged values are not sent again; "" clears the description.
    again = await directory("update_group", group_id=group_id, subject="Launch crew",
                            description="")  # fmt: skip
    assert Group.model_validate(again).description is None
    assert len(directory.calls("set_group_name")) == 1


async def test_a_member_cannot_change_what_admins_hold(directory: Directory) -> None:
    group_id = await make_group(
        directory, me_role="member", locked=True,
        participants=[{"phone_number": ADA, "role": "superadmin"}],
    )  # fmt: skip
    for change in ({"subject": "Mine"}, {"settings": {"only_admins_send": True}}):
        error = await directory.fails("update_group", group_id=group_id, **change)
        assert error.code == "not_group_admin"
    error = await directory.fails("update_participants", group_id=group_id, action="add",
                                  participants=[phone_id(GRACE)])  # fmt: skip
    assert error.code == "not_group_admin"
    assert (await directory.fails("group_invite", group_id=group_id)).code == "not_group_admin"
    assert directory.calls("set_group_name") == []


async def test_whatsapp_refusing_a_change_is_not_group_admin(directory: Directory) -> None:
    group_id = await make_group(directory, participants=[{"phone_number": ADA}])
    await directory.fail_next("set_group_name", "info query returned status 401: not-authorized")
    error = await directory.fails("update_group", group_id=group_id, subject="Mine")
    assert error.code == "not_group_admin"


async def test_a_file_that_is_no_image_is_refused(directory: Directory) -> None:
    group_id = await make_group(directory)
    (directory.ctx.workdir / "picture").write_bytes(b"not an image")
    error = await directory.fails("update_group", group_id=group_id, picture_file="picture")
    assert error.code == "invalid_image"
    error = await directory.fails("update_group", group_id=group_id, picture_file="../x")
    assert error.code == "bad_command"


async def test_participants_each_get_a_result(directory: Directory) -> None:
    group_id = await make_group(
        directory, participants=[{"phone_number": ADA}, {"phone_number": GRACE}]
    )
    added = ParticipantsUpdate.model_validate(
        await directory("update_participants", group_id=group_id, action="add",
                        participants=[phone_id(LIN), phone_id(ADA), phone_id(PRIVATE),
                                      phone_id(NOBODY)])
    )  # fmt: skip
    assert [
        (r.participant, r.status, r.error.code if r.error else None) for r in added.results
    ] == [
        (phone_id(LIN), "added", None),
        (phone_id(ADA), "failed", "already_participant"),
        (phone_id(PRIVATE), "failed", "invite_required"),
        (phone_id(NOBODY), "failed", "not_on_whatsapp"),
    ]
    assert phone_id(LIN) in {p.id for p in added.group.participants}
    (asked,) = directory.calls("update_group_participants")
    assert asked["participants"] == [f"{LIN[1:]}@s.whatsapp.net", f"{PRIVATE[1:]}@s.whatsapp.net",
                                     f"{NOBODY[1:]}@s.whatsapp.net"]  # fmt: skip
    promoted = ParticipantsUpdate.model_validate(
        await directory("update_participants", group_id=group_id, action="promote",
                        participants=[ADA_LID, phone_id(PRIVATE), f"{ME}@c.us"])
    )  # fmt: skip
    assert [(r.status, r.error.code if r.error else None) for r in promoted.results] == [
        ("promoted", None),
        ("failed", "not_participant"),
        ("promoted", None),
    ]
    removed = ParticipantsUpdate.model_validate(
        await directory("update_participants", group_id=group_id, action="remove",
                        participants=[phone_id(GRACE), f"{ME}@c.us"])
    )  # fmt: skip
    assert [(r.status, r.error.code if r.error else None) for r in removed.results] == [
        ("removed", None),
        ("failed", "cannot_change_self"),
    ]


async def test_invites_preview_and_join(directory: Directory) -> None:
    group_id = await make_group(directory, participants=[{"phone_number": ADA}],
                                description="All hands")  # fmt: skip
    invite = GroupInvite.model_validate(await directory("group_invite", group_id=group_id))
    assert invite.url == f"https://chat.whatsapp.com/{invite.code}"
    revoked = GroupInvite.model_validate(
        await directory("group_invite", group_id=group_id, revoke=True)
    )
    assert revoked.code != invite.code
    for code in (invite.code, "NoSuchCode1234567890"):
        assert (await directory.fails("group_preview", code=code)).code == "invite_not_found"
        assert (await directory.fails("join_group", code=code)).code == "invite_not_found"
    await directory("leave_group", group_id=group_id)
    preview = GroupPreview.model_validate(await directory("group_preview", code=revoked.code))
    assert (preview.id, preview.subject, preview.description, preview.size) == (
        group_id, "Team", "All hands", 1,
    )  # fmt: skip
    assert (await directory.fails("group", group_id=group_id)).code == "group_not_found"
    joined = Group.model_validate(await directory("join_group", code=revoked.code))
    assert (joined.id, {p.id for p in joined.participants}) == (
        group_id, {phone_id(ADA), f"{ME}@c.us"},
    )  # fmt: skip
    network = await directory.seed["fake_group"]({"group_id": group_id})
    assert network["members"][ADA[1:]] == "admin"  # promoted when the only admin left
