from django.urls import path

from convoca.campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("theme/<slug:campaign>/<str:version>.css", views.stylesheet, name="stylesheet"),
    path("theme/<slug:campaign>/logo-<str:version>", views.logo, name="logo"),
]
