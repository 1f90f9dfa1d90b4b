from django.urls import include, path

from oversight.api.api import api

urlpatterns = [
    path("api/", api.urls),
    path("", include("oversight.accounts.urls")),
    path("", include("oversight.web.urls")),
]
