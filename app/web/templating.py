"""The Jinja environments of the app, one per language, with per-request translations.

Starlette 1.x wants a ready environment (`env=`). Autoescape is on; gettext callables read the
request's locale from a context variable (app.i18n), so an environment is never switched.
htmx fragments are blocks of the same page templates, rendered on their own.

Each shipped language has an environment of its own, built at start-up and never changed, and
the renderer takes the one of the request's locale. In it, a template's constant strings
(`_("Start")`, about 300 of them) are translated once, when the template is compiled, instead of
on every render through Jinja's gettext call (docs/benchmarks.md): on a question page they were
the largest part of its rendering. Strings with values (`_("Question %(number)s", number=n)`),
plurals and everything in Python still go through the gettext callables at render time.
"""

import re
from collections.abc import Callable, Mapping, MutableMapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import jinja2
import markupsafe
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.visitor import NodeTransformer
from markupsafe import Markup
from starlette.responses import HTMLResponse

from app import i18n, paths
from app.web.block_memo import CSRF_MARK, MARKS, BlockMemo, Reused, mark
from app.web.static_files import manifest

if TYPE_CHECKING:
    from app.referrals.cards import ReferralCard

GETTEXT_NAMES = frozenset({"_", "gettext"})
_DICT_ATTRIBUTES = frozenset(dir(dict))


