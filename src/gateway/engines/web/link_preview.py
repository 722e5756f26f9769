"""Link previews of outbound texts, fetched by the host through the SSRF guard.

A WhatsApp link preview (title, description, thumbnail) is built by the sender: the
sending client fetches the page. neonize's own builder fetches it from the child with no
guard, so a customer's text could make the gateway read its own network. Here the host
fetches the page and its image through ``kit.safehttp`` (every hop checked, one short
deadline, sizes capped), parses the page with the standard library, and hands the child
only what to build from. A preview is a courtesy: whatever stops it (a refused address, a
timeout, a page that is not HTML or is too large) raises ``PreviewUnavailable``, and the
text goes without one.
"""

from __future__ import annotations

import asyncio
import codecs
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin

from gateway.kit import safehttp
from gateway.kit.errors import InvalidRequest

# The first http(s) link of a text, as WhatsApp's clients find it; punctuation that ends
# a sentence is not part of the link ("see https://example.com.").
_LINK = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_TRAILING = ".,;:!?'\")]}"
# Enough for the <head> of nearly every page; a page past it goes without a preview.
PAGE_MAX_BYTES = 1_000_000
IMAGE_MAX_BYTES = 2_000_000
# For the page and its image together: the send waits for it.
FETCH_TIMEOUT_SECONDS = 5.0
TITLE_MAX_CHARS = 300
DESCRIPTION_MAX_CHARS = 1000
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_TITLE_KEYS = ("og:title", "twitter:title")
_DESCRIPTION_KEYS = ("og:description", "twitter:description", "description")
_IMAGE_KEYS = ("og:image", "og:image:url", "og:image:secure_url", "twitter:image")


class PreviewUnavailable(Exception):
    """Why a link has no preview: ``reason`` a short code for the log, ``detail`` words."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class LinkPreview:
    url: str  # as it stands in the text: WhatsApp matches it there (``matchedText``)
    title: str
    description: str
    image: bytes | None  # the page's image, as fetched; the child makes the thumbnails
    image_skipped: str | None = None  # why the page's image is not there, when it has one


@dataclass(frozen=True)
class PageMeta:
    title: str
    description: str
    image_url: str | None


def first_link(text: str) -> str | None:
    """The text's first http(s) link, without the punctuation closing a sentence."""
    match = _LINK.search(text)
    if match is None:
        return None
    link = match.group(0).rstrip(_TRAILING)
    return link if len(link) > len("https://") else None


class _StopParsing(Exception):
    pass


class _HeadParser(HTMLParser):
    """Collects the ``<meta>`` tags (Open Graph, Twitter cards, description) and the
    ``<title>`` text of a page's head; the first of each wins, as with other parsers."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.title: list[str] = []
        self._in_title = False
        self._title_done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title" and not self._title_done:
            self._in_title = True
        elif tag == "meta":
            found = dict(attrs)
            key = (found.get("property") or found.get("name") or "").strip().lower()
            content = found.get("content")
            if key and content and key not in self.meta:
                self.meta[key] = content
        elif tag == "body":
            raise _StopParsing

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self._in_title:
            self._in_title, self._title_done = False, True
        elif tag == "head":
            raise _StopParsing

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)


def _clean(text: str, limit: int) -> str:
    text = _SPACES.sub(" ", text).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _decoded(page: bytes) -> str:
    """The page's text in the charset its ``<meta>`` names, else UTF-8 (what the web
    mostly is); undecodable bytes become replacement characters."""
    if page.startswith(codecs.BOM_UTF8):
        return page[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if (declared := _CHARSET.search(page[:4096])) is not None:
        try:
            return page.decode(declared.group(1).decode("ascii"), errors="replace")
        except LookupError:  # no such charset, or not one of text (``rot13``)
            pass
    return page.decode("utf-8", errors="replace")


def page_meta(page: bytes, url: str) -> PageMeta:
    """Title, description and image URL of an HTML page: its Open Graph tags, else its
    Twitter card's, else its ``<title>`` and description; the image URL made absolute
    against ``url``."""
    parser = _HeadParser()
    try:
        parser.feed(_decoded(page))
        parser.close()
    except _StopParsing:
        pass

    def first(keys: tuple[str, ...]) -> str:
        return next((parser.meta[k] for k in keys if parser.meta.get(k, "").strip()), "")

    title = first(_TITLE_KEYS) or "".join(parser.title)
    image = first(_IMAGE_KEYS).strip()
    return PageMeta(
        title=_clean(title, TITLE_MAX_CHARS),
        description=_clean(first(_DESCRIPTION_KEYS), DESCRIPTION_MAX_CHARS),
        image_url=urljoin(url, image) if image else None,
    )


async def fetch_preview(
    url: str,
    *,
    allow_private: bool,
    timeout: float | None = None,  # noqa: ASYNC109 - the fetches' own deadline
    page_max_bytes: int | None = None,
    image_max_bytes: int | None = None,
) -> LinkPreview:
    """The preview of ``url``: the page fetched through the SSRF guard and parsed, and its
    image fetched the same way within what is left of ``timeout`` (by default
    ``FETCH_TIMEOUT_SECONDS``; the caps ``PAGE_MAX_BYTES`` and ``IMAGE_MAX_BYTES``).

    Raises ``PreviewUnavailable`` when there is none: the page is refused, unreachable,
    slow, too large, not HTML, or has no title nor description. An image that cannot be
    had only leaves the preview without a thumbnail."""
    # Read at each call rather than bound as defaults: a process (a test) may change them.
    timeout = FETCH_TIMEOUT_SECONDS if timeout is None else timeout
    page_max_bytes = PAGE_MAX_BYTES if page_max_bytes is None else page_max_bytes
    image_max_bytes = IMAGE_MAX_BYTES if image_max_bytes is None else image_max_bytes
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    try:
        page = await safehttp.fetch(
            url, allow_private=allow_private, max_bytes=page_max_bytes, timeout=timeout
        )
    except InvalidRequest as exc:  # url_not_allowed, url_unreachable, media_too_large …
        raise PreviewUnavailable(exc.code, exc.message) from None
    if page.content_type not in HTML_TYPES:
        raise PreviewUnavailable("not_html", f"The page is {page.content_type or 'untyped'}.")
    # Parsing a large page is CPU work the event loop should not wait on.
    meta = await asyncio.to_thread(page_meta, page.content, url)
    if not meta.title and not meta.description:
        raise PreviewUnavailable("no_title", "The page has no title nor description.")
    image, skipped = None, None
    if meta.image_url is not None:
        try:
            image = await _image(
                meta.image_url, allow_private, deadline - loop.time(), image_max_bytes
            )
        except PreviewUnavailable as exc:  # the preview still shows its title and description
            skipped = str(exc)
    return LinkPreview(
        url=url, title=meta.title, description=meta.description, image=image,
        image_skipped=skipped,
    )  # fmt: skip


async def _image(url: str, allow_private: bool, left: float, max_bytes: int) -> bytes:
    if left <= 0:
        raise PreviewUnavailable("url_unreachable", "No time was left to fetch the image.")
    try:
        image = await safehttp.fetch(
            url, allow_private=allow_private, max_bytes=max_bytes, timeout=left
        )
    except InvalidRequest as exc:
        raise PreviewUnavailable(exc.code, exc.message) from None
    if not (image.content_type or "").startswith("image/"):
        raise PreviewUnavailable("not_an_image", f"The image is {image.content_type or 'untyped'}.")
    return image.content
