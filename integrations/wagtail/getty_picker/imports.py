"""Imports of licensed files as background tasks: started by a web request that answers at once,
run by a worker of Django's task framework, watched by the editor's browser.

``start`` keeps a ``GettyImport`` of a download and enqueues ``getty_picker.tasks.import_getty_image``
once the row is committed; ``start_again`` does so for a licence record whose file is not imported
(the field's "Import again"). ``run`` (the task's body) claims the import, keeps it beating while
the importer works, and records the outcome. A worker that dies mid-import (killed, out of
memory, the machine gone) stops the beats: ``revive`` enqueues such an import again, and every
import step is safe to run twice (the licence record is one per Getty id and the file is
attached only once). ``again`` is "Import again" after a failed import: the kept link, no new
download.
"""

import logging
import threading
from datetime import timedelta

from django.db import connections, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import importer
from .conf import task_settings
from .models import GettyImport, GettyLicence

logger = logging.getLogger(__name__)

#: How many dead or lost imports one sweep enqueues again, at most.
SWEEP_LIMIT = 20


def import_licensed_file(job: GettyImport) -> GettyLicence:
    """The importer's work for one import: the licence record as Getty confirms it to the server
    and its file in the image library. An import that already has a record (an earlier attempt
    kept it, "not imported") finishes it with the link the record keeps. Raises
    ``importer.Refused`` (nothing recorded) or ``importer.ImportFailed`` (the record kept). The
    only call into ``getty_picker.importer``."""
    if job.licence_id is not None:
        return importer.import_again(job.licence_id, job.requested_by)
    return importer.import_download(job.getty_id, job.delivery_uri, job.requested_by)


def start(getty_id, uri, user) -> GettyImport:
    """Keeps an import of ``getty_id``'s file from the delivery link ``uri`` and enqueues it
    (after the commit, so the worker finds the row). Nothing else the browser said is kept: the
    record is built from Getty's answers."""
    now = timezone.now()
    job = GettyImport.objects.create(getty_id=getty_id, delivery_uri=uri, requested_by=user, queued_at=now)
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def start_again(licence: GettyLicence, user) -> GettyImport | None:
    """ "Import again" for a licence record whose file is not in the library: an import that
    finishes it with the link the record keeps (no new download), or the one already under way.
    ``None`` when there is nothing to import (the file is in the library, or no link is kept)."""
    with transaction.atomic():
        licence = GettyLicence.objects.select_for_update().get(pk=licence.pk)
        if licence.is_imported or not licence.delivery_uri:
            return None
        running = in_flight(licence)
        if running is not None:
            return running
        job = GettyImport.objects.create(
            getty_id=licence.getty_id,
            delivery_uri=licence.delivery_uri,
            licence=licence,
            requested_by=user,
            queued_at=timezone.now(),
        )
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def in_flight(licence: GettyLicence) -> GettyImport | None:
    """The import of ``licence`` that is waiting for a worker or running, if any."""
    return (
        GettyImport.objects.filter(licence=licence, state__in=[GettyImport.QUEUED, GettyImport.RUNNING])
        .order_by("-pk")
        .first()
    )


def again(job: GettyImport) -> bool:
    """ "Import again" for a failed import that still has its link: enqueued anew. False when
    there is nothing to retry (it is imported, running or has no link)."""
    retried = GettyImport.objects.filter(pk=job.pk, state=GettyImport.FAILED).exclude(delivery_uri="")
    if not retried.update(state=GettyImport.QUEUED, queued_at=timezone.now(), error="", error_code=""):
        return False
    transaction.on_commit(lambda: _enqueue(job.pk))
    return True


def _enqueue(pk):
    from .tasks import import_getty_image

    config = task_settings()
    result = import_getty_image.using(backend=config.backend, queue_name=config.queue).enqueue(pk)
    GettyImport.objects.filter(pk=pk).update(task_id=str(result.id)[:64])


def run(pk):
    """The task's body: imports ``pk`` unless it is taken, finished or gone. Returns the state
    it left the import in (``None`` when it did not run it)."""
    attempt = _claim(pk)
    if attempt is None:
        return None
    job = GettyImport.objects.select_related("requested_by").get(pk=pk)
    beats = _Heartbeat(pk, attempt, task_settings().heartbeat)
    beats.start()
    try:
        licence = import_licensed_file(job)
    except importer.ImportFailed as failure:
        # Getty confirmed the licence: the record is kept, and "Import again" finishes it.
        kept = failure.licence
        return _finish(
            pk,
            attempt,
            GettyImport.FAILED,
            error=str(failure),
            error_code=failure.code,
            licence=kept,
            keep_link=kept is not None and bool(kept.delivery_uri),
        )
    except importer.Refused as refusal:
        # Nothing recorded. Asking again helps only when Getty could not be asked; otherwise
        # the link goes, and with it "Import again".
        return _finish(
            pk,
            attempt,
            GettyImport.FAILED,
            error=str(refusal),
            error_code=refusal.code,
            keep_link=refusal.retry,
        )
    except Exception as error:
        # A bug or an outage (the database, the storage): the editor learns that much and may
        # import again; the task itself fails too, so its backend keeps the traceback.
        _finish(
            pk,
            attempt,
            GettyImport.FAILED,
            error=_("The import stopped unexpectedly (%(error)s).") % {"error": type(error).__name__},
            error_code="crashed",
        )
        raise
    finally:
        beats.stop()
    return _finish(pk, attempt, GettyImport.IMPORTED, licence=licence)


