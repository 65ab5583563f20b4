from django.urls import path

from convoca.statements import views

app_name = "statements"

urlpatterns = [
    path("", views.home, name="home"),
    path("s/<slug:slug>/", views.detail, name="detail"),
    path("s/<slug:slug>/endorse/", views.endorse, name="endorse"),
    path("s/<slug:slug>/check-your-inbox/", views.inbox, name="inbox"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("withdraw/<str:token>/", views.withdraw, name="withdraw"),
]
