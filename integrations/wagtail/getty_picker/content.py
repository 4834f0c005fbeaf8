"""The Getty images a page holds, wherever they are: in a ``GettyImageField`` or in a
``GettyImageBlock`` at any depth of a StreamField (inside struct, list and stream blocks)."""

from dataclasses import dataclass
from functools import cache

from django.utils.text import capfirst
from wagtail import blocks
from wagtail.fields import StreamField

from . import value as values
from .blocks import GettyImageBlock
from .models import GettyImageField

_SEPARATOR = " › "


@dataclass(frozen=True)
class Found:
    """One Getty image of a page: its value (as ``value.read`` gives it) and where it is."""

    value: dict
    where: str


@cache
def holds_getty_images(model) -> bool:
    """Whether pages of ``model`` can hold a Getty image at all (saves walking the others)."""
    for field in model._meta.get_fields():
        if isinstance(field, GettyImageField):
            return True
        if isinstance(field, StreamField) and _block_holds(field.stream_block):
            return True
    return False


def _block_holds(block, seen=None):
    seen = seen or set()
    if id(block) in seen:
        return False
    seen.add(id(block))
    if isinstance(block, GettyImageBlock):
        return True
    if isinstance(block, blocks.ListBlock):
        return _block_holds(block.child_block, seen)
    children = getattr(block, "child_blocks", None) or {}
    return any(_block_holds(child, seen) for child in children.values())


def getty_images(page):
    """Every Getty image ``page`` (a specific page instance, e.g. a revision's) holds."""
    if not holds_getty_images(type(page)):
        return []
    found = []
    for field in type(page)._meta.get_fields():
        if isinstance(field, GettyImageField):
            value = values.read(field.value_from_object(page))
            if value:
                found.append(Found(value, capfirst(field.verbose_name)))
        elif isinstance(field, StreamField) and _block_holds(field.stream_block):
            stream = getattr(page, field.name)
            found.extend(_walk(field.stream_block, stream, capfirst(field.verbose_name)))
    return found


def _walk(block, value, where):
    if value is None:
        return
    if isinstance(block, GettyImageBlock):
        read = values.read(value)
        if read:
            yield Found(read, where)
    elif isinstance(block, blocks.StreamBlock):
        for child in value:
            yield from _walk(child.block, child.value, _join(where, child.block))
    elif isinstance(block, blocks.ListBlock):
        for index, item in enumerate(value, start=1):
            yield from _walk(block.child_block, item, f"{where} {index}")
    elif isinstance(block, blocks.StructBlock):
        for name, child in block.child_blocks.items():
            yield from _walk(child, value.get(name), _join(where, child))


def _join(where, block):
    return f"{where}{_SEPARATOR}{block.label or block.name}"
