"""Redirects that work for plain forms (303, Post/Redirect/Get) and for htmx (HX-Redirect)."""

from fastapi import Request
from starlette.responses import RedirectResponse, Response


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def see_other(request: Request, path: str) -> Response:
    if is_htmx(request):
        return Response(status_code=200, headers={"HX-Redirect": path})
    return RedirectResponse(path, status_code=303)
