from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from dcplan.languages import LoginView, language_set
from dcplan.views import healthz, livez
from deliverables.views import home

handler403 = "dcplan.views.permission_denied"
handler404 = "dcplan.views.page_not_found"

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("livez", livez, name="livez"),
    path("", include("deliverables.urls")),
    path("", include("examples.urls")),
    path("", include("spreadsheets.urls")),
    path("", include("planning.urls")),
    path("reports/", include("reporting.urls")),
    path("reports/renders/", include("renders.urls")),
    path("login/", LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Django's set_language, which also keeps a signed-in user's choice for their e-mails.
    path("i18n/setlang/", language_set, name="set_language"),
    path("admin/", admin.site.urls),
]
