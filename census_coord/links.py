"""``{% url %}`` with the links that take no arguments reversed once per process.

Every page draws about twenty such links (the header, the menus, a page's own buttons), and
``reverse`` walks the URL patterns each time: about 1 ms of every request. A link without
arguments is the same string for as long as the URL configuration, the script prefix, the
current application namespace and the language (should a pattern ever be translated) are:
those make its cache key. A link with arguments, or one
saved ``as`` a variable, goes through Django's tag unchanged. Installed as a template
builtin (``TEMPLATES["OPTIONS"]["builtins"]``), so it replaces Django's ``url`` everywhere.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.template.base import Parser, Token
from django.template.context import Context
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.translation import get_language

register = template.Library()

_REVERSED: dict[tuple[Any, ...], str] = {}


def _forget(**kwargs: Any) -> None:
    _REVERSED.clear()


setting_changed.connect(_forget, dispatch_uid="census_coord.links")


def reverse_once(view_name: str, current_app: str | None = None) -> str:
    """``reverse(view_name)`` of a link without arguments, once per process and key."""
    key = (
        view_name,
        current_app,
        get_urlconf() or settings.ROOT_URLCONF,
        get_script_prefix(),
        get_language(),
    )
    link = _REVERSED.get(key)
    if link is None:
        link = _REVERSED[key] = reverse(view_name, current_app=current_app)
    return link


class _OnceReversedURLNode(URLNode):
    def render(self, context: Context) -> str:
        if self.args or self.kwargs or self.asvar:
            return super().render(context)
        view_name = self.view_name.resolve(context)
        # As Django's tag: the request's application namespace picks an instance.
        try:
            current_app = context.request.current_app  # type: ignore[attr-defined]
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace  # type: ignore[attr-defined]
            except AttributeError:
                current_app = None
        link = reverse_once(view_name, current_app)
        return conditional_escape(link) if context.autoescape else link


@register.tag
def url(parser: Parser, token: Token) -> URLNode:
    """Django's ``{% url %}``, the links without arguments reversed once."""
    node = django_url(parser, token)
    return _OnceReversedURLNode(node.view_name, node.args, node.kwargs, node.asvar)
