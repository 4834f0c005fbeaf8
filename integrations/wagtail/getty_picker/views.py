"""The app's endpoints: the token service's forward-auth check, the import of a licensed file
(and "Import again"), and the library check the picker asks which images the site holds."""

import json

from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers
from wagtail.images import get_image_model
from wagtail.permissions import policy_registry

from . import access
from .conf import SCOPE_HEADER
from .display import field_value, library_entry
from .importer import (
    BadDownload,
    Download,
    ImportFailed,
    import_file,
    is_getty_id,
    record_download,
    target_collection,
)
from .models import GettyLicence

#: The most ids one library check may name (a page of results is at most 100 cards).
MAX_LIBRARY_IDS = 100


def _refusal(request, needs):
    """401/403 JSON unless the user may ``needs`` (``access.LICENSE`` or ``access.ANY``)."""
    user = request.user
    if not user.is_authenticated:
        return JsonResponse({"error": "not_authenticated"}, status=401)
    scope = access.scope_of(user)
    if scope is None or (needs == access.LICENSE and scope != access.LICENSE):
        return JsonResponse({"error": "not_authorized"}, status=403)
    return None


@require_safe
@never_cache
@vary_on_headers("Cookie", "Authorization")
def forward_auth(request):
    """The token service's ``PICKER_AUTH_URL``: 204 for a logged-in Wagtail editor with
    ``getty_picker.license_image``; 204 with ``X-Getty-Picker-Scope: search`` for one with only
    ``getty_picker.search_image`` (the service then hands a search-only token); 401 when not
    logged in; 403 otherwise. Never a redirect: the token service treats one as a refusal."""
    refused = _refusal(request, access.ANY)
    if refused:
        return refused
    response = HttpResponse(status=204)
    if access.scope_of(request.user) == access.SEARCH:
        response[SCOPE_HEADER] = "search"
    return response


@require_POST
@never_cache
def import_download(request):
    """The field's report of a download (the picker's ``getty-picker:download`` detail, JSON):
    keeps the licence record and imports the file at once. 200 with the field's new value;
    502 when the file could not be imported (the value then points at the record, kept "not
    imported", and ``error`` says why); 400 for a body that is not a download."""
    refused = _refusal(request, access.LICENSE) or _may_not_add_images(request)
    if refused:
        return refused
    try:
        download = Download.from_event(json.loads(request.body or b"null"))
    except (ValueError, BadDownload) as error:
        message = str(error) if isinstance(error, BadDownload) else _("The body is not JSON.")
        return JsonResponse({"error": message}, status=400)
    licence = record_download(download, request.user)
    return _imported(licence, request.user)


@require_POST
@never_cache
def import_again(request, pk):
    """ "Import again": fetches a licence's file with the link it keeps (no new download)."""
    refused = _refusal(request, access.LICENSE) or _may_not_add_images(request)
    if refused:
        return refused
    licence = get_object_or_404(GettyLicence, pk=pk)
    return _imported(licence, request.user)


def _imported(licence, user):
    try:
        licence = import_file(licence, user)
    except ImportFailed as failure:
        licence.refresh_from_db()
        return JsonResponse(
            {"imported": False, "error": str(failure), "code": failure.code, "value": field_value(licence)},
            status=502,
        )
    return JsonResponse({"imported": True, "value": field_value(licence)})


def _may_not_add_images(request):
    """403 unless the user may add images to the collection imports go to."""
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


@require_safe
@never_cache
@vary_on_headers("Cookie")
def library(request):
    """The picker's library check (contract C2): ``GET ?ids=<id>,<id>,…`` (at most 100) →
    ``{"held": {"<id>": {"image", "licence", "title", "licensed_at", "product", …}}}`` for the
    ids whose licensed file the site holds; ids not held are absent."""
    refused = _refusal(request, access.ANY)
    if refused:
        return refused
    ids = [part.strip() for part in request.GET.get("ids", "").split(",") if part.strip()]
    ids = list(dict.fromkeys(ids))
    if len(ids) > MAX_LIBRARY_IDS:
        return JsonResponse({"error": f"at most {MAX_LIBRARY_IDS} ids"}, status=400)
    if not all(is_getty_id(i) for i in ids):
        return JsonResponse({"error": "ids are Getty image ids, separated by commas"}, status=400)
    held = GettyLicence.objects.filter(getty_id__in=ids, image__isnull=False).select_related("image")
    return JsonResponse({"held": {licence.getty_id: library_entry(licence) for licence in held}})
