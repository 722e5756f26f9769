"""Link previews of the web engine's texts: the page and its image fetched by the host
through the SSRF guard from a real HTTP server on 127.0.0.1, and what then reaches (fake)
WhatsApp through the session's child; a preview that cannot be had never stops a text."""

from __future__ import annotations

import base64
import dataclasses
import io
from collections.abc import AsyncIterator, Iterator

import pytest
import structlog.testing
from PIL import Image

from gateway.engines.base import EngineResources
from gateway.engines.web import link_preview, messaging
from gateway.engines.web.engine import WebEngine
from gateway.engines.web.link_preview import (
    PreviewUnavailable,
    fetch_preview,
    first_link,
    page_meta,
)
from tests.engines.web.test_engine import linked, running, web_engine
from tests.engines.web.test_engine import resources as resources  # the fixture
from tests.engines.web.test_messaging import calls, outbound, the_one_sent
from tests.local_http import LocalServer, Recorded, Reply, serving

ARTICLE = b"""<!doctype html><html><head><meta charset="utf-8">
<title>Ignored when og:title is there</title>
<meta property="og:title" content="Ships &amp; harbours">
<meta property="og:description" content="  A history\n of the port.  ">
<meta property="og:image" content="/og.png">
</head><body><meta property="og:title" content="not in the head"></body></html>"""
PLAIN = b"<html><head><title>\n  Just a title </title></head><body>hello</body></html>"


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "navy").save(out, format="PNG")
    return out.getvalue()


HTML = {"Content-Type": "text/html; charset=utf-8"}
ROUTES = {
    "/article": Reply(body=ARTICLE, headers=HTML),
    "/og.png": Reply(body=png(1200, 630), headers={"Content-Type": "image/png"}),
    "/plain": Reply(body=PLAIN, headers=HTML),
    "/pdf": Reply(body=b"%PDF-1.7", headers={"Content-Type": "application/pdf"}),
    "/huge": Reply(body=b"<p>" + b"x" * 1021, headers=HTML, repeat=2048, content_length=False),
}


@pytest.fixture
def site() -> Iterator[LocalServer]:
    def slow(_: Recorded) -> Reply:
        server.release.wait(10)  # answers when the test is over
        return Reply(body=PLAIN, headers=HTML)

    with serving({**ROUTES, "/slow": slow}) as server:
        yield server


@pytest.fixture
async def engine(resources: EngineResources) -> AsyncIterator[WebEngine]:
    engine, events = web_engine(resources, auto_link=True)
    async with running(engine):
        await linked(events)
        yield engine


# -- finding the link and reading the page ------------------------------------------------


def test_the_first_link_without_the_punctuation_that_ends_the_sentence() -> None:
    assert first_link("see https://example.com/a?b=1. and http://x.test") == (
        "https://example.com/a?b=1"
    )
    assert first_link("(https://example.com/path)") == "https://example.com/path"
    assert first_link("no link, www.example.com, or https://") is None


def test_open_graph_tags_win_over_the_title_and_the_image_is_made_absolute() -> None:
    meta = page_meta(ARTICLE, "http://site.test/news/article")
    assert meta == link_preview.PageMeta(
        title="Ships & harbours", description="A history of the port.",
        image_url="http://site.test/og.png",
    )  # fmt: skip


def test_a_page_in_another_charset_and_one_without_tags() -> None:
    latin = '<meta charset="iso-8859-1"><title>Caf\xe9</title>'.encode("latin-1")
    assert page_meta(latin, "http://x.test/").title == "Café"
    assert page_meta(b"<p>nothing</p>", "http://x.test/") == link_preview.PageMeta("", "", None)


# -- fetching, through the guard -----------------------------------------------------------


async def test_a_page_with_open_graph_tags_and_its_image(site: LocalServer) -> None:
    found = await fetch_preview(site.url("/article"), allow_private=True)
    assert (found.url, found.title, found.description) == (
        site.url("/article"), "Ships & harbours", "A history of the port.",
    )  # fmt: skip
    assert found.image == ROUTES["/og.png"].body  # type: ignore[union-attr]
    assert found.image_skipped is None


async def test_a_page_whose_image_is_too_large_keeps_its_title(site: LocalServer) -> None:
    found = await fetch_preview(site.url("/article"), allow_private=True, image_max_bytes=100)
    assert (found.title, found.image) == ("Ships & harbours", None)
    assert str(found.image_skipped).startswith("media_too_large:")


@pytest.mark.parametrize(
    ("path", "limits", "reason"),
    [
        ("/pdf", {}, "not_html"),
        ("/huge", {"page_max_bytes": 100_000}, "media_too_large"),
        ("/slow", {"timeout": 0.3}, "url_unreachable"),
        ("/missing", {}, "url_unreachable"),
    ],
)
async def test_no_preview_of_what_is_not_a_page_or_too_large_slow_or_gone(
    site: LocalServer, path: str, limits: dict[str, float], reason: str
) -> None:
    with pytest.raises(PreviewUnavailable) as exc:
        await fetch_preview(site.url(path), allow_private=True, **limits)  # type: ignore[arg-type]
    assert exc.value.reason == reason


