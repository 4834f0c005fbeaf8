"""The endpoints of background imports: start one for a download (answers at once, 202), start
one for a licence record whose file is not imported ("Import again" in a Getty field), ask how
one is going, and "Import again" after a failed one. The browser polls; a worker does the work.
No view here fetches a file."""

import json

from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from . import access, imports
from .importer import MAX_ID, is_getty_id
from .models import GettyImport, GettyLicence

#: The largest download report the start view reads (the picker's event detail is a few KB).
MAX_BODY = 64 * 1024


def _answer(job, status=200, **extra):
    return JsonResponse(
        {
            **imports.status(job),
            "status_url": reverse("getty_picker:import_status", args=[job.pk]),
            "retry_url": reverse("getty_picker:import_retry", args=[job.pk]),
            **extra,
        },
        status=status,
    )


def _job_for(request, pk):
    """The import ``pk`` if the user may see it: the one who started it, or a licensor."""
    job = get_object_or_404(GettyImport, pk=pk)
    if job.requested_by_id != request.user.pk and access.scope_of(request.user) != access.LICENSE:
        raise Http404
    return job


@require_POST
@never_cache
def start_import(request):
    """``POST`` the picker's ``getty-picker:download`` detail (JSON; only its ``id`` and ``uri``
    are read): the import is enqueued and the answer (202) names where to ask how it is going.
    A worker has Getty confirm the licence and fetches the file."""
    refused = access.refusal(request, access.LICENSE) or access.may_not_add_images(request)
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
    if not isinstance(getty_id, str) or not is_getty_id(getty_id) or len(getty_id) > MAX_ID:
        return JsonResponse({"error": _("The download has no valid Getty id.")}, status=400)
    if not isinstance(uri, str) or not uri.strip() or len(uri) > 4000:
        return JsonResponse({"error": _("The download has no delivery URI.")}, status=400)
    # Dead imports of anyone are looked after whenever a new one starts.
    imports.revive()
    job = imports.start(getty_id, uri.strip(), request.user)
    return _answer(job, status=202)


@require_POST
@never_cache
def import_licence(request, pk):
    """ "Import again" of licence ``pk`` (a Getty field's value whose file is not imported):
    enqueued with the link the record keeps, no new download (202); 409 with the field's value
    when there is nothing to import."""
    from .display import field_value

    refused = access.refusal(request, access.LICENSE) or access.may_not_add_images(request)
    if refused:
        return refused
    licence = get_object_or_404(GettyLicence, pk=pk)
    imports.revive()
    job = imports.start_again(licence, request.user)
    if job is None:
        licence.refresh_from_db()
        return JsonResponse(
            {
                "error": _("The file is in the image library already.")
                if licence.is_imported
                else _("No delivery link is kept for this licence: download the image again in the picker."),
                "value": field_value(licence),
            },
            status=409,
        )
    return _answer(job, status=202)


@require_safe
@never_cache
def import_status(request, pk):
    """How the import ``pk`` is going (``state``: queued, running, imported or failed)."""
    refused = access.refusal(request, access.ANY)
    if refused:
        return refused
    return _answer(_job_for(request, pk))


@require_POST
@never_cache
def import_retry(request, pk):
    """ "Import again" after a failed import: the kept link once more, no new download (409 when
    there is nothing to retry)."""
    refused = access.refusal(request, access.LICENSE) or access.may_not_add_images(request)
    if refused:
        return refused
    job = _job_for(request, pk)
    if not imports.again(job):
        job.refresh_from_db()
        refusal = _("This import cannot be tried again: download the image again.")
        return _answer(job, status=409, error=refusal)
    job.refresh_from_db()
    return _answer(job, status=202)
