"""Revision comparisons of Getty images (the field's and the block's): each side's thumbnail,
title and state, as Wagtail compares its own images, instead of the stored JSON."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from wagtail.admin.compare import BlockComparison, FieldComparison

from . import value as values
from .display import notice
from .models import GettyLicence
from .value import Comp


def shown(stored):
    """What a comparison shows of a stored value (``None`` for no image)."""
    image = values.read(stored)
    if image is None:
        return None
    if isinstance(image, Comp):
        thumb = image.thumb_uri if image.thumb_uri and values.thumb_allowed(image.thumb_uri) else None
        return {"id": image.id, "title": image.label, "state": _("Comp, not licensed"), "thumb_uri": thumb}
    licence = GettyLicence.objects.select_related("image").filter(pk=image.licence).first()
    problem = values.problem_of(image, licence)
    return {
        "id": image.id,
        "title": (licence.title if licence is not None and problem is None else "") or image.id,
        "state": _("Licensed") if problem is None else notice(image, problem, licence),
        "image": licence.image if problem is None else None,
    }


def render(stored_a, stored_b):
    """The comparison's HTML: one side if nothing changed, else the old and the new."""
    a, b = shown(stored_a), shown(stored_b)
    if values.read(stored_a) == values.read(stored_b):
        sides = [("", a)] if a else []
    else:
        sides = [(kind, side) for kind, side in (("deletion", a), ("addition", b)) if side]
    return render_to_string("getty_picker/compare.html", {"sides": sides})


class GettyImageFieldComparison(FieldComparison):
    """A ``GettyImageField`` in Wagtail's revision comparison."""

    def htmldiff(self):
        return render(self.val_a, self.val_b)

    def has_changed(self):
        return values.read(self.val_a) != values.read(self.val_b)


class GettyImageBlockComparison(BlockComparison):
    """A ``GettyImageBlock`` in Wagtail's revision comparison."""

    def htmlvalue(self, val):
        return render(val, val)

    def htmldiff(self):
        return render(self.val_a, self.val_b)

    def has_changed(self):
        return values.read(self.val_a) != values.read(self.val_b)
