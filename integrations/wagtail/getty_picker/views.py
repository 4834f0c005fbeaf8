"""The app's endpoints besides the imports (``import_views``): the token service's forward-auth
check and the library check the picker asks which images the site holds."""

from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from . import access
from .conf import SCOPE_HEADER
from .display import library_entry
from .importer import is_getty_id
from .models import GettyLicence

#: The most ids one library check may name (a page of results is at most 100 cards).
MAX_LIBRARY_IDS = 100


@require_safe
@never_cache
@vary_on_headers("Cookie", "Authorization")
def forward_auth(request):
    """The token service's ``PICKER_AUTH_URL``: 204 for a logged-in Wagtail editor, with
    ``X-Getty-Picker-Scope: license`` for one with ``getty_picker.license_image`` and
    ``X-Getty-Picker-Scope: search`` for one with only ``getty_picker.search_image`` (the token
    service reads an answer without the header as search-only); 401 when not logged in; 403
    otherwise. Never a redirect: the token service treats one as a refusal."""
    refused = access.refusal(request, access.ANY)
    if refused:
        return refused
    response = HttpResponse(status=204)
    response[SCOPE_HEADER] = "license" if access.scope_of(request.user) == access.LICENSE else "search"
    return response


@require_safe
@never_cache
@vary_on_headers("Cookie")
def library(request):
    """The picker's library check: ``GET ?ids=<id>,<id>,…`` (at most 100) →
    ``{"held": {"<id>": {"image", "licence", "title", "licensed_at", "product", …}}}`` for the
    ids whose licensed file the site holds; ids not held are absent."""
    refused = access.refusal(request, access.ANY)
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
