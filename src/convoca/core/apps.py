from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    default = True
    name = "convoca.core"
    label = "core"

    def ready(self):
        from convoca.core import checks  # noqa: F401 - registers the deployment checks


class StaffAdminConfig(admin_apps.AdminConfig):
    """Django's admin on Convoca's staff site: two factors outside demo mode (`convoca.core.staff`)."""

    default = False
    default_site = "convoca.core.staff.StaffAdminSite"
