"""The background task of Django's task framework (``django-tasks``) that imports a licensed file.

It runs wherever ``GETTY_PICKER["TASK_BACKEND"]`` sends it (the ``TASKS`` alias; ``"default"``
unless set), on the queue ``GETTY_PICKER["TASK_QUEUE"]``: with ``django-tasks-db`` that is
``manage.py db_worker``; a site with more than one machine points the alias at the Celery or RQ
backend of the task framework it already runs. The work itself is ``getty_picker.imports.run``.
"""

from django_tasks import task

from . import imports


@task()
def import_getty_image(import_pk: int):
    """Imports the licensed file of the ``GettyImport`` ``import_pk``; returns the state it left
    the import in (``None`` if another worker had it or it was finished)."""
    return imports.run(import_pk)


def check_task_backend(app_configs=None, **kwargs):
    """Warns when imports would not run in the background: the immediate backend runs them
    inside the editor's web request, the dummy one never."""
    from django.core import checks
    from django_tasks import task_backends
    from django_tasks.backends.dummy import DummyBackend
    from django_tasks.backends.immediate import ImmediateBackend

    from .conf import task_settings

    try:
        alias = task_settings().backend
        backend = task_backends[alias]
    except Exception as error:  # an unknown alias, a backend that cannot be built
        return [checks.Error(f"The Getty import task has no backend: {error}", id="getty_picker.E001")]
    if isinstance(backend, ImmediateBackend):
        problem = "runs licensed-file imports inside the editor's web request"
    elif isinstance(backend, DummyBackend):
        problem = "never runs licensed-file imports"
    else:
        return []
    return [
        checks.Warning(
            f"The task backend {alias!r} ({type(backend).__name__}) {problem}.",
            hint="Point GETTY_PICKER['TASK_BACKEND'] at a TASKS backend with a worker, e.g. "
            "django_tasks_db.DatabaseBackend and `manage.py db_worker`.",
            id="getty_picker.W004",
        )
    ]
