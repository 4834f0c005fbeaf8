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
