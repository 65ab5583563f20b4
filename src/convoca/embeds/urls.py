from django.urls import path

from convoca.embeds import views

app_name = "embeds"

urlpatterns = [
    path("embed/s/<slug:slug>/count/", views.count, name="count"),
    path("embed/s/<slug:slug>/form/", views.form, name="form"),
    path("embed/s/<slug:slug>/endorse/", views.endorse, name="endorse"),
    path("embed/s/<slug:slug>/check-your-inbox/", views.inbox, name="inbox"),
    path("embed/c/<slug:campaign>/map/", views.actions_map, name="map"),
    path("staff/embeds/<slug:campaign>/", views.snippet_page, name="snippets"),
]
