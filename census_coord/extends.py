"""``{% extends %}`` with the blocks of the root template found once per compiled template.

Django's ``ExtendsNode.render`` walks every node of the root template (base.html: the
header, the menu, the forms) on every render to find its ``{% block %}`` nodes, about 600
Python calls of every page for the same answer: a compiled template never changes. This
node keeps that map on the compiled root template itself, so it lives exactly as long as
the template (the cached loader's, for the process; with ``DEBUG``'s loader a template is
compiled, and walked, afresh each time). Everything else is Django's tag unchanged.
Installed as a template builtin (``TEMPLATES["OPTIONS"]["builtins"]``), so it replaces
Django's ``extends`` everywhere.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.base import Parser, Template, TextNode, Token
from django.template.context import Context
from django.template.loader_tags import (
    BLOCK_CONTEXT_KEY,
    BlockContext,
    BlockNode,
    ExtendsNode,
    do_extends,
)
from django.utils.safestring import SafeString

register = template.Library()

_ROOT_BLOCKS = "_census_root_blocks"


def _root_blocks(parent: Template) -> dict[str, Any] | None:
    """The block nodes of ``parent`` by name if it is the root (extends nothing), else None;
    found once per compiled template."""
    try:
        return getattr(parent, _ROOT_BLOCKS)
    except AttributeError:
        pass
    blocks: dict[str, Any] | None = None
    # As Django's tag: the ExtendsNode has to be the first node that is not text.
    for node in parent.nodelist:
        if not isinstance(node, TextNode):
            if not isinstance(node, ExtendsNode):
                found = parent.nodelist.get_nodes_by_type(BlockNode)
                blocks = {block.name: block for block in found}  # type: ignore[attr-defined]
            break
    setattr(parent, _ROOT_BLOCKS, blocks)
    return blocks


class _RootBlocksOnceExtendsNode(ExtendsNode):
    def render(self, context: Context) -> SafeString:
        compiled_parent = self.get_parent(context)
        if BLOCK_CONTEXT_KEY not in context.render_context:
            context.render_context[BLOCK_CONTEXT_KEY] = BlockContext()
        block_context = context.render_context[BLOCK_CONTEXT_KEY]
        block_context.add_blocks(self.blocks)
        blocks = _root_blocks(compiled_parent)
        if blocks is not None:
            block_context.add_blocks(blocks)
        with context.render_context.push_state(compiled_parent, isolated_context=False):
            return compiled_parent._render(context)  # type: ignore[attr-defined]


@register.tag
def extends(parser: Parser, token: Token) -> Any:
    """Django's ``{% extends %}``, the root template's blocks found once."""
    node = do_extends(parser, token)
    return _RootBlocksOnceExtendsNode(node.nodelist, node.parent_name)
