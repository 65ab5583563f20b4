"""`convoca <command>`: Django's management commands with Convoca's settings."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "convoca.settings")
    from convoca import config

    try:
        if config.env_bool(os.environ, "CONVOCA_DEMO"):
            config.ensure_demo_keys()
    except config.ConfigError as error:
        sys.exit(f"Convoca configuration error: {error}")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["convoca", *sys.argv[1:]])


if __name__ == "__main__":
    main()
