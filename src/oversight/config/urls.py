from django.templatetags.static import static
from django.urls import include, path
from django.views.generic.base import RedirectView

from oversight.api.api import api

urlpatterns = [
    path("api/", api.urls),
    path("", include("oversight.accounts.urls")),
    path("", include("oversight.register.urls")),
    path("", include("oversight.decisions.urls")),
    path("", include("oversight.monitoring.urls")),
    path("", include("oversight.audit.urls")),
    path("", include("oversight.web.urls")),
    path("favicon.ico", RedirectView.as_view(url=static("web/favicon.svg"), permanent=True), name="favicon"),
]
