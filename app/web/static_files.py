"""Static files under versioned URLs: `/static/css/puente.<hash>.css`, cached for a year.

Each file's URL carries the first 12 hex digits of its SHA-256, computed once at start-up, so a
browser (or a proxy) may keep it for a year without asking again (`immutable`): a changed file
gets a new URL with the next deploy. Pages name files through `static_url()` in templates.

Earlier URLs keep working: the plain name (`/static/css/puente.css`, in bookmarks, old cached
pages, partners' embeds) is served as it is now with `no-cache`, so it is revalidated by its
ETag on each use; a versioned URL whose hash is no longer current (a page from before a deploy)
is redirected to the current version.

Stylesheets are served without their comments and runs of spaces (`minify_css`, once at
start-up; the hash is of what is served): the comments say why a rule is there and stay in the
source, but every respondent page pays for its CSS inside the 14 KB budget (DESIGN.md), and they
were about 400 B of puente.css's 3 KB gzip.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath

from starlette._utils import get_route_path
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.types import Receive, Scope, Send

IMMUTABLE = "public, max-age=31536000, immutable"  # a year (RFC 8246)
REVALIDATE = "public, no-cache"
HASH_DIGITS = 12
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_CSS_STRING = re.compile(r"(\"[^\"]*\"|'[^']*')")
_CSS_SPACE_AROUND = re.compile(r" ?([{};,>]) ?")
_VERSIONED = re.compile(rf"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{{{HASH_DIGITS}}})(?P<suffix>\.[^./]+)$")


def versioned_name(name: str, digest: str) -> str:
    """`css/puente.css` with digest `abc...` -> `css/puente.abc....css`."""
    path = PurePosixPath(name)
    return str(path.with_name(f"{path.stem}.{digest[:HASH_DIGITS]}{path.suffix}"))


def minify_css(css: str) -> str:
    """Comments out, whitespace down to what separates tokens; quoted strings kept as written."""
    parts = _CSS_STRING.split(_CSS_COMMENT.sub("", css))
    for index in range(0, len(parts), 2):  # the odd ones are strings
        squeezed = re.sub(r"\s+", " ", parts[index])
        parts[index] = _CSS_SPACE_AROUND.sub(r"\1", squeezed).replace(": ", ":").replace(";}", "}")
    return "".join(parts).strip()


def served_bytes(path: Path) -> bytes:
    """What is sent for a file: its bytes, or a stylesheet minified."""
    if path.suffix == ".css":
        return minify_css(path.read_text(encoding="utf-8")).encode()
    return path.read_bytes()


@dataclass(frozen=True)
class StaticManifest:
    """Every file under the static folder: its current versioned name, and the way back."""

    directory: Path
    prefix: str
    current: dict[str, str]  # "css/puente.css" -> "css/puente.<hash>.css"
    files: dict[str, str]  # either name -> the plain name
    bodies: dict[str, bytes]  # plain name -> what is served, when it is not the file as it is

    def url(self, name: str) -> str:
        """The versioned URL of a file; an unknown name is a bug in a template (KeyError)."""
        return f"{self.prefix}/{self.current[name]}"


@cache
def manifest(directory: Path, prefix: str = "/static") -> StaticManifest:
    current: dict[str, str] = {}
    bodies: dict[str, bytes] = {}
    for path in sorted(directory.rglob("*")):
        if path.is_file() and not any(part.startswith(".") for part in path.parts):
            name = path.relative_to(directory).as_posix()
            body = served_bytes(path)
            if path.suffix == ".css":
                bodies[name] = body
            current[name] = versioned_name(name, hashlib.sha256(body).hexdigest())
    files = {**{name: name for name in current}, **{v: name for name, v in current.items()}}
    return StaticManifest(directory, prefix, current, files, bodies)


class VersionedStatic:
    """The ASGI app mounted at the prefix: a versioned name for a year, a plain one revalidated,
    an outdated version redirected. Only files listed at start-up are ever served, so no path
    from a request reaches the file system."""

    def __init__(self, directory: Path, prefix: str = "/static") -> None:
        self.manifest = manifest(directory, prefix)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = self.respond(scope)
        await response(scope, receive, send)

    def respond(self, scope: Scope) -> Response:
        if scope["method"] not in ("GET", "HEAD"):
            raise HTTPException(status_code=405)
        requested = get_route_path(scope).lstrip("/")
        plain = self.manifest.files.get(requested)
        if plain is not None:
            cache = IMMUTABLE if requested != plain else REVALIDATE
            path = self.manifest.directory / plain
            body = self.manifest.bodies.get(plain)
            response: Response
            if body is None:
                response = FileResponse(
                    path, headers={"Cache-Control": cache}, stat_result=path.stat()
                )
            else:  # the version is the content's hash, so it is the ETag too
                etag = f'"{self.manifest.current[plain].rsplit(".", 2)[-2]}"'
                headers = {"Cache-Control": cache, "ETag": etag}
                response = Response(body, media_type="text/css", headers=headers)
            etag = response.headers["etag"]
            if etag in Headers(scope=scope).get("if-none-match", "").replace(" ", "").split(","):
                # The browser's copy is current: no body (this is what `no-cache` asks for).
                return Response(status_code=304, headers={"ETag": etag, "Cache-Control": cache})
            return response
        outdated = _VERSIONED.match(requested)
        if outdated:
            name = f"{outdated['stem']}{outdated['suffix']}"
            if name in self.manifest.current:
                return RedirectResponse(self.manifest.url(name), status_code=302)
        raise HTTPException(status_code=404)
