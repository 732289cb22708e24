"""Redirects that work for plain forms (303, Post/Redirect/Get) and for htmx (HX-Redirect), and
the JSON API's error body."""

from fastapi import Request
from starlette.responses import JSONResponse, RedirectResponse, Response


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def see_other(request: Request, path: str) -> Response:
    if is_htmx(request):
        return Response(status_code=200, headers={"HX-Redirect": path})
    return RedirectResponse(path, status_code=303)


def json_error(status: int, code: str, detail: str) -> JSONResponse:
    """The JSON API's error (DESIGN.md, JSON API v1): `detail` in the session's language."""
    return JSONResponse({"detail": detail, "code": code}, status_code=status)
