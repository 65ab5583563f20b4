from django.urls import path

from convoca.moderation import views

app_name = "moderation"

urlpatterns = [
    path("moderation/actions/", views.action_queue, name="actions"),
]
