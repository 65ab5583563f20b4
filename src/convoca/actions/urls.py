from django.urls import path

from convoca.actions import views

app_name = "actions"

urlpatterns = [
    path("c/<slug:campaign>/actions/", views.campaign_actions, name="list"),
    path("c/<slug:campaign>/actions/new/", views.submit, name="submit"),
    path("c/<slug:campaign>/actions/thanks/", views.submitted, name="submitted"),
    path("a/<int:action_id>/", views.detail, name="detail"),
    path("actions/verify/<str:token>/", views.verify, name="verify"),
    path("actions/manage/<str:token>/", views.manage, name="manage"),
]
