from django.urls import path

from convoca.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("staff/", views.index, name="index"),
    path("staff/c/<slug:campaign>/", views.campaign, name="campaign"),
    path("staff/c/<slug:campaign>/figures.json", views.figures_json, name="figures"),
    path("staff/c/<slug:campaign>/organizations/", views.review_organizations, name="review"),
    path("staff/c/<slug:campaign>/look/", views.look, name="look"),
    path("staff/c/<slug:campaign>/partners/new/", views.partner_edit, name="partner-new"),
    path("staff/c/<slug:campaign>/partners/<int:partner_id>/", views.partner_edit, name="partner"),
    path("staff/c/<slug:campaign>/partners/<int:partner_id>/delete/", views.partner_delete, name="partner-delete"),
    path("staff/c/<slug:campaign>/statements/new/", views.statement_new, name="statement-new"),
    path("staff/s/<slug:slug>/", views.statement, name="statement"),
    path("staff/s/<slug:slug>/text/<str:language>/", views.revision, name="revision"),
    path("staff/s/<slug:slug>/exports/", views.statement_exports, name="exports"),
    path("staff/exports/<int:export_id>/", views.export_detail, name="export"),
    path("staff/exports/<int:export_id>/download/", views.export_download, name="export-download"),
]
