"""``{% once key … %}…{% endonce %}``: a part of a page rendered once per process and key.

The header's brand, menu and language selector are the same HTML for every request with
the same values of a few variables (the user's kind of menu and the policy's answers, the
page's section, the language…), yet drawing them was about a fifth of a signed-in page's
Python. ``once`` renders its content as usual the first time a key is seen and then
returns that HTML for the same key. The key is the tag's arguments plus what every link in
it depends on (the language, the URL configuration, the script prefix, the request's
application namespace), so the content may use **only** its arguments, and variables it
sets itself (``{% allowed … as x %}`` reads the policy's answers, which must then be
arguments too); ``tests/core/test_fragments.py`` reads the templates and fails on anything
else. Never give it anything that decides which rows a user sees: it is for a page's frame.

Bounded (``LIMIT`` entries, then it starts again) and emptied when settings change (tests);
with ``DEBUG`` on it renders every time, so that an edited template shows at once.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

LIMIT = 512
_RENDERED: dict[tuple[Any, ...], SafeString] = {}


def _forget(**kwargs: Any) -> None:
    _RENDERED.clear()


setting_changed.connect(_forget, dispatch_uid="census_coord.fragments")


def _namespace(context: Context) -> str | None:
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    return getattr(request, "current_app", None) or getattr(match, "namespace", None)


class OnceNode(template.Node):
    def __init__(self, name: str, keys: list[FilterExpression], nodelist: NodeList) -> None:
        self.name, self.keys, self.nodelist = name, keys, nodelist

    def render(self, context: Context) -> str:
        if settings.DEBUG:
            return self.nodelist.render(context)
        key = (
            self.name,
            *(expression.resolve(context) for expression in self.keys),
            get_language(),
            _namespace(context),
            get_urlconf() or settings.ROOT_URLCONF,
            get_script_prefix(),
        )
        html = _RENDERED.get(key)
        if html is None:
            html = mark_safe(self.nodelist.render(context))  # noqa: S308 - rendered by the engine
            if len(_RENDERED) >= LIMIT:
                _RENDERED.clear()
            _RENDERED[key] = html
        return html


@register.tag
def once(parser: Parser, token: Token) -> OnceNode:
    """``{% once "name" var1 var2 %}…{% endonce %}``: the content, rendered once per key."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("'once' needs a name and the variables it uses.")
    name = bits[1].strip("\"'")
    keys = [parser.compile_filter(bit) for bit in bits[2:]]
    nodelist = parser.parse(("endonce",))
    parser.delete_first_token()
    return OnceNode(name, keys, nodelist)
