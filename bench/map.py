"""Benchmark: the map page with 10,000 actions in Debian's Chromium (clustering keeps it usable).

Run with `make bench`. Starts the web server on loopback against a fresh SQLite database filled
by bench/geojson.py's `populate`, opens the campaign's action page headless, and prints how long
the map takes to show every action, how many cluster icons it draws, and how long a zoom takes.
The reference is the same page with 100 actions, in the same run.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def measure(count: int) -> dict:
    data_dir = tempfile.mkdtemp(prefix="convoca-bench-map-")
    env = {**os.environ, "BENCH_ACTIONS": str(count), "BENCH_DATA_DIR": data_dir}
    subprocess.run([sys.executable, str(ROOT / "bench" / "geojson.py"), "--populate-only"], env=env, check=True)
    port = free_port()
    server_env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "convoca.settings", "CONVOCA_DATA_DIR": data_dir,
        "SECRET_KEY": "bench-secret-key-bench-secret-key-0123456789",
        "CONVOCA_DATA_KEY": "q3Vtb0JbCwKMvq7QRmU4kOM6x2nSKGdUd3AgZD9EC_U=", "EMAIL_URL": "smtp://127.0.0.1:1",
        "CONVOCA_BASE_URL": f"http://127.0.0.1:{port}", "ALLOWED_HOSTS": "127.0.0.1",
    }  # fmt: skip
    server_env.pop("DATABASE_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "convoca", "runserver", "--noreload", "--insecure", f"127.0.0.1:{port}"],
        env=server_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(100):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        from playwright.sync_api import sync_playwright

        profile = tempfile.mkdtemp()
        os.environ.setdefault("XDG_CONFIG_HOME", profile)
        os.environ.setdefault("XDG_CACHE_HOME", profile)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                      "--disable-component-update", "--disable-sync", "--no-first-run"],
            )  # fmt: skip
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            began = time.perf_counter()
            page.goto(f"http://127.0.0.1:{port}/en/c/bench/actions/")
            page.wait_for_selector(f"#action-map[data-loaded='{count}']", timeout=120_000)
            loaded = (time.perf_counter() - began) * 1000
            icons = page.locator(".leaflet-marker-icon").count()
            zoom = page.evaluate(
                """() => { const map = window.convocaMap, t = performance.now();
                   map.setView(map.getCenter(), map.getZoom() + 2, {animate: false});
                   document.querySelectorAll('.leaflet-marker-icon').length;  // forces layout
                   return performance.now() - t; }"""
            )
            browser.close()
    finally:
        server.terminate()
        server.wait()
    return {"count": count, "loaded_ms": loaded, "icons": icons, "zoom_ms": zoom}


def main():
    print("Map page in Debian's Chromium (headless, 1280×900), web server on loopback, SQLite")
    print(f"{'actions':>8}{'page + all pins ms':>20}{'icons drawn':>13}{'zoom (+2, in page) ms':>23}")
    for count in (100, 10_000):
        result = measure(count)
        print(f"{result['count']:>8,}{result['loaded_ms']:>20.0f}{result['icons']:>13}{result['zoom_ms']:>23.0f}")


if __name__ == "__main__":
    main()
