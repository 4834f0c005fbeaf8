"""The Getty images a page (or any model instance) holds, wherever they are: in a
``GettyImageField`` or in a ``GettyImageBlock`` at any depth of a StreamField (inside struct,
list and stream blocks); and the images of Wagtail's library it refers to anywhere (an image
``ForeignKey``, an ``ImageChooserBlock``, a rich-text image), which came from Getty when the
image chooser's tab licensed them."""

from dataclasses import dataclass
from functools import cache

from django.db import models
from django.utils.text import capfirst
from modelcluster.models import ClusterableModel, get_all_child_relations
from wagtail import blocks
from wagtail.fields import StreamField
from wagtail.images import get_image_model

from . import value as values
from .blocks import GettyImageBlock
from .models import GettyImageField, GettyLicence

_SEPARATOR = " › "


@dataclass(frozen=True)
class Found:
    """One Getty image of a page: what it is (``value.read``'s type) and where it is."""

    image: values.GettyImage
    where: str


@cache
def holds_getty_images(model) -> bool:
    """Whether instances of ``model`` can hold a Getty image at all (saves walking the others)."""
    return bool(getty_fields(model))


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


def getty_fields(model):
    """The fields of ``model`` that can hold a Getty image (the field, or a StreamField with a
    Getty image block at any depth)."""
    return [
        field
        for field in model._meta.get_fields()
        if isinstance(field, GettyImageField)
        or (isinstance(field, StreamField) and _block_holds(field.stream_block))
    ]


def getty_images(instance, fields=None):
    """Every Getty image ``instance`` (a specific page instance, e.g. a revision's, or any model
    instance) holds, in all its Getty fields or in those named in ``fields``."""
    if not holds_getty_images(type(instance)):
        return []
    found = []
    for field in getty_fields(type(instance)):
        if fields is not None and field.name not in fields:
            continue
        where = capfirst(field.verbose_name)
        if isinstance(field, GettyImageField):
            image = values.read(field.value_from_object(instance))
            if image:
                found.append(Found(image, where))
        else:
            found.extend(_walk(field.stream_block, getattr(instance, field.name), where))
    return found


def _walk(block, value, where):
    if value is None:
        return
    if isinstance(block, GettyImageBlock):
        image = values.read(value)
        if image:
            yield Found(image, where)
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


def references(value):
    """What Wagtail's reference index records of a stored value: the library image its licence
    imported, so that the image's "Usage" and its delete warning count the page."""
    from wagtail.images import get_image_model

    image = values.read(value)
    if not isinstance(image, values.Licensed):
        return
    image_id = (
        GettyLicence.objects.filter(pk=image.licence, getty_id=image.id)
        .values_list("image_id", flat=True)
        .first()
    )
    if image_id is not None:
        yield get_image_model(), str(image_id), "", ""


@dataclass(frozen=True)
class LibraryImage:
    """An image of Wagtail's library that an instance refers to, and where."""

    image_id: int
    where: str


def library_images(instance) -> list[LibraryImage]:
    """The library images ``instance`` refers to, found the way Wagtail's reference index finds
    them (image ``ForeignKey``s, fields that extract their references such as StreamFields and
    rich text, and the same in its child objects), each once per place."""
    found = {}
    for image_id, where in _image_references(instance):
        found.setdefault((image_id, where), LibraryImage(image_id, where))
    return list(found.values())


def _image_references(instance, prefix=""):
    image_model = get_image_model()
    for field in instance._meta.get_fields():
        if not getattr(field, "concrete", False) or getattr(field, "wagtail_reference_index_ignore", False):
            continue
        where = _join_label(prefix, capfirst(getattr(field, "verbose_name", field.name)))
        if isinstance(field, models.ForeignKey) and issubclass(field.related_model, image_model):
            image_id = field.value_from_object(instance)
            if image_id is not None:
                yield int(image_id), where
        elif hasattr(field, "extract_references") and not isinstance(field, GettyImageField):
            value = field.value_from_object(instance)
            if value is None:
                continue
            for model, object_id, model_path, _content_path in field.extract_references(value):
                is_image = isinstance(model, type) and issubclass(model, image_model)
                if not is_image or not str(object_id).isdigit():
                    continue
                labels, block = _block_path(field, model_path)
                # A Getty block's image is indexed as that block's value (``getty_images``).
                if not isinstance(block, GettyImageBlock):
                    yield int(object_id), _join_label(where, labels)
    if isinstance(instance, ClusterableModel):
        for relation in get_all_child_relations(instance):
            label = capfirst(relation.related_model._meta.verbose_name_plural)
            for child in getattr(instance, relation.get_accessor_name()).all():
                yield from _image_references(child, _join_label(prefix, label))


def _block_path(field, model_path):
    """The blocks' labels along ``model_path`` (``photo``, ``figure.image``, ``gallery.item``)
    inside a StreamField, and the block at its end; ``("", None)`` for other fields."""
    block = getattr(field, "stream_block", None)
    if block is None or not model_path:
        return "", None
    labels = []
    for name in model_path.split("."):
        if isinstance(block, blocks.ListBlock) and name == "item":
            block = block.child_block
            continue
        children = getattr(block, "child_blocks", None) or {}
        if name not in children:
            break
        block = children[name]
        labels.append(str(block.label or block.name))
    return _SEPARATOR.join(labels), block


def _join_label(where, label):
    return f"{where}{_SEPARATOR}{label}" if where and label else where or label
