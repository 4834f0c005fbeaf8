"""``{% getty_image value %}``: a stored Getty image on the site."""

from django import template

from .. import value as values
from ..models import GettyLicence

register = template.Library()


@register.inclusion_tag("getty_picker/image.html", takes_context=True)
def getty_image(context, value):
    """Renders ``value`` (a ``GettyImageField``'s or ``GettyImageBlock``'s) with
    ``getty_picker/image.html``: the imported file through renditions with its credit line;
    nothing for a comp or a file not imported yet, except in the editor's preview, which says
    so (with Getty's watermarked thumbnail for a comp)."""
    request = context.get("request")
    shown = {"preview": bool(getattr(request, "is_preview", False)), "request": request}
    read = values.read(value)
    if read is None:
        return shown
    if read["state"] == values.SELECTED:
        return {**shown, "comp": read}
    licence = GettyLicence.objects.select_related("image").filter(pk=read["licence"]).first()
    if licence is None or licence.image is None:
        return {**shown, "pending": licence or read}
    return {**shown, "licence": licence, "image": licence.image}


@register.filter
def getty_credit(image):
    """The credit line of a Wagtail image (or rendition) that came from Getty ("Getty Images"
    when Getty named none); ``""`` for every other image, so
    ``{% with credit=image|getty_credit %}{% if credit %}…{% endif %}{% endwith %}`` prints it
    only where it is owed. Text, escaped like any variable."""
    image = getattr(image, "image", image)  # a rendition's image
    if image is None or getattr(image, "pk", None) is None:
        return ""
    licence = GettyLicence.objects.filter(image_id=image.pk).only("credit_line").first()
    if licence is None:
        return ""
    return licence.credit_line or "Getty Images"
