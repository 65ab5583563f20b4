from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "convoca.campaigns"
    label = "campaigns"
