"""The migrations since the first licence records (Getty's confirmation, the imports in the
background, Getty's keywords) keep the rows earlier versions made: readable, marked as never
confirmed, replaced by Getty's answers at the next import."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("getty_picker", "0002_licences")]
AFTER = [("getty_picker", "0005_licence_keywords")]


@pytest.mark.every_database
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_rows_of_earlier_versions_stay_readable_and_unconfirmed():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    OldLicence = old_apps.get_model("getty_picker", "GettyLicence")
    OldLicence.objects.create(
        getty_id="1234",
        title="What the browser said",
        credit_line="Ann Lee / Getty Images",
        usage_restrictions=["Editorial use only"],
        licensed_at=timezone.now(),
        delivery_uri="https://delivery.gettyimages.com/downloads/1234",
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)

    from getty_picker.models import GettyLicence

    licence = GettyLicence.objects.get(getty_id="1234")
    assert (licence.title, licence.credit_line) == ("What the browser said", "Ann Lee / Getty Images")
    assert licence.usage_restrictions == ["Editorial use only"]
    assert not licence.is_verified and licence.verified_at is None and licence.date_downloaded is None
    assert (licence.downloaded_by, licence.getty_sizes, licence.keywords) == ("", [], [])
    assert not licence.imports.exists()
    # Back and forth: the new fields go and come back without touching the old ones.
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert GettyLicence.objects.get(getty_id="1234").title == "What the browser said"
