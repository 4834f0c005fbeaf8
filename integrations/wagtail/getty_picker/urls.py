"""Include at a path of your choice, e.g. ``path("getty-picker/", include("getty_picker.urls"))``;
the token service's ``PICKER_AUTH_URL`` is then ``https://cms.example.com/getty-picker/auth/``."""

from django.urls import path

from . import import_views, views

app_name = "getty_picker"
urlpatterns = [
    path("auth/", views.forward_auth, name="forward_auth"),
    path("import/", views.import_download, name="import"),
    path("licences/<int:pk>/import/", views.import_again, name="import_again"),
    path("library/", views.library, name="library"),
    # Background imports (the image chooser's Getty tab): start, poll, "Import again".
    path("imports/", import_views.start_import, name="import_start"),
    path("imports/<int:pk>/", import_views.import_status, name="import_status"),
    path("imports/<int:pk>/retry/", import_views.import_retry, name="import_retry"),
]
