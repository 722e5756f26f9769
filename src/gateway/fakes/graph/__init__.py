"""A fake of Meta's WhatsApp Cloud API (Graph API), following Meta's published wire format.

``FakeGraph`` holds the state; ``create_app(fake)`` serves it over HTTP (any ``v<major>.<minor>``
version in the path); ``gateway fake-graph`` runs it with one demo number.

Magic recipients (like Stripe's test cards). ``to`` = ``1555`` + mode + code on six digits;
mode ``0`` answers the error on the POST, mode ``1`` answers 200 and then sends a ``failed``
status webhook carrying the error. Any code of ``errors.CATALOGUE`` works; the usual ones:

===========  ===========  ====  ======  =========================================================
sync ``to``  async ``to``  HTTP  code    message (error_data.details as Meta words it)
===========  ===========  ====  ======  =========================================================
15550130429  15551130429  400   130429  (#130429) Rate limit hit (throughput reached)
15550080007  15551080007  400   80007   (#80007) Rate limit issues (WABA rate limit)
15550131056  15551131056  400   131056  (#131056) (Business Account, Consumer Account) pair
                                        rate limit hit
15550131047  15551131047  400   131047  (#131047) Re-engagement message (more than 24 hours)
15550131026  15551131026  400   131026  (#131026) Message Undeliverable
15550131051  15551131051  400   131051  (#131051) Unsupported message type
15550131008  15551131008  400   131008  (#131008) Required parameter is missing
15550131009  15551131009  400   131009  (#131009) Parameter value is not valid
15550000100  15551000100  400   100     (#100) Invalid parameter
15550000190  -            401   190     Error validating access token: Session has expired
                                        (error_subcode 463)
15550000001  -            500   1       An unknown error occurred
15550000002  -            503   2       Service temporarily unavailable
15550131000  15551131000  500   131000  (#131000) Something went wrong
15550131016  -            503   131016  (#131016) Service unavailable
15559000000  -            -     -       never answers until ``hang_seconds`` (120) pass or the
                                        fake closes; then 503, code 2
===========  ===========  ====  ======  =========================================================

Every error is Graph's envelope ``{"error": {"message", "type": "OAuthException", "code",
"error_data": {"messaging_product": "whatsapp", "details"}, "error_subcode"?, "fbtrace_id"}}``.
``POST /_fake/failures {"to", "code", "times": 3, "mode": "sync"|"async"}`` makes the next
``times`` sends to any recipient fail with ``code``, then succeed (scripted failures are used
before the magic table).
"""

from gateway.fakes.graph.app import create_app
from gateway.fakes.graph.errors import CATALOGUE, GraphError
from gateway.fakes.graph.fake import FakeGraph
from gateway.fakes.graph.magic import HANGS, magic_number
from gateway.fakes.graph.notify import signature
from gateway.fakes.graph.state import FakeNumber, Notification, SentMessage, Template

__all__ = [
    "CATALOGUE",
    "HANGS",
    "FakeGraph",
    "FakeNumber",
    "GraphError",
    "Notification",
    "SentMessage",
    "Template",
    "create_app",
    "magic_number",
    "signature",
]
