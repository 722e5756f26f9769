"""What the fake Graph API holds: numbers and their tokens, sends, media, templates, failures.

Everything is mutated from the event loop between awaits, so a route never sees half an
update and no lock is needed.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

# Meta opens every WABA with this sample template; seeding it lets a template send work
# before the developer has created one.
HELLO_WORLD_COMPONENTS: list[dict[str, Any]] = [
    {"type": "HEADER", "format": "TEXT", "text": "Hello World"},
    {
        "type": "BODY",
        "text": "Welcome and congratulations!! This message demonstrates your ability to send "
        "a WhatsApp message notification from the Cloud API, hosted by Meta. Thank you for "
        "taking the time to test with us.",
    },
    {"type": "FOOTER", "text": "WhatsApp Business Platform sample message"},
]

PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")


def numeric_id(digits: int = 15) -> str:
    """A Graph object id: a string of digits that does not start with 0."""
    return str(secrets.randbelow(9 * 10 ** (digits - 1)) + 10 ** (digits - 1))


@dataclass
class FakeNumber:
    phone_number_id: str
    waba_id: str
    display_phone_number: str
    verified_name: str
    quality_rating: str
    access_token: str
    app_secret: str
    verify_token: str


@dataclass
class SentMessage:
    wamid: str
    phone_number_id: str
    to: str
    body: dict[str, Any]
    at: float
    # "accepted" until a status webhook says otherwise (sent, delivered, read, failed).
    status: str = "accepted"

    @property
    def callback_data(self) -> str | None:
        value = self.body.get("biz_opaque_callback_data")
        return value if isinstance(value, str) else None


@dataclass(frozen=True)
class ReadReceipt:
    phone_number_id: str
    message_id: str
    typing_indicator: bool
    at: float


@dataclass
class StoredMedia:
    id: str
    phone_number_id: str
    mime_type: str
    data: bytes
    filename: str | None = None
    url_hash: str = field(default_factory=lambda: secrets.token_urlsafe(12))

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass
class Template:
    id: str
    waba_id: str
    name: str
    language: str
    category: str
    components: list[dict[str, Any]]
    status: str = "PENDING"
    parameter_format: str = "POSITIONAL"

    def as_graph(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "parameter_format": self.parameter_format,
            "components": self.components,
            "language": self.language,
            "status": self.status,
            "category": self.category,
            "id": self.id,
        }

    def expected_params(self) -> dict[str, int]:
        """Parameters a send must give per component (``header``, ``body``)."""
        expected: dict[str, int] = {}
        for component in self.components:
            kind = str(component.get("type", "")).lower()
            if kind not in ("header", "body"):
                continue
            if kind == "header" and component.get("format", "TEXT") != "TEXT":
                expected[kind] = 1  # an image, video or document header takes its media
            else:
                expected[kind] = len(set(PLACEHOLDER.findall(str(component.get("text", "")))))
        return expected


@dataclass
class Notification:
    """One webhook POST the fake made (or could not make), with every attempt's outcome."""

    url: str | None
    payload: dict[str, Any]
    body: bytes
    signature: str
    # HTTP status per attempt, or the exception's name when the request did not complete.
    attempts: list[int | str] = field(default_factory=list)

    @property
    def status(self) -> int | None:
        last = self.attempts[-1] if self.attempts else None
        return last if isinstance(last, int) else None

    @property
    def delivered(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


FailureMode = Literal["sync", "async"]


@dataclass
class ScriptedFailure:
    code: int
    times: int
    mode: FailureMode = "sync"
    details: str | None = None


@dataclass
class GraphState:
    numbers: dict[str, FakeNumber] = field(default_factory=dict)
    webhook_urls: dict[str, str] = field(default_factory=dict)  # app secret -> URL
    sent: list[SentMessage] = field(default_factory=list)
    inbound: list[dict[str, Any]] = field(default_factory=list)
    reads: list[ReadReceipt] = field(default_factory=list)
    media: dict[str, StoredMedia] = field(default_factory=dict)
    templates: dict[str, Template] = field(default_factory=dict)
    notifications: list[Notification] = field(default_factory=list)
    failures: dict[str, list[ScriptedFailure]] = field(default_factory=dict)  # digits -> queue

    def add_number(
        self,
        *,
        phone_number_id: str | None = None,
        waba_id: str | None = None,
        display_phone_number: str | None = None,
        verified_name: str = "Fake Business",
        quality_rating: str = "GREEN",
        access_token: str | None = None,
        app_secret: str | None = None,
        verify_token: str | None = None,
    ) -> FakeNumber:
        number = FakeNumber(
            phone_number_id=phone_number_id or numeric_id(),
            waba_id=waba_id or numeric_id(),
            display_phone_number=display_phone_number or f"1555{secrets.randbelow(10**7):07d}",
            verified_name=verified_name,
            quality_rating=quality_rating,
            access_token=access_token or "EAAG" + secrets.token_urlsafe(48),
            app_secret=app_secret or secrets.token_hex(16),
            verify_token=verify_token or secrets.token_urlsafe(16),
        )
        self.numbers[number.phone_number_id] = number
        if not any(t.waba_id == number.waba_id for t in self.templates.values()):
            self.add_template(
                number.waba_id, "hello_world", "en_US", "UTILITY", HELLO_WORLD_COMPONENTS
            ).status = "APPROVED"
        return number

    def numbers_of_token(self, token: str) -> list[FakeNumber]:
        return [n for n in self.numbers.values() if secrets.compare_digest(n.access_token, token)]

    def number_of_waba(self, waba_id: str) -> FakeNumber | None:
        return next((n for n in self.numbers.values() if n.waba_id == waba_id), None)

    def add_template(
        self,
        waba_id: str,
        name: str,
        language: str,
        category: str,
        components: list[dict[str, Any]],
        parameter_format: str = "POSITIONAL",
    ) -> Template:
        template = Template(
            numeric_id(), waba_id, name, language, category, components, "PENDING", parameter_format
        )
        self.templates[template.id] = template
        return template

    def find_template(self, waba_id: str, name: str, language: str | None) -> list[Template]:
        return [
            t
            for t in self.templates.values()
            if t.waba_id == waba_id and t.name == name and language in (None, t.language)
        ]

    def knows_message(self, wamid: str) -> bool:
        return any(m.wamid == wamid for m in self.sent) or any(
            m.get("id") == wamid for m in self.inbound
        )

    def script_failure(
        self,
        to: str,
        code: int,
        times: int = 1,
        mode: FailureMode = "sync",
        details: str | None = None,
    ) -> None:
        """Make the next ``times`` sends to ``to`` fail with ``code``, then succeed again."""
        queue = self.failures.setdefault(digits_of(to), [])
        queue.append(ScriptedFailure(code, times, mode, details))

    def take_failure(self, to: str) -> ScriptedFailure | None:
        queue = self.failures.get(digits_of(to))
        if not queue:
            return None
        failure = queue[0]
        failure.times -= 1
        if failure.times <= 0:
            queue.pop(0)
        return failure

    def count_by_callback(self, data: str) -> int:
        """Accepted sends carrying ``biz_opaque_callback_data == data`` (duplicates show as 2+)."""
        return Counter(m.callback_data for m in self.sent)[data]

    def message(self, wamid: str) -> SentMessage | None:
        return next((m for m in self.sent if m.wamid == wamid), None)


def digits_of(value: str) -> str:
    return "".join(c for c in value if c.isdigit())


def unix_now() -> str:
    return str(int(time.time()))
