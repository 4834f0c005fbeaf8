"""Who may do what with Getty images: license, search only, or neither; and the JSON refusals
of the app's endpoints for those who may not."""

from django.http import JsonResponse
from django.utils.translation import gettext as _

from .conf import PERMISSION, SEARCH_PERMISSION

#: Searches and licenses: the token service hands the user's Getty token.
LICENSE = "license"
#: Searches and chooses only: the token service hands a search-only token.
SEARCH = "search"
#: Either of the two (for checks that spend nothing).
ANY = "any"


def scope_of(user):
    """``LICENSE``, ``SEARCH`` or ``None`` for ``user``: Wagtail's admin access and one of the
    app's permissions (superusers have both)."""
    if not user.is_authenticated or not user.has_perm("wagtailadmin.access_admin"):
        return None
    if user.has_perm(PERMISSION):
        return LICENSE
    if user.has_perm(SEARCH_PERMISSION):
        return SEARCH
    return None


def refusal(request, needs):
    """401/403 JSON unless the user may ``needs`` (``LICENSE`` or ``ANY``); ``None`` if they may."""
    user = request.user
    if not user.is_authenticated:
        return JsonResponse({"error": "not_authenticated"}, status=401)
    scope = scope_of(user)
    if scope is None or (needs == LICENSE and scope != LICENSE):
        return JsonResponse({"error": "not_authorized"}, status=403)
    return None


def may_not_add_images(request):
    """403 JSON unless the user may add images to the collection imports go to; ``None`` if
    they may."""
    from wagtail.images import get_image_model
    from wagtail.permissions import policy_registry

    from .importer import target_collection

    collection = target_collection()
    policy = policy_registry.get_by_type(get_image_model())
    if collection is not None and not (
        policy.collections_user_has_permission_for(request.user, "add").filter(pk=collection.pk).exists()
    ):
        return JsonResponse(
            {
                "error": "not_authorized",
                "message": _("You may not add images to the collection “%(name)s”.")
                % {"name": collection.name},
            },
            status=403,
        )
    return None