async def test_a_private_address_is_refused_before_anything_is_fetched(
    site: LocalServer,
) -> None:
    with pytest.raises(PreviewUnavailable) as exc:
        await fetch_preview(site.url("/article"), allow_private=False)
    assert exc.value.reason == "url_not_allowed"
    for metadata in ("http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/"):
        with pytest.raises(PreviewUnavailable) as exc:
            await fetch_preview(metadata, allow_private=True)
        assert exc.value.reason == "url_not_allowed"
    assert site.requests == []


# -- what reaches WhatsApp -----------------------------------------------------------------


def jpeg_size(b64: str) -> tuple[int, int]:
    with Image.open(io.BytesIO(base64.b64decode(b64))) as picture:
        assert picture.format == "JPEG"
        return picture.size


async def test_a_text_with_a_link_goes_with_the_pages_preview_and_thumbnail(
    engine: WebEngine, site: LocalServer
) -> None:
    link = site.url("/article")
    answer = await engine.send(outbound("text", text=f"Look: {link}.", link_preview=True))
    extended = (await the_one_sent(engine, answer))["message"]["extendedTextMessage"]
    inline = extended.pop("JPEGThumbnail")
    assert jpeg_size(inline) == (192, 101)
    uploaded_sha = base64.b64decode(extended.pop("thumbnailSHA256"))
    assert extended.pop("thumbnailDirectPath") == f"/v/t62.7118-24/{uploaded_sha.hex()[:24]}.enc"
    assert len(base64.b64decode(extended.pop("thumbnailEncSHA256"))) == 32
    assert len(base64.b64decode(extended.pop("mediaKey"))) == 32
    assert int(extended.pop("mediaKeyTimestamp")) > 0
    assert extended == {
        "text": f"Look: {link}.", "matchedText": link, "title": "Ships & harbours",
        "description": "A history of the port.", "previewType": "NONE",
        "thumbnailWidth": 800, "thumbnailHeight": 420,
    }  # fmt: skip
    assert [u["media_type"] for u in await calls(engine, "upload")] == ["MediaLinkThumbnail"]
    assert engine._workdir is not None
    assert not [p for p in engine._workdir.iterdir() if p.name.startswith("preview-")]


async def test_a_page_without_tags_is_previewed_by_its_title(
    engine: WebEngine, site: LocalServer
) -> None:
    link = site.url("/plain")
    answer = await engine.send(outbound("text", text=link, link_preview=True))
    assert (await the_one_sent(engine, answer))["message"] == {
        "extendedTextMessage": {
            "text": link, "matchedText": link, "title": "Just a title", "description": "",
            "previewType": "NONE",
        }
    }  # fmt: skip
    assert await calls(engine, "upload") == []


async def test_no_preview_is_fetched_when_the_text_asks_for_none(
    engine: WebEngine, site: LocalServer
) -> None:
    link = site.url("/article")
    answer = await engine.send(outbound("text", text=link, link_preview=False))
    assert (await the_one_sent(engine, answer))["message"] == {"conversation": link}
    assert site.requests == []


@pytest.mark.parametrize("path", ["/slow", "/huge"])
async def test_a_slow_or_oversized_page_leaves_the_text_without_a_preview(
    engine: WebEngine, site: LocalServer, path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(link_preview, "FETCH_TIMEOUT_SECONDS", 0.3)
    monkeypatch.setattr(link_preview, "PAGE_MAX_BYTES", 100_000)
    link = site.url(path)
    answer = await engine.send(outbound("text", text=f"see {link}", link_preview=True))
    assert (await the_one_sent(engine, answer))["message"] == {"conversation": f"see {link}"}
    assert [r.path for r in site.requests] == [path]


async def test_a_private_address_is_never_fetched_and_the_text_still_goes(
    resources: EngineResources, site: LocalServer
) -> None:
    production = resources.settings.model_copy(update={"allow_private_targets": False})
    engine, events = web_engine(dataclasses.replace(resources, settings=production),
                                auto_link=True)  # fmt: skip
    async with running(engine):
        await linked(events)
        link = site.url("/article")
        answer = await engine.send(outbound("text", text=link, link_preview=True))
        assert (await the_one_sent(engine, answer))["message"] == {"conversation": link}
    assert site.requests == []


async def test_why_a_text_went_without_its_preview_is_logged(
    engine: WebEngine, site: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    logged = structlog.testing.CapturingLogger()
    monkeypatch.setattr(messaging, "log", logged)
    await engine.send(outbound("text", text=site.url("/pdf"), link_preview=True))
    [skipped] = [c for c in logged.calls if c.args == ("web.link_preview.skipped",)]
    assert skipped.method_name == "info"
    assert {k: skipped.kwargs[k] for k in ("session_id", "host", "reason")} == {
        "session_id": engine.session.id, "host": "127.0.0.1", "reason": "not_html",
    }  # fmt: skip
