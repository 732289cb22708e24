"""One Jinja environment for the whole app, with per-request translations.

Starlette 1.x wants a ready environment (`env=`). Autoescape is on; gettext callables read the
request's locale from a context variable (app.i18n), so the environment is never switched.
htmx fragments are blocks of the same page templates, rendered on their own.
"""

from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup
from starlette.responses import HTMLResponse

from app import i18n, paths
from app.web.static_files import manifest


def make_environment(templates_dir: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        # Templates change only with a deploy (a restart): no stat() of every template file
        # on every render.
        auto_reload=False,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]  # added by jinja2.ext.i18n
        i18n.gettext,
        i18n.ngettext,
        newstyle=True,
        pgettext=i18n.pgettext,
        npgettext=i18n.npgettext,
    )
    # `static_url("css/puente.css")`: the file's versioned URL (app/web/static_files.py).
    env.globals["static_url"] = manifest(paths.STATIC).url
    return env


class Renderer:
    def __init__(self, env: jinja2.Environment) -> None:
        self.env = env

    def page(self, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
        html = self.env.get_template(name).render(context)
        return HTMLResponse(html, status_code=status)

    def fragment(self, name: str, context: dict[str, Any]) -> Markup:
        """A partial rendered now (in the current locale) for a page to place as it is.

        The one place that marks rendered HTML safe: the partial was rendered with autoescape,
        so everything in it was escaped when it was built.
        """
        return Markup(self.env.get_template(name).render(context))  # noqa: S704

    def blocks(
        self, name: str, block_names: list[str], context: dict[str, Any], status: int = 200
    ) -> HTMLResponse:
        """Only the named blocks of a page template, in order: the htmx fragment of a step."""
        template = self.env.get_template(name)
        jinja_context = template.new_context(context)
        html = "".join("".join(template.blocks[block](jinja_context)) for block in block_names)
        return HTMLResponse(html, status_code=status)
