from django.apps import AppConfig


class EmbedsConfig(AppConfig):
    name = "convoca.embeds"
    label = "embeds"
