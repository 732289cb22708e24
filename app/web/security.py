"""CSRF tokens and cross-site request checks, shared by every form and htmx POST.

A token is an HMAC of the respondent's session id (or a fixed purpose before a session exists)
under the server secret, so it needs no storage and another session's token never fits.
Requests that a browser marks as cross-site, or whose Origin is not ours, are refused first.
"""

import hmac
from urllib.parse import quote

from starlette.requests import HTTPConnection, Request


def csrf_token(secret: str, bound_to: str) -> str:
    # hmac.digest: the same HMAC-SHA256 in one call to OpenSSL, without an HMAC object.
    return hmac.digest(secret.encode(), f"csrf:{bound_to}".encode(), "sha256").hex()[:32]


def csrf_valid(secret: str, bound_to: str, submitted: str | None) -> bool:
    return bool(submitted) and hmac.compare_digest(csrf_token(secret, bound_to), submitted or "")


def is_cross_site(request: Request) -> bool:
    """True when the browser says the request came from another site."""
    if request.headers.get("sec-fetch-site") == "cross-site":
        return True
    origin = request.headers.get("origin")
    if origin is None:  # not sent by non-browser clients; the CSRF token still applies
        return False
    if origin == "null":
        # Under `Referrer-Policy: no-referrer` browsers send `Origin: null` with a plain form
        # POST, even from our own page. Fetch metadata then tells where it came from; a
        # browser too old to send it is still held to the CSRF token.
        return request.headers.get("sec-fetch-site") not in (None, "same-origin", "none")
    own = f"{request.url.scheme}://{request.url.netloc}"
    return origin != own


def local_path(candidate: str | None, default: str = "/") -> str:
    """`candidate` if it is a path on this site, else `default` (security.md R5.4).

    Only route keys should reach here; this is the second line of defence: a single leading
    slash, no scheme, no host, no backslash, no control or percent-encoded characters.
    """
    if not candidate or len(candidate) > 200:
        return default
    if not candidate.startswith("/") or candidate.startswith(("//", "/\\")):
        return default
    if any(ch in candidate for ch in "\\%@") or any(ord(ch) < 0x21 for ch in candidate):
        return default
    return candidate


def this_page(request: HTTPConnection) -> str:
    """The path of this request, fit to link to from its own page (the language links), or
    "/" when it is not a plain local path (F7: `//host`, `/%2F%2Fhost`, `/%09/host`, `/\\host`).

    Starlette's `request.url.path` is rebuilt by a URL parser that drops tabs and reads a
    doubled slash as a host, so the path is taken as the server decoded it, checked with
    `local_path`, and percent-encoded again, so that nothing in it (`?`, `#`, a space) is read
    as anything but the path.
    """
    path = local_path(request.scope.get("path"))
    return quote(path)


def route_for(key: str | None, routes: dict[str, str], default: str) -> str:
    """A redirect target chosen by a route key (`?next=stats`), never by a URL."""
    return local_path(routes.get(key or "", default), default)


def form_accepted(request: Request, secret: str, bound_to: str, submitted: object) -> bool:
    """A posted form is accepted when it comes from our own site and carries a valid token."""
    token = submitted if isinstance(submitted, str) else None
    return not is_cross_site(request) and csrf_valid(secret, bound_to, token)
