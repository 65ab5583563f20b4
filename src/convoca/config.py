"""Every setting Convoca reads from the environment, typed and validated in one place.

A bad value stops start-up with a message naming the variable. Nothing here writes files or
creates directories at import time; demo keys are created by `ensure_demo_keys()`, which only
`convoca demo` (and the demo Makefile target through it) calls.
"""

from __future__ import annotations

import base64
import ipaddress
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit


class ConfigError(Exception):
    """A configuration variable is missing or malformed; the message names it."""


def _get(env, name: str, default: str | None = None) -> str | None:
    value = env.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip()


def env_bool(env, name: str, default: bool = False) -> bool:
    value = _get(env, name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name}: expected 1/0, true/false, yes/no or on/off, got {value!r}")


def env_int(env, name: str, default: int, minimum: int = 0, maximum: int | None = None) -> int:
    value = _get(env, name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ConfigError(f"{name}: expected an integer, got {value!r}") from None
    if number < minimum or (maximum is not None and number > maximum):
        bounds = f"between {minimum} and {maximum}" if maximum is not None else f"at least {minimum}"
        raise ConfigError(f"{name}: must be {bounds}, got {number}")
    return number


def env_float(env, name: str, default: float, minimum: float, maximum: float) -> float:
    value = _get(env, name)
    if value is None:
        return default
    try:
        number = float(value)
    except ValueError:
        raise ConfigError(f"{name}: expected a number, got {value!r}") from None
    if not minimum <= number <= maximum:  # also refuses nan
        raise ConfigError(f"{name}: must be between {minimum:g} and {maximum:g}, got {value}")
    return number


def env_list(env, name: str, default: list[str]) -> list[str]:
    value = _get(env, name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def parse_rates(env, name: str, default: str) -> tuple[tuple[int, int], ...]:
    """`"1/60,5/300"`: at most 1 per 60 s and 5 per 300 s. Returns ((count, seconds), ...)."""
    value = _get(env, name, default)
    rates = []
    for item in value.split(","):
        count, _, seconds = item.strip().partition("/")
        try:
            rate = (int(count), int(seconds))
        except ValueError:
            raise ConfigError(
                f"{name}: expected COUNT/SECONDS[,COUNT/SECONDS...], e.g. 1/60,5/300; got {value!r}"
            ) from None
        if rate[0] < 1 or not 1 <= rate[1] <= 86400:
            raise ConfigError(f"{name}: counts must be at least 1 and windows between 1 and 86400 seconds: {value!r}")
        rates.append(rate)
    return tuple(rates)


def parse_networks(env, name: str) -> tuple:
    networks = []
    for item in env_list(env, name, []):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ConfigError(f"{name}: {item!r} is not an IP address or network (e.g. 10.0.0.0/8, ::1)") from None
    return tuple(networks)


def parse_database_url(url: str) -> dict:
    """`sqlite:///relative/path`, `sqlite:////absolute/path` or `postgres://user:pass@host:port/db`."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        if not url.startswith("sqlite:///"):
            raise ConfigError("DATABASE_URL: write sqlite URLs as sqlite:///relative/path or sqlite:////absolute/path")
        name = unquote(url.removeprefix("sqlite:///").split("?", 1)[0])
        if not name:
            raise ConfigError("DATABASE_URL: sqlite URL needs a path, e.g. sqlite:///var/convoca.sqlite3")
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": name}
    if parts.scheme in ("postgres", "postgresql"):
        database = unquote(parts.path.lstrip("/"))
        if not database:
            raise ConfigError("DATABASE_URL: postgres URL needs a database name")
        try:
            port = parts.port
        except ValueError:
            raise ConfigError("DATABASE_URL: the port is not a number") from None
        options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": database,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": unquote(parts.hostname or ""),
            "PORT": str(port or ""),
            "OPTIONS": options,
        }
    raise ConfigError(f"DATABASE_URL: unsupported scheme {parts.scheme!r} (use sqlite:/// or postgres://)")


@dataclass(frozen=True)
class EmailConfig:
    host: str
    port: int
    user: str
    password: str
    use_tls: bool
    use_ssl: bool


def parse_email_url(url: str) -> EmailConfig:
    parts = urlsplit(url)
    if parts.scheme != "smtp":
        raise ConfigError(f"EMAIL_URL: expected smtp://[user:pass@]host:port, got scheme {parts.scheme!r}")
    if not parts.hostname:
        raise ConfigError("EMAIL_URL: missing host")
    try:
        port = parts.port or 25
    except ValueError:
        raise ConfigError("EMAIL_URL: the port is not a number") from None
    query = parse_qs(parts.query)
    use_tls = query.get("tls", ["0"])[-1] == "1"
    use_ssl = query.get("ssl", ["0"])[-1] == "1"
    if use_tls and use_ssl:
        raise ConfigError("EMAIL_URL: choose tls=1 (STARTTLS) or ssl=1 (implicit TLS), not both")
    return EmailConfig(
        host=parts.hostname,
        port=port,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        use_tls=use_tls,
        use_ssl=use_ssl,
    )


def parse_data_keys(value: str) -> list[bytes]:
    keys = []
    for index, item in enumerate(value.split(",")):
        item = item.strip()
        if not item:
            continue
        try:
            key = base64.urlsafe_b64decode(item + "=" * (-len(item) % 4))
        except ValueError:
            raise ConfigError(f"CONVOCA_DATA_KEY: key {index + 1} is not base64") from None
        if len(key) != 32:
            raise ConfigError(
                f"CONVOCA_DATA_KEY: key {index + 1} must decode to 32 bytes, got {len(key)} "
                "(create one with: python -c 'import secrets,base64;"
                "print(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())')"
            )
        keys.append(key)
    if not keys:
        raise ConfigError("CONVOCA_DATA_KEY: no key given")
    return keys


def new_data_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


@dataclass(frozen=True)
class Config:
    demo: bool
    debug: bool
    port: int
    data_dir: Path
    database: dict
    email: EmailConfig | None
    secret_key: str
    data_keys: list[bytes]
    base_url: str
    allowed_hosts: list[str]
    count_interval: int
    mails_per_address_per_day: int
    mail_retry_seconds: float
    mail_lease_seconds: int
    web_concurrency: int
    web_threads: int
    attendee_retention_days: int
    unconfirmed_retention_days: int
    endorser_retention_days: int
    map_tiles: str
    map_attribution: str
    trusted_proxies: tuple = ()
    proof_of_work: bool = True
    proof_of_work_difficulty: int = 10000
    rate_limits: bool = True
    strict_rates: tuple = ((1, 60), (5, 300))
    normal_rates: tuple = ((5, 60), (20, 300))
    domain_alert_rate: tuple = ((50, 3600),)
    statement_alert_rate: tuple = ((1000, 600),)
    min_form_seconds: int = 3
    name_blocklist: Path | None = None
    redis_url: str | None = None
    db_pool_size: int = 4
    import_max_bytes: int = 50 * 1024 * 1024
    embed_ancestors: tuple = ("*",)


def _read_or_create(path: Path, make) -> str:
    """Demo only: keep a generated secret in the data directory so restarts keep working."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = make()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(value + "\n")
    return value


def demo_key_paths(data_dir: Path) -> tuple[Path, Path]:
    return data_dir / "demo-secret-key", data_dir / "demo-data-key"


def ensure_demo_keys(env=None) -> None:
    """Create the demo's secret and data key under the data directory (demo mode only)."""
    env = os.environ if env is None else env
    data_dir = Path(_get(env, "CONVOCA_DATA_DIR", "var"))
    secret_path, data_path = demo_key_paths(data_dir)
    _read_or_create(secret_path, lambda: secrets.token_urlsafe(50))
    _read_or_create(data_path, new_data_key)


def _map_tiles(env) -> str:
    url = _get(env, "CONVOCA_MAP_TILES", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
    if not url.startswith("https://") or not all(part in url for part in ("{z}", "{x}", "{y}")):
        raise ConfigError("CONVOCA_MAP_TILES: an https URL template with {z}, {x} and {y}")
    return url


def load(env=None) -> Config:
    env = os.environ if env is None else env
    demo = env_bool(env, "CONVOCA_DEMO")
    debug = env_bool(env, "DEBUG")
    port = env_int(env, "PORT", 8000, minimum=1, maximum=65535)
    data_dir = Path(_get(env, "CONVOCA_DATA_DIR", "var"))

    database_url = _get(env, "DATABASE_URL")
    if database_url:
        database = parse_database_url(database_url)
    else:
        database = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(data_dir / "convoca.sqlite3")}

    email_url = _get(env, "EMAIL_URL")
    email = parse_email_url(email_url) if email_url else None
    if email is None and not demo:
        raise ConfigError("EMAIL_URL: required outside demo mode (smtp://[user:pass@]host:port)")

    secret_key = _get(env, "SECRET_KEY")
    data_key_value = _get(env, "CONVOCA_DATA_KEY")
    if demo:
        secret_path, data_path = demo_key_paths(data_dir)
        if secret_key is None and secret_path.exists():
            secret_key = secret_path.read_text().strip()
        if data_key_value is None and data_path.exists():
            data_key_value = data_path.read_text().strip()
    if not secret_key:
        hint = " (run `make demo` once to create demo keys)" if demo else ""
        raise ConfigError(f"SECRET_KEY: required outside demo mode{hint}")
    if len(secret_key) < 32:
        raise ConfigError("SECRET_KEY: must be at least 32 characters")
    if not data_key_value:
        hint = " (run `make demo` once to create demo keys)" if demo else ""
        raise ConfigError(f"CONVOCA_DATA_KEY: required outside demo mode{hint}")
    data_keys = parse_data_keys(data_key_value)

    base_url = _get(env, "CONVOCA_BASE_URL", f"http://127.0.0.1:{port}" if demo else None)
    if not base_url:
        raise ConfigError("CONVOCA_BASE_URL: required outside demo mode (e.g. https://convoca.example.org)")
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"CONVOCA_BASE_URL: expected an absolute http(s) URL, got {base_url!r}")
    base_url = base_url.rstrip("/")

    allowed_hosts = env_list(env, "ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if demo else [parts.hostname])

    return Config(
        demo=demo,
        debug=debug,
        port=port,
        data_dir=data_dir,
        database=database,
        email=email,
        secret_key=secret_key,
        data_keys=data_keys,
        base_url=base_url,
        allowed_hosts=allowed_hosts,
        count_interval=env_int(env, "CONVOCA_COUNT_INTERVAL", 10, minimum=1, maximum=3600),
        mails_per_address_per_day=env_int(env, "CONVOCA_MAIL_CAP", 3, minimum=1, maximum=100),
        mail_retry_seconds=env_float(env, "CONVOCA_MAIL_RETRY_SECONDS", 30.0, minimum=0.01, maximum=3600),
        mail_lease_seconds=env_int(env, "CONVOCA_MAIL_LEASE_SECONDS", 60, minimum=1, maximum=3600),
        web_concurrency=env_int(env, "WEB_CONCURRENCY", 2, minimum=1, maximum=256),
        web_threads=env_int(env, "CONVOCA_WEB_THREADS", 1, minimum=1, maximum=256),
        attendee_retention_days=env_int(env, "CONVOCA_ATTENDEE_RETENTION_DAYS", 30, minimum=0, maximum=3650),
        unconfirmed_retention_days=env_int(env, "CONVOCA_UNCONFIRMED_RETENTION_DAYS", 7, minimum=1, maximum=365),
        endorser_retention_days=env_int(env, "CONVOCA_ENDORSER_RETENTION_DAYS", 90, minimum=0, maximum=3650),
        map_tiles=_map_tiles(env),
        map_attribution=_get(env, "CONVOCA_MAP_ATTRIBUTION", "© OpenStreetMap contributors"),
        trusted_proxies=parse_networks(env, "CONVOCA_TRUSTED_PROXIES"),
        proof_of_work=env_bool(env, "CONVOCA_PROOF_OF_WORK", True),
        proof_of_work_difficulty=env_int(env, "CONVOCA_PROOF_OF_WORK_DIFFICULTY", 10000, minimum=2, maximum=10_000_000),
        rate_limits=env_bool(env, "CONVOCA_RATE_LIMITS", True),
        strict_rates=parse_rates(env, "CONVOCA_RATE_LIMIT_STRICT", "1/60,5/300"),
        normal_rates=parse_rates(env, "CONVOCA_RATE_LIMIT_NORMAL", "5/60,20/300"),
        domain_alert_rate=parse_rates(env, "CONVOCA_ALERT_DOMAIN", "50/3600"),
        statement_alert_rate=parse_rates(env, "CONVOCA_ALERT_STATEMENT", "1000/600"),
        min_form_seconds=env_int(env, "CONVOCA_MIN_FORM_SECONDS", 3, minimum=0, maximum=600),
        name_blocklist=_existing_file(env, "CONVOCA_NAME_BLOCKLIST"),
        redis_url=_redis_url(env),
        # Each request thread and the group-commit writer hold a connection at once.
        db_pool_size=env_int(
            env,
            "CONVOCA_DB_POOL_SIZE",
            max(4, env_int(env, "CONVOCA_WEB_THREADS", 1, minimum=1, maximum=256) + 2),
            minimum=1,
            maximum=300,
        ),
        import_max_bytes=env_int(env, "CONVOCA_IMPORT_MAX_BYTES", 50 * 1024 * 1024, minimum=1024, maximum=2**40),
        embed_ancestors=_embed_ancestors(env),
    )


_ANCESTOR = re.compile(r"https?://(\*\.)?[A-Za-z0-9.-]+(:[0-9]{1,5})?")


def _embed_ancestors(env) -> tuple:
    """Who may frame the embeds (CSP `frame-ancestors`): `*`, or origins such as https://partner.example."""
    values = env_list(env, "CONVOCA_EMBED_ANCESTORS", ["*"])
    for value in values:
        if value != "*" and not _ANCESTOR.fullmatch(value):
            raise ConfigError(
                f"CONVOCA_EMBED_ANCESTORS: {value!r} is neither * nor an origin like https://partner.example"
            )
    if not values:
        raise ConfigError("CONVOCA_EMBED_ANCESTORS: name at least one origin, or *")
    return tuple(values)


def _redis_url(env) -> str | None:
    value = _get(env, "REDIS_URL")
    if value is not None and urlsplit(value).scheme not in ("redis", "rediss", "unix"):
        raise ConfigError(f"REDIS_URL: expected redis://host:port/db, rediss://… or unix://…, got {value!r}")
    return value


def _existing_file(env, name: str) -> Path | None:
    value = _get(env, name)
    if value is None:
        return None
    path = Path(value)
    if not path.is_file():
        raise ConfigError(f"{name}: no such file: {value}")
    return path
