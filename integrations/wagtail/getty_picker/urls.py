"""Include at a path of your choice, e.g. ``path("getty-picker/", include("getty_picker.urls"))``;
the token service's ``PICKER_AUTH_URL`` is then ``https://cms.example.com/getty-picker/auth/``."""

from django.urls import path

from . import import_views, views

app_name = "getty_picker"
urlpatterns = [
    path("auth/", views.forward_auth, name="forward_auth"),
    path("library/", views.library, name="library"),
    # Imports run by a worker: start one for a download, or for a licence record whose file is
    # not imported ("Import again" in a field); poll it; "Import again" after a failed one.
    path("imports/", import_views.start_import, name="import_start"),
    path("licences/<int:pk>/import/", import_views.import_licence, name="import_again"),
    path("imports/<int:pk>/", import_views.import_status, name="import_status"),
    path("imports/<int:pk>/retry/", import_views.import_retry, name="import_retry"),
]
