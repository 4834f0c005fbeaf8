"""``{% getty_image value %}``: a stored Getty image on the site; ``image|getty_credit``: the
credit line of any Wagtail image that came from Getty."""

from django import template

from .. import value as values
from ..credit import credit_line
from ..display import notice
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
    image = values.read(value)
    if image is None:
        return shown
    if isinstance(image, values.Comp):
        return {**shown, "comp": image}
    licence = GettyLicence.objects.select_related("image").filter(pk=image.licence).first()
    problem = values.problem_of(image, licence)
    if problem is not None:
        return {**shown, "pending": image, "notice": notice(image, problem, licence)}
    return {**shown, "licence": licence, "image": licence.image}


@register.inclusion_tag("getty_picker/licence.html")
def getty_licence_of(image):
    """The Getty licence of a Wagtail image (its credit, product, who licensed it and when), or
    nothing for an image that did not come from Getty."""
    licence = (
        GettyLicence.objects.select_related("licensed_by").filter(image=image).first() if image else None
    )
    return {"licence": licence}


@register.filter
def getty_credit(image):
    """The credit line of a Wagtail image (or rendition) that came from Getty ("Getty Images"
    when Getty named none); ``""`` for every other image, so
    ``{% with credit=image|getty_credit %}{% if credit %}…{% endif %}{% endwith %}`` prints it
    only where it is owed. Text, escaped like any variable."""
    return credit_line(image)