def _claim(pk):
    """Marks ``pk`` running for this attempt; the attempt's number, or ``None`` if another
    worker has it or it is finished."""
    now = timezone.now()
    claimed = GettyImport.objects.filter(pk=pk, state=GettyImport.QUEUED).update(
        state=GettyImport.RUNNING, attempts=F("attempts") + 1, heartbeat_at=now, finished_at=None
    )
    if not claimed:
        return None
    return GettyImport.objects.values_list("attempts", flat=True).get(pk=pk)


def _finish(pk, attempt, state, error="", error_code="", licence=None, keep_link=True):
    """Records the outcome unless a later attempt took the import over meanwhile."""
    changes = {"state": state, "error": error, "error_code": error_code, "finished_at": timezone.now()}
    if licence is not None:
        changes["licence"] = licence
    if state == GettyImport.IMPORTED or not keep_link:
        # Nothing to retry with any more.
        changes["delivery_uri"] = ""
    GettyImport.objects.filter(pk=pk, attempts=attempt, state=GettyImport.RUNNING).update(**changes)
    return state


class _Heartbeat:
    """Updates the import's ``heartbeat_at`` every ``interval`` seconds from a thread of its
    own while the importer works: beats stop when the worker's process does."""

    def __init__(self, pk, attempt, interval):
        self.pk, self.attempt, self.interval = pk, attempt, interval
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"getty-import-{pk}", daemon=True)

    def start(self):
        self.thread.start()

    def stop(self):
        self.stopped.set()
        self.thread.join()

    def _beat(self):
        try:
            while not self.stopped.wait(self.interval):
                try:
                    GettyImport.objects.filter(
                        pk=self.pk, attempts=self.attempt, state=GettyImport.RUNNING
                    ).update(heartbeat_at=timezone.now())
                except Exception:
                    # One beat missed (the database busy or its connection gone): the next one
                    # tries again on a fresh connection. Beats that stopped here would leave an
                    # import that is still running looking dead, and it would be run twice.
                    logger.warning("Getty import %s: a heartbeat failed", self.pk, exc_info=True)
                    connections.close_all()
        finally:
            connections.close_all()


def revive(job=None):
    """Enqueues again the imports whose worker died: running without a sign of life for
    ``stale_after`` seconds, or queued that long while their task is no longer waiting (the
    backend lost it, or its worker died before the import began). Only ``job`` if given, else
    up to ``SWEEP_LIMIT`` of them. Returns how many were enqueued."""
    cutoff = timezone.now() - timedelta(seconds=task_settings().stale_after)
    dead = GettyImport.objects.filter(
        Q(state=GettyImport.RUNNING, heartbeat_at__lt=cutoff)
        | Q(state=GettyImport.QUEUED, queued_at__lt=cutoff)
    )
    if job is not None:
        dead = dead.filter(pk=job.pk)
    revived = 0
    for candidate in dead.order_by("pk")[:SWEEP_LIMIT]:
        if candidate.state == GettyImport.QUEUED and _task_waiting(candidate.task_id):
            continue
        requeued = GettyImport.objects.filter(pk=candidate.pk, state=candidate.state)
        if candidate.state == GettyImport.RUNNING:
            requeued = requeued.filter(heartbeat_at__lt=cutoff)
        else:
            requeued = requeued.filter(queued_at__lt=cutoff)
        if requeued.update(state=GettyImport.QUEUED, queued_at=timezone.now()):
            logger.warning("Getty import %s had stopped: enqueued again", candidate.pk)
            transaction.on_commit(lambda pk=candidate.pk: _enqueue(pk))
            revived += 1
    return revived


def _task_waiting(task_id):
    """Whether the import's task is still waiting for a worker; unknown (a backend that cannot
    say, or no task yet) counts as waiting, so a long queue is never doubled."""
    from .tasks import import_getty_image

    if not task_id:
        return True
    backend = import_getty_image.using(backend=task_settings().backend).get_backend()
    if not backend.supports_get_result:
        return True
    try:
        return backend.get_result(task_id).status == "READY"
    except Exception:  # gone from the backend's store
        return False


def status(job: GettyImport):
    """The import as the browser polls it (reviving it first if its worker died): its state, why
    it failed, whether "Import again" may help, the Wagtail image once imported, and the Getty
    field's value (``display.field_value``) wherever Getty confirmed the licence."""
    from .display import field_value

    if not job.is_finished and revive(job):
        job.refresh_from_db()
    licence = GettyLicence.objects.select_related("image").filter(pk=job.licence_id).first()
    answer = {
        "id": job.pk,
        "getty_id": job.getty_id,
        "state": job.state,
        "attempts": job.attempts,
        "error": job.error or None,
        "code": job.error_code or None,
        "image": None,
        "licence": licence.pk if licence else None,
        "can_retry": job.state == GettyImport.FAILED and bool(job.delivery_uri),
        "value": field_value(licence) if licence is not None else None,
    }
    if job.state == GettyImport.IMPORTED and licence is not None:
        answer["image"] = licence.image_id
    return answer
