"""Form widgets that render the same HTML as Django's with less work per request."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import conditional_escape as escape
from django.utils.safestring import SafeString, mark_safe


def _attrs(attrs: dict[str, Any]) -> str:
    """Django's ``attrs.html``: in order, ``True`` bare, ``False`` left out, escaped as the
    template escapes (safe strings as they are)."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class PlainSelect(forms.Select):
    """``forms.Select`` with its options formatted in Python.

    Django renders every option through a template of its own (``select_option.html``
    including ``attrs.html``): the filter bar's few dozen options cost the readiness board
    several milliseconds a request. The markup is Django's, whitespace included; a custom
    ``option_template_name`` is not supported (use ``forms.Select`` for that)."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{escape(group_name)}">')
            parts.extend(
                f'\n  <option value="{escape(option["value"])}"{_attrs(option["attrs"])}>'
                f"{escape(option['label'])}</option>\n"
                for option in group_choices
            )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308  # every value escaped above


class PlainInputMixin:
    """An ``<input>`` widget (``forms.Input``'s subclasses) rendered in Python: Django renders
    each through three templates (``text.html``, ``input.html``, ``attrs.html``). The markup
    is Django's ``input.html``; a custom ``template_name`` is not supported."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]  # type: ignore[attr-defined]  # mixed into a forms.Input
        shown = "" if widget["value"] is None else f' value="{escape(widget["value"])}"'
        return mark_safe(  # noqa: S308  # every value escaped here and in _attrs
            f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"'
            f"{shown}{_attrs(widget['attrs'])}>"
        )


class PlainTextInput(PlainInputMixin, forms.TextInput):
    """``forms.TextInput`` rendered in Python (``PlainInputMixin``)."""
