from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from convoca.actions.atom import NewActions
from convoca.api.endpoints import api, not_found
from convoca.core import views as core_views

urlpatterns = [
    path("", core_views.root, name="root"),
    path("healthz", core_views.healthz, name="healthz"),
    path("api/v1/", api.urls),
    re_path(r"^api/", not_found),
    path("feeds/<slug:campaign>/actions.atom", NewActions(), name="actions-atom"),
    path("", include("convoca.campaigns.urls")),
]

urlpatterns += i18n_patterns(
    path("", include("convoca.statements.urls")),
    path("", include("convoca.actions.urls")),
    path("", include("convoca.moderation.urls")),
    path("", include("convoca.links.urls")),
    path("", include("convoca.cards.urls")),
    path("", include("convoca.dashboard.urls")),
    path("", include("convoca.imports.urls")),
    path("", include("convoca.embeds.urls")),
    path("demo/outbox/", core_views.demo_outbox, name="demo-outbox"),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)
