"""The example site's URLs: Wagtail's admin, the picker's forward-auth check, the pages."""

from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    # PICKER_AUTH_URL = http://127.0.0.1:8000/getty-picker/auth/
    path("getty-picker/", include("getty_picker.urls")),
    path("", include(wagtail_urls)),
]
