from django.urls import path

from convoca.cards import views

app_name = "cards"

urlpatterns = [
    path("s/<slug:slug>/card-<slug:version>.png", views.statement, name="statement"),
    path("a/<int:action_id>/card-<slug:version>.png", views.action, name="action"),
    path("c/<slug:campaign>/actions/card-<slug:version>.png", views.campaign, name="campaign"),
]
