"""The API reference pages, Swagger UI at ``/docs`` and ReDoc at ``/redoc``, that work offline.

FastAPI's own pages load their script and stylesheet from a public CDN, so on a machine
without internet they are blank. These pages load every asset (scripts, stylesheet, favicon)
from the gateway itself, out of the pinned ``fastapi-offline`` package (Swagger UI 5, ReDoc 2),
and load nothing from another host: Swagger UI's validator badge is off (``validatorUrl:
null``), ReDoc is given no web fonts, and the one image ReDoc's bundle loads from its CDN (the
Redocly logo of its footer) is replaced, as the bundle is served, by an empty inline image.

Each page is sent with a strict Content-Security-Policy: scripts, styles, images and
connections come from the gateway alone. The one inline script, which starts the viewer, and
the styles ReDoc writes into the page at run time carry a nonce made for that response; ReDoc
writes some of those as its bundle runs, before any option can hand it the nonce, so the
bundle served takes the nonce of its own ``<script>`` element (webpack's ``__webpack_nonce__``,
set where its runtime starts). ReDoc's search runs in a worker that it creates from a
``blob:`` URL, which the ReDoc page allows.

The routes are not operations of the API: none appears in the OpenAPI document.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import fastapi_offline
from fastapi import APIRouter, HTTPException, Request
from fastapi.openapi.docs import swagger_ui_default_parameters
from fastapi.responses import HTMLResponse, Response

DOCS_PATH = "/docs"
REDOC_PATH = "/redoc"
ASSETS_PATH = "/docs/assets"

# The files of the package served, by name, and their media types: only these.
_STATIC = Path(fastapi_offline.__file__).parent / "static"
ASSETS = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "redoc.standalone.js": "text/javascript; charset=utf-8",
    "favicon.png": "image/png",
}

# The changes made to a bundle as it is served: each text must be there exactly once.
BLANK_IMAGE = b"data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"
PATCHES: dict[str, list[tuple[bytes, bytes]]] = {
    "redoc.standalone.js": [
        (b"https://cdn.redoc.ly/redoc/logo-mini.svg", BLANK_IMAGE),
        (
            b"n.nc=void 0;",
            b"n.nc=document.currentScript&&document.currentScript.nonce||void 0;",
        ),
    ],
}


@dataclass(frozen=True)
class Asset:
    body: bytes
    media_type: str
    etag: str


@cache
def asset(name: str) -> Asset:
    """The file as served, patched; read on first use and kept."""
    body = (_STATIC / name).read_bytes()
    for old, new in PATCHES.get(name, []):
        if body.count(old) != 1:
            raise RuntimeError(
                f"fastapi-offline's {name} changed: {old!r} is not in it exactly once; "
                "update PATCHES in gateway/kit/docs_pages.py"
            )
        body = body.replace(old, new)
    return Asset(body, ASSETS[name], '"' + hashlib.sha256(body).hexdigest()[:32] + '"')


# Swagger UI's options: FastAPI's defaults, then these, then the app's
# ``swagger_ui_parameters``; ``validatorUrl`` is always null (the badge is an external image).
SWAGGER_DEFAULTS: dict[str, Any] = {
    **swagger_ui_default_parameters,
    "requestSnippetsEnabled": True,
}

# Headers of both pages; each adds its Content-Security-Policy.
_PAGE_HEADERS = {
    "Cache-Control": "no-store",  # the nonce is for this response only
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}

router = APIRouter(include_in_schema=False)


def content_security_policy(nonce: str, *, workers: str = "'none'") -> str:
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src 'self' 'nonce-{nonce}'",
            f"style-src 'self' 'nonce-{nonce}'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            f"worker-src {workers}",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def _script_json(value: Any) -> str:
    """``value`` as JavaScript inside a ``<script>``: no ``</script>`` or ``<!--`` can close
    or change it, whatever the strings hold."""
    text = json.dumps(value, ensure_ascii=False)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _html_text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _urls(request: Request) -> tuple[str, str]:
    """The OpenAPI document's and the assets' URLs, below the app's root path."""
    root = request.scope.get("root_path", "").rstrip("/")
    return f"{root}{request.app.openapi_url}", f"{root}{ASSETS_PATH}"


def _page(title: str, assets: str, head: str, body: str) -> str:
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_html_text(title)}</title>
<link rel="icon" type="image/png" href="{assets}/favicon.png">
{head}
</head>
<body>
{body}
</body>
</html>
"""


@router.get(DOCS_PATH, response_class=HTMLResponse)
async def swagger_ui_page(request: Request) -> HTMLResponse:
    openapi_url, assets = _urls(request)
    nonce = secrets.token_urlsafe(18)
    options = {
        **SWAGGER_DEFAULTS,
        **(request.app.swagger_ui_parameters or {}),
        "url": openapi_url,
        "validatorUrl": None,
    }
    html = _page(
        f"{request.app.title} - Swagger UI",
        assets,
        f'<link rel="stylesheet" href="{assets}/swagger-ui.css">',
        f"""<div id="swagger-ui"></div>
<script src="{assets}/swagger-ui-bundle.js"></script>
<script nonce="{nonce}">
window.ui = SwaggerUIBundle(Object.assign({_script_json(options)}, {{
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
}}));
</script>""",
    )
    headers = {**_PAGE_HEADERS, "Content-Security-Policy": content_security_policy(nonce)}
    return HTMLResponse(html, headers=headers)


@router.get(REDOC_PATH, response_class=HTMLResponse)
async def redoc_page(request: Request) -> HTMLResponse:
    openapi_url, assets = _urls(request)
    nonce = secrets.token_urlsafe(18)
    # ReDoc gives its <style> elements the nonce: the bundle's script element's as it loads
    # (PATCHES), then the one handed to it here.
    options = {"nonce": nonce}
    html = _page(
        f"{request.app.title} - ReDoc",
        assets,
        f'<style nonce="{nonce}">body {{ margin: 0; padding: 0; }}</style>',
        f"""<div id="redoc"></div>
<script src="{assets}/redoc.standalone.js" nonce="{nonce}"></script>
<script nonce="{nonce}">
Redoc.init({_script_json(openapi_url)}, {_script_json(options)}, document.getElementById("redoc"));
</script>""",
    )
    headers = {
        **_PAGE_HEADERS,
        "Content-Security-Policy": content_security_policy(nonce, workers="blob:"),
    }
    return HTMLResponse(html, headers=headers)


@router.get(ASSETS_PATH + "/{name}")
async def docs_asset(name: str, request: Request) -> Response:
    if name not in ASSETS:
        raise HTTPException(404, "Not Found")
    found = asset(name)
    # Revalidated by ETag: an upgraded package is picked up at once.
    headers = {
        "ETag": found.etag,
        "Cache-Control": "no-cache",
        "X-Content-Type-Options": "nosniff",
    }
    if found.etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(found.body, media_type=found.media_type, headers=headers)
