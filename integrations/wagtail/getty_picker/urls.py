"""Include at a path of your choice, e.g. ``path("getty-picker/", include("getty_picker.urls"))``;
the token service's ``PICKER_AUTH_URL`` is then ``https://cms.example.com/getty-picker/auth/``."""

from django.urls import path

from .views import forward_auth

app_name = "getty_picker"
urlpatterns = [path("auth/", forward_auth, name="forward_auth")]
