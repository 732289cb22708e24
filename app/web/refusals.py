"""The answer to a failed guard (`Refused`, app.web.deps), the same as each handler gave before:
the refusal page, a redirect (303, or HX-Redirect for htmx), or the API's JSON error."""

from fastapi import Request
from starlette.responses import Response

from app.i18n import gettext as _
from app.web import messages
from app.web.context import page_context, staff_context
from app.web.deps import Refused, app_state
from app.web.responses import json_error, see_other

REDIRECTS = {"expired": "/?expired=1", "unfinished": "/q"}


def refusal_response(request: Request, refused: Refused) -> Response:
    if refused.kind == "api":
        return json_error(refused.status, refused.code, refused.detail)
    if refused.kind in REDIRECTS:
        return see_other(request, REDIRECTS[refused.kind])
    if refused.kind == "staff_sign_in":
        suffix = f"?next={refused.next_key}" if refused.next_key else ""
        return see_other(request, f"/staff/login{suffix}")
    renderer = app_state(request).renderer
    if refused.kind == "forged":
        context = page_context(request, message=messages.request_rejected())
        return renderer.page("error.html", context, status=403)
    if refused.kind == "staff_forged":
        message = messages.request_rejected()
    else:
        message = _("You cannot do this with your account.")
    return renderer.page("staff/message.html", staff_context(request, None, message=message), 403)
