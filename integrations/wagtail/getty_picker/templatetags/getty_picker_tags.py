"""``{% getty_image value %}``: a stored Getty image on the site; ``image|getty_credit``: the
credit line of any Wagtail image that came from Getty."""

from django import template

from .. import value as values
from ..credit import credit_line
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
    return credit_line(image)
