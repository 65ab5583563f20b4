"""A loopback nginx built around the shipped snippets (deploy/nginx/), for tests and bench/load.py."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def binary() -> str | None:
    found = shutil.which("nginx") or "/usr/sbin/nginx"
    return found if Path(found).exists() else None


def config(tmp: Path, port: int, upstreams: list[int], *, cache: bool = False, workers: int = 1) -> Path:
    """nginx on 127.0.0.1:`port` in front of the app servers on `upstreams`, logging with the
    shipped address-free format; with `cache`, the shipped cache snippet too."""
    tmp.mkdir(parents=True, exist_ok=True)
    servers = "\n".join(f"        server 127.0.0.1:{upstream};" for upstream in upstreams)
    # as root (CI), nginx's workers would become `nobody` and could not write the cache it created
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};" if os.geteuid() == 0 else ""
    cache_zone = (
        f"proxy_cache_path {tmp}/cache levels=1:2 keys_zone=convoca:10m max_size=100m inactive=10m use_temp_path=off;"
        if cache
        else ""
    )
    cache_include = f"include {REPO}/deploy/nginx/convoca-cache.conf;" if cache else ""
    path = tmp / "nginx.conf"
    path.write_text(f"""
{user}
worker_processes {workers};
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log crit;
events {{ worker_connections 1024; }}
http {{
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {REPO}/deploy/nginx/convoca-http.conf;
    access_log {tmp}/nginx-access.log convoca_private;
    {cache_zone}
    upstream convoca {{
{servers}
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://convoca;
            include {REPO}/deploy/nginx/convoca-proxy.conf;
            {cache_include}
        }}
    }}
}}
""")
    return path


def start(tmp: Path, port: int, upstreams: list[int], **options) -> subprocess.Popen:
    return subprocess.Popen(
        [binary() or "nginx", "-c", str(config(tmp, port, upstreams, **options))],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
