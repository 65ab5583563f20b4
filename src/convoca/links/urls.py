from django.urls import path

from convoca.links import views

app_name = "links"

urlpatterns = [
    path("links/", views.request_links, name="request"),
    path("links/sent/", views.sent, name="sent"),
]