class Environment(jinja2.Environment):
    """Jinja's environment, with `view.name` on a plain dict looked up as the key at once.

    Jinja tries `getattr(view, "name")` first, and for a dict that raises and catches an
    AttributeError before it reads the key: about 7 microseconds on this machine, dozens of
    times per rendered step, since every view model is a dict (app/web/public/views.py). For a
    name that no dict attribute has, the result is the same either way (the key, or undefined),
    so only those names skip the attempt; `items`, `get` and the like go Jinja's way.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._compiled: dict[str, jinja2.Template] = {}

    def _load_template(
        self, name: str, globals: MutableMapping[str, Any] | None
    ) -> jinja2.Template:
        """A compiled template from a plain dict, kept for the process's life.

        Jinja's own cache is an LRU behind a lock that moves the name to the end of a deque
        (a linear `remove`) on every lookup, with a new weak reference to the loader as part
        of its key: on every page and every `{% from %}` import, about a tenth of rendering an
        answer's fragment. Templates here change only with a deploy (`auto_reload=False`) and
        are fewer than Jinja's 400, so a template once compiled is the one to use until the
        process ends. With globals of their own, or reloading on, Jinja's way.
        """
        if globals or self.auto_reload:
            return super()._load_template(name, globals)
        template = self._compiled.get(name)
        if template is None:
            template = self._compiled[name] = super()._load_template(name, globals)
        return template

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        """A template's globals: the environment's own, read-only, unless it was given some.

        Jinja layers every template's globals over the environment's in a ChainMap, and each
        `{% from ... import %}` subtracts those keys from the context's one by one through it
        (ChainMap's `in` is a Python loop over its maps): about a seventh of an answer
        fragment's rendering. No template here has globals of its own, so a live read-only
        view of the environment's dict gives the same names, looked up in C.
        """
        if d:
            return super().make_globals(d)
        return MappingProxyType(self.globals)  # type: ignore[return-value]

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


_escape_text: Callable[[str], str] = getattr(markupsafe, "_escape_inner", None) or (
    lambda text: str(markupsafe.escape(text))
)
_new_string = str.__new__


def _escape(value: Any) -> Markup:
    """markupsafe's `escape`, the same result, without the Python frames of `Markup.__new__`
    for the two most common values: a plain string (an `{{ ... }}` in a template), and Markup
    (a macro's output), which escape() would copy into a new Markup.

    A rendered answer fragment escapes about 80 values, a result page several hundred; the
    Markup constructor, which checks each for `__html__` again, was a tenth of rendering.
    """
    kind = value.__class__
    if kind is str:
        return _new_string(Markup, _escape_text(value))
    if kind is Markup:  # a macro's output: escaped already, and immutable
        return value  # type: ignore[no-any-return]
    return markupsafe.escape(value)


def put_in(marked: str, personal: Mapping[str, str]) -> str:
    """A kept block (app/web/block_memo.py) with each mark replaced by its value, escaped as
    autoescape escapes it, in one pass: a value is never searched for marks itself. A mark of
    no value here (a directory text someone pasted with those private-use characters) stays
    as it is: never a failed page."""

    def value(found: re.Match[str]) -> str:
        text = found.group()
        return _escape_text(personal[text]) if text in personal else text

    return MARKS.sub(value, marked)


class _Template(jinja2.Template):
    """Compiled templates that escape their output with `_escape`."""

    @classmethod
    def _from_namespace(
        cls,
        environment: jinja2.Environment,
        namespace: MutableMapping[str, Any],
        globals: MutableMapping[str, Any],
    ) -> jinja2.Template:
        # The compiled module imported Jinja's `escape` (markupsafe's) into this namespace,
        # which its render functions read as a global.
        namespace["escape"] = _escape
        return super()._from_namespace(environment, namespace, globals)


class _ConstantsTranslated(NodeTransformer):
    """`_("text")` with one constant string and nothing else becomes the translated constant,
    exactly as the newstyle gettext of jinja2.ext.i18n would return it at render time:
    marked safe under autoescape, and `%`-formatted with no values (`%%` reads `%`)."""

    def __init__(self, environment: jinja2.Environment, locale: str) -> None:
        self.environment = environment
        self.translations = i18n.translations(locale)

    def visit_Call(self, node: nodes.Call) -> nodes.Node:
        visited = self.generic_visit(node)
        if not isinstance(visited, nodes.Call):
            return visited
        call = visited
        argument = call.args[0] if len(call.args) == 1 else None
        constant = (
            isinstance(call.node, nodes.Name)
            and call.node.name in GETTEXT_NAMES
            and isinstance(argument, nodes.Const)
            and isinstance(argument.value, str)
            and not call.kwargs
            and call.dyn_args is None
            and call.dyn_kwargs is None
        )
        if not constant or not isinstance(argument, nodes.Const):
            return call
        text = self.translations.gettext(argument.value) % {}
        folded = nodes.MarkSafeIfAutoescape(nodes.Const(text), lineno=call.lineno)
        folded.set_environment(self.environment)
        return folded


class _TranslatingCodeGenerator(CodeGenerator):
    """Compiles a template with its constant strings in the environment's language."""

    def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:
        locale = getattr(self.environment, "puente_locale", None)
        if locale is not None:
            _ConstantsTranslated(self.environment, locale).visit(node)
        super().visit_Template(node, frame)


def make_environment(templates_dir: Path, locale: str | None = None) -> jinja2.Environment:
    """The environment of one language (constant strings translated at compile time), or with
    `locale=None` one whose every string is translated at render time (tests, tools)."""
    env = Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        # Templates change only with a deploy (a restart): no stat() of every template file
        # on every render.
        auto_reload=False,
    )
    env.template_class = _Template
    if locale is not None:
        env.code_generator_class = _TranslatingCodeGenerator
        env.puente_locale = locale  # type: ignore[attr-defined]  # read by the code generator
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


def make_environments(templates_dir: Path) -> dict[str, jinja2.Environment]:
    """One environment per shipped language."""
    return {code: make_environment(templates_dir, code) for code in i18n.LANGUAGES}


# Rendered referral cards: about 1.5-3 thousand characters each, so a few hundred cards a
# worker (the national ones in every language, the local ones of the busiest places).
CARDS_CAPACITY = 500_000
DISTANCE_MARK = mark("distance")
CARD = "referrals/_card.html"


class Renderer:
    def __init__(self, envs: Mapping[str, jinja2.Environment]) -> None:
        self.envs = envs
        self.memo = BlockMemo()
        self.cards = BlockMemo(CARDS_CAPACITY)
        for env in envs.values():
            env.globals["referral_card"] = self.referral_card

    @property
    def env(self) -> jinja2.Environment:
        """The environment of the current request's language."""
        return self.envs.get(i18n.get_locale()) or self.envs[i18n.DEFAULT_LOCALE]

    def compile_all(self) -> int:
        """Every template of every language compiled now (else at its first use), so that the
        workers forked after this share the compiled code rather than each compiling its own.
        Jinja keeps up to 400 templates per environment; Puente has fewer than 100."""
        compiled = 0
        for env in self.envs.values():
            for name in env.list_templates(filter_func=lambda name: name.endswith(".html")):
                env.get_template(name)
                compiled += 1
        return compiled

    def page(self, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
        html = self.env.get_template(name).render(context)
        return HTMLResponse(html, status_code=status)

    def fragment(self, name: str, context: dict[str, Any]) -> Markup:
        """A partial rendered now (in the current locale) for a page to place as it is.

        The one place that marks rendered HTML safe: the partial was rendered with autoescape,
        so everything in it was escaped when it was built.
        """
        return Markup(self.env.get_template(name).render(context))  # noqa: S704

    def referral_card(self, card: "ReferralCard", heading: str) -> Markup:
        """One referral card (templates/referrals/_card.html): rendered once per language,
        heading and content (`ReferralCard.shown_key`) and kept, with the person's distance
        from the office put in each time. The cards were a quarter of a result page's
        rendering, and the same national and local cards are shown to everyone near them
        (docs/benchmarks.md)."""
        key = (i18n.get_locale(), heading, card.shown_key())
        marked = self.cards.get(key)
        if marked is None:
            distance = None if card.distance_miles is None else DISTANCE_MARK
            template = self.env.get_template(CARD)
            marked = template.render(card=card, heading=heading, distance=distance)
            self.cards.keep(key, marked)
        return Markup(put_in(marked, {DISTANCE_MARK: card.distance_text() or ""}))  # noqa: S704

    def blocks(
        self,
        name: str,
        block_names: list[str],
        context: dict[str, Any],
        status: int = 200,
        reused: Sequence[Reused] = (),
    ) -> HTMLResponse:
        """Only the named blocks of a page template, in order: the htmx fragment of a step.
        The blocks that one of `reused` names come from the memo, rendered once per language
        and key with the person's values put in (app/web/block_memo.py); the others from
        `context`."""
        template = self.env.get_template(name)
        jinja_context = template.new_context(context)
        kept = {block: group for group in reused for block in group.blocks}
        # A group's values, built at most once a call even when several of its blocks miss.
        built: dict[int, jinja2.runtime.Context] = {}

        def values_of(group: Reused) -> jinja2.runtime.Context:
            if id(group) not in built:
                built[id(group)] = template.new_context({**group.values(), "csrf": CSRF_MARK})
            return built[id(group)]

        html = "".join(
            self._reused(template, block, kept[block], context["csrf"], values_of)
            if block in kept
            else "".join(template.blocks[block](jinja_context))
            for block in block_names
        )
        return HTMLResponse(html, status_code=status)

    def _reused(
        self,
        template: jinja2.Template,
        block: str,
        reused: Reused,
        csrf: str,
        values_of: Callable[[Reused], jinja2.runtime.Context],
    ) -> str:
        key = (i18n.get_locale(), template.name, block, reused.key)
        marked = self.memo.get(key)
        if marked is None:
            marked = "".join(template.blocks[block](values_of(reused)))
            self.memo.keep(key, marked)
        return put_in(marked, {CSRF_MARK: csrf, **reused.personal})
