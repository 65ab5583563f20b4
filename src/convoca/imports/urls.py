from django.urls import path

from convoca.imports import views

app_name = "imports"

urlpatterns = [
    path("staff/import/", views.index, name="index"),
    path("staff/import/<int:pk>/", views.detail, name="detail"),
    path("staff/import/<int:pk>/map/", views.map_columns, name="map"),
    path("staff/import/<int:pk>/run/", views.run, name="run"),
    path("staff/import/<int:pk>/resume/", views.resume, name="resume"),
    path("staff/import/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("staff/import/<int:pk>/status.json", views.status, name="status"),
    path("staff/import/<int:pk>/bad-rows.csv", views.bad_rows_csv, name="bad-rows"),
]
