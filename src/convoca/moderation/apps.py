from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "convoca.moderation"
    label = "moderation"
