"""The token service's forward-auth check (``PICKER_AUTH_URL``)."""

from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from .conf import PERMISSION


@require_safe
@never_cache
@vary_on_headers("Cookie", "Authorization")
def forward_auth(request):
    """204 for a logged-in Wagtail editor with ``getty_picker.license_image``; 401 when not
    logged in; 403 otherwise. Never a redirect: the token service treats one as a refusal."""
    user = request.user
    if not user.is_authenticated:
        return JsonResponse({"error": "not_authenticated"}, status=401)
    if not (user.has_perm("wagtailadmin.access_admin") and user.has_perm(PERMISSION)):
        return JsonResponse({"error": "not_authorized"}, status=403)
    return HttpResponse(status=204)
