"""The credit line a public page owes each Wagtail image that came from Getty: for templates
(the ``getty_credit`` filter) and for rich text, whose images Wagtail renders itself
(``CreditedImageEmbedHandler``, registered for rich text's ``image`` embeds)."""

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from wagtail.images.rich_text import ImageEmbedHandler

from .models import GettyLicence

#: A Getty image in rich text, its credit beneath.
FIGURE = '<figure class="getty-image">{}<figcaption class="getty-image__credit">{}</figcaption></figure>'
#: Getty's own wording where it names no credit.
DEFAULT_CREDIT = "Getty Images"


def credit_lines(image_ids):
    """``{image id: credit line}`` for those of ``image_ids`` that came from Getty."""
    ids = set()
    for image_id in image_ids:
        try:
            ids.add(int(image_id))
        except (TypeError, ValueError):
            continue
    if not ids:
        return {}
    licences = GettyLicence.objects.filter(image_id__in=ids).values_list("image_id", "credit_line")
    return {image_id: credit or DEFAULT_CREDIT for image_id, credit in licences}


def credit_line(image):
    """The credit line of a Wagtail image (or a rendition of one) from Getty; ``""`` for others."""
    image = getattr(image, "image", image)  # a rendition's image
    image_id = getattr(image, "pk", None)
    return credit_lines([image_id]).get(image_id, "") if image_id is not None else ""


class CreditedImageEmbedHandler(ImageEmbedHandler):
    """Wagtail's rich-text image, with its credit line beneath it when it came from Getty
    (``<figure class="getty-image">`` around Wagtail's own ``<img>``); others as Wagtail
    renders them."""

    @classmethod
    def expand_db_attributes_many(cls, attrs_list):
        tags = super().expand_db_attributes_many(attrs_list)
        credits = credit_lines(attrs.get("id") for attrs in attrs_list)
        credited = []
        for attrs, tag in zip(attrs_list, tags, strict=True):
            try:
                credit = credits.get(int(attrs.get("id")))
            except (TypeError, ValueError):
                credit = None
            if credit:
                # ``tag`` is Wagtail's own HTML for the image; the credit is text.
                tag = format_html(FIGURE, mark_safe(tag), credit)
            credited.append(tag)
        return credited
