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

from . import access, importer
from .conf import SCOPE_HEADER
from .display import field_value, library_entry
from .importer import ImportFailed, Refused, is_getty_id, target_collection
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
    """The token service's ``PICKER_AUTH_URL``: 204 for a logged-in Wagtail editor, with
    ``X-Getty-Picker-Scope: license`` for one with ``getty_picker.license_image`` and
    ``X-Getty-Picker-Scope: search`` for one with only ``getty_picker.search_image`` (the token
    service reads an answer without the header as search-only); 401 when not logged in; 403
    otherwise. Never a redirect: the token service treats one as a refusal."""
    refused = _refusal(request, access.ANY)
    if refused:
        return refused
    response = HttpResponse(status=204)
    response[SCOPE_HEADER] = "license" if access.scope_of(request.user) == access.LICENSE else "search"
    return response


#: The most a download report may weigh: an id and a link (the picker sends a little more).
MAX_BODY = 64 * 1024


@require_POST
@never_cache
def import_download(request):
    """The field's report of a download (the picker's ``getty-picker:download`` detail, JSON):
    only its ``id`` and ``uri`` are read. The licence is recorded as Getty confirms it to the
    server and the file imported at once (``importer.import_download``). 200 with the field's
    new value; 502 when Getty confirmed the licence but the file could not be imported (the
    value then points at the record, kept "not imported", and ``error`` says why); 422 when
    nothing was recorded because Getty does not confirm it or the link or file is not the
    image's, 503 when Getty could not be asked (``retry``: true); 400 for a body that is not a
    download."""
    refused = _refusal(request, access.LICENSE) or _may_not_add_images(request)
    if refused:
        return refused
    if len(request.body) > MAX_BODY:
        return JsonResponse({"error": _("The download report is too large.")}, status=400)
    try:
        detail = json.loads(request.body or b"null")
    except ValueError:
        return JsonResponse({"error": _("The body is not JSON.")}, status=400)
    if not isinstance(detail, dict):
        return JsonResponse({"error": _("The download must be a JSON object.")}, status=400)
    getty_id, uri = detail.get("id"), detail.get("uri")
    if not is_getty_id(getty_id):
        return JsonResponse({"error": _("The download has no valid Getty id.")}, status=400)
    if not isinstance(uri, str) or not uri.strip():
        return JsonResponse({"error": _("The download has no delivery URI.")}, status=400)
    return _answer(lambda: importer.import_download(getty_id, uri.strip(), request.user))


@require_POST
@never_cache
def import_again(request, pk):
    """ "Import again": fetches a licence's file with the link it keeps (no new download)."""
    refused = _refusal(request, access.LICENSE) or _may_not_add_images(request)
    if refused:
        return refused
    licence = get_object_or_404(GettyLicence, pk=pk)
    return _answer(lambda: importer.import_again(licence.pk, request.user), licence)


def _answer(work, licence=None):
    """The import's answer: the field's value, or why not."""
    try:
        licence = work()
    except ImportFailed as failure:
        return JsonResponse(
            {
                "imported": False,
                "error": str(failure),
                "code": failure.code,
                "value": field_value(failure.licence),
            },
            status=502,
        )
    except Refused as refusal:
        answer = {
            "imported": False,
            "refused": True,
            "retry": refusal.retry,
            "error": str(refusal),
            "message": str(refusal),
            "code": refusal.code,
        }
        if licence is not None:
            licence.refresh_from_db()
            answer["value"] = field_value(licence)
        return JsonResponse(answer, status=503 if refusal.retry else 422)
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
