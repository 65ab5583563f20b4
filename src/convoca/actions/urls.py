from django.urls import path

from convoca.actions import views

app_name = "actions"

urlpatterns = [
    path("c/<slug:campaign>/actions/", views.campaign_actions, name="list"),
    path("c/<slug:campaign>/actions/new/", views.submit, name="submit"),
    path("c/<slug:campaign>/actions/thanks/", views.submitted, name="submitted"),
    path("a/<int:action_id>/", views.detail, name="detail"),
    path("actions/verify/<str:token>/", views.verify, name="verify"),
    path("a/<int:action_id>/rsvp/", views.rsvp, name="rsvp"),
    path("a/<int:action_id>/rsvp/thanks/", views.rsvp_thanks, name="rsvp-thanks"),
    path("rsvp/<str:token>/", views.rsvp_confirm, name="rsvp-confirm"),
    path("actions/manage/<str:token>/", views.manage, name="manage"),
    path("actions/manage/<str:token>/cancel/", views.manage_cancel, name="manage-cancel"),
    path("actions/manage/<str:token>/edit/", views.manage_edit, name="manage-edit"),
    path("actions/manage/<str:token>/renew/", views.manage_renew, name="manage-renew"),
    path("actions/manage/<str:token>/message/", views.manage_message, name="manage-message"),
    path("actions/manage/<str:token>/admit/", views.manage_admit, name="manage-admit"),
]
