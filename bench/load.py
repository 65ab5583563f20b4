"""Benchmark: the production server under load, every figure beside a trivial view's ceiling.

Run with `make bench` (or `python bench/load.py [--postgres URL] [--seconds N]`). It prints one
table; it does not pass or fail. For each database (SQLite, then PostgreSQL when a URL is given
or CONVOCA_BENCH_POSTGRES_URL is set) it:

1. fills a fresh database: one statement with 100,000 confirmed endorsements (counted) and a
   campaign with 10,000 approved actions;
2. starts `convoca serve` as in production (gunicorn, 2 sync workers as deploy/convoca.env, the
   private access log; the intake again on 2 workers of 8 threads, group-committed, beside it),
   proof of work and rate limits off unless the scenario says otherwise;
3. drives it with wrk from this machine (load generator included in the 2 cores), each scenario
   right after a ceiling run of `GET /healthz` (a view that touches nothing), so each figure is
   also a ratio to the ceiling measured next to it;
4. checks that every acknowledged sign-up (202) exists exactly once in the database, and reads
   each gunicorn worker's resident memory at the end.

Scenarios: intake at 1, 32 and 256 clients; intake with proof of work on (solutions prepared
before the run at the lowest difficulty: the server's cost of checking one does not depend on the
difficulty); confirmations; the statement page (uncached); the counts endpoint; the GeoJSON of
10,000 actions (gzip, prepared as the worker prepares it); the statement page through nginx with the shipped cache snippet (tests/nginx.py)
in front of the same server.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests import nginx  # noqa: E402 - needs ROOT on the path
from tests.net import free_port, wait_for_port  # noqa: E402

PYTHON = sys.executable
ENDORSEMENTS = 100_000
ACTIONS = 10_000

BASE_ENV = {
    "SECRET_KEY": "bench-secret-key-bench-secret-key-0123456789",
    "CONVOCA_DATA_KEY": "q3Vtb0JbCwKMvq7QRmU4kOM6x2nSKGdUd3AgZD9EC_U=",
    "EMAIL_URL": "smtp://127.0.0.1:1",
    "ALLOWED_HOSTS": "127.0.0.1",
    "CONVOCA_BASE_URL": "http://127.0.0.1:8000",
    "CONVOCA_PROOF_OF_WORK": "off",
    "CONVOCA_RATE_LIMITS": "off",
    "DJANGO_SETTINGS_MODULE": "convoca.settings",
    "WEB_CONCURRENCY": "2",
    "CONVOCA_WEB_THREADS": "1",  # sync workers, as deploy/convoca.env; threaded ones measured beside
}

SIGNUP_LUA = r"""
local thread_id = 0
local threads = {}
setup = function(thread)
  thread:set("id", thread_id); thread_id = thread_id + 1; table.insert(threads, thread)
end
init = function(args)
  math.randomseed(os.time() * 1000 + id)
  prefix = string.format("b%d-%d-%d", id, os.time(), math.random(1, 1e9))
  counter = 0; accepted = 0; other = 0
  proofs = {}
  if args[1] then for line in io.lines(args[1]) do table.insert(proofs, line) end end
  nthreads = tonumber(args[2] or "1")
end
request = function()
  counter = counter + 1
  local altcha = ""
  if #proofs > 0 then
    local index = ((counter - 1) * nthreads + id) % #proofs + 1  -- each thread its own share, each proof once
    altcha = ',"altcha":"' .. proofs[index] .. '"'
  end
  local body = '{"kind":"person","name":"Bench Person","email":"' .. prefix .. "-" .. counter ..
    '@example.org","country":"FR"' .. altcha .. '}'
  return wrk.format("POST", "/api/v1/statements/bench/endorsements", {["Content-Type"]="application/json"}, body)
end
response = function(status, headers, body)
  if status == 202 then accepted = accepted + 1 else other = other + 1 end
end
done = function(summary, latency, requests)
  local a, o = 0, 0
  for _, t in ipairs(threads) do a = a + t:get("accepted"); o = o + t:get("other") end
  io.write(string.format("ACCEPTED %d OTHER %d\n", a, o))
end
"""

PATHS_LUA = r"""
local thread_id = 0
local threads = {}
setup = function(thread)
  thread:set("id", thread_id); thread_id = thread_id + 1; table.insert(threads, thread)
end
init = function(args)
  paths = {}
  for line in io.lines(args[1]) do table.insert(paths, line) end
  nthreads = tonumber(args[2]); counter = 0; ok = 0; other = 0
end
request = function()
  local index = counter * nthreads + id + 1
  counter = counter + 1
  if index > #paths then index = (index - 1) % #paths + 1 end
  return wrk.format("POST", paths[index], {["Content-Type"]="application/x-www-form-urlencoded"}, "")
end
response = function(status, headers, body)
  if status == 200 then ok = ok + 1 else other = other + 1 end
end
done = function(summary, latency, requests)
  local a, o = 0, 0
  for _, t in ipairs(threads) do a = a + t:get("ok"); o = o + t:get("other") end
  io.write(string.format("ACCEPTED %d OTHER %d\n", a, o))
end
"""


def django_run(env: dict, code: str) -> str:
    """Run Python with Django set up against the benchmark's database; return its stdout."""
    prelude = "import django; django.setup()\n"
    result = subprocess.run(
        [PYTHON, "-c", prelude + code], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    if result.returncode:
        raise SystemExit(result.stderr[-3000:])
    return result.stdout


POPULATE = f"""
import random
from datetime import UTC, datetime, timedelta
from django.core.management import call_command
from django.utils import timezone
from convoca.campaigns.models import Campaign
from convoca.core import crypto
from convoca.statements import domain
from convoca.statements.models import Counter, Endorsement, Revision, Statement
from convoca.actions.models import Action
call_command("migrate", verbosity=0)
campaign = Campaign.objects.create(slug="bench", languages=["en", "es", "ar"])
statement = Statement.objects.create(campaign=campaign, slug="bench", published=True, goal=200000)
Revision.objects.create(statement=statement, language="en", title="A statement under load", body="We **ask**.")
now = timezone.now()
sealed = crypto.encrypt("Someone Anonymous")
rows = []
rng = random.Random(7)
countries = ["FR", "AR", "PK", "SN", "JP", "US", "TR", "JO", "BR", "DE"]
for index in range({ENDORSEMENTS}):
    country = rng.choice(countries)
    public = index % 3 == 0
    rows.append(Endorsement(
        statement=statement, kind="person", name=sealed, email=sealed, email_hash=f"h{{index:063d}}",
        country=country, public_name=f"Person {{index}}" if public else "", consent_public=public,
        language="en", consent_count_at=now, counted=True, token_nonce="n", confirm_token_hash=f"c{{index:063d}}",
        withdraw_token_hash=f"w{{index:063d}}", confirm_expires_at=now, confirmed_at=now,
    ))
    if len(rows) == 5000:
        Endorsement.objects.bulk_create(rows); rows = []
Endorsement.objects.bulk_create(rows)
Counter.objects.create(statement=statement, country="", people={ENDORSEMENTS}, organizations=0)
start = datetime(2027, 3, 22, 12, tzinfo=UTC)
actions = [Action(
    campaign=campaign, state="approved", kind="rally", language="en", title=f"Action {{i}}", description="-",
    starts_local="2027-03-22T18:00", timezone="Europe/Paris", starts_at=start + timedelta(minutes=i % 1440),
    city=f"City {{i % 500}}", country="FR", latitude=40 + rng.uniform(-5, 5), longitude=2 + rng.uniform(-5, 5),
    organizer_name=sealed, organizer_email=sealed, organizer_email_hash=f"{{i:064d}}", token_nonce="n",
    verify_token_hash=f"v{{i:063d}}", manage_token_hash=f"m{{i:063d}}", verify_expires_at=start,
) for i in range({ACTIONS})]
Action.objects.bulk_create(actions, batch_size=2000)
print("populated")
"""


class Server:
    def __init__(self, env: dict, port: int, log: Path):
        self.env, self.port, self.log = env, port, log
        self.process = None

    def __enter__(self):
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [PYTHON, "-m", "convoca", "serve"], env=self.env | {"PORT": str(self.port)}, cwd=ROOT,
                stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        wait_for_port(self.port, timeout=60)
        return self

    def worker_rss_mb(self) -> list[float]:
        children = subprocess.run(
            ["ps", "-o", "pid=,rss=", "--ppid", str(self.process.pid)], capture_output=True, text=True, check=False
        ).stdout.split()
        return [round(int(rss) / 1024, 1) for rss in children[1::2]]

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)


def wrk(url: str, clients: int, seconds: int, script: Path | None = None, args: tuple = (), headers=()) -> dict:
    threads = min(2, clients)
    command = ["wrk", f"-t{threads}", f"-c{clients}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    for header in headers:
        command += ["-H", header]
    if script:
        command += ["-s", str(script)]
    command.append(url)
    if args:
        command += ["--", *args]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))

    def percentile(name):
        found = re.search(rf"^\s+{name}%\s+([\d.]+)(us|ms|s)", output, re.MULTILINE)
        if not found:
            return None
        value, unit = float(found.group(1)), found.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    accepted = re.search(r"ACCEPTED (\d+) OTHER (\d+)", output)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rate": rate,
        "p50": percentile("50"),
        "p99": percentile("99"),
        "accepted": int(accepted.group(1)) if accepted else None,
        "other": int(accepted.group(2)) if accepted else (int(errors.group(1)) if errors else 0),
    }


def rows(env: dict) -> int:
    return int(django_run(env, "from convoca.statements.models import Endorsement; print(Endorsement.objects.count())"))


def duplicates(env: dict) -> int:
    code = (
        "from django.db.models import Count\nfrom convoca.statements.models import Endorsement\n"
        "print(Endorsement.objects.values('statement', 'kind', 'email_hash').annotate(n=Count('id'))"
        ".filter(n__gt=1).count())"
    )
    return int(django_run(env, code))


def through_nginx(tmp: Path, port: int, base: str, seconds: int) -> tuple[dict, dict, str]:
    """The statement page through nginx with the shipped cache snippet, in front of the server."""
    proxy_port = free_port()
    proxy = nginx.start(tmp, proxy_port, [port], cache=True, workers=2)
    try:
        wait_for_port(proxy_port)
        page = f"http://127.0.0.1:{proxy_port}/en/s/bench/"
        statuses = []
        for _ in range(2):
            with urllib.request.urlopen(page, timeout=10) as answer:
                statuses.append(answer.headers.get("X-Cache-Status"))
        ceiling = wrk(f"{base}/healthz", 32, seconds)
        figures = wrk(page, 32, seconds)
        return figures, ceiling, f"X-Cache-Status {' then '.join(map(str, statuses))}"
    finally:
        proxy.terminate()
        proxy.wait(timeout=30)


def run_database(label: str, env: dict, seconds: int, work: Path, results: list) -> None:
    print(f"\n== {label}: populating {ENDORSEMENTS:,} endorsements and {ACTIONS:,} actions…", flush=True)
    print(django_run(env, POPULATE).strip(), flush=True)
    signup = work / "signup.lua"
    signup.write_text(SIGNUP_LUA)
    paths_script = work / "paths.lua"
    paths_script.write_text(PATHS_LUA)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = env | {"CONVOCA_BASE_URL": base}

    def row(name, figures, ceiling, note=""):
        results.append({"database": label, "scenario": name, **figures, "ceiling": ceiling["rate"], "note": note})
        ratio = figures["rate"] / ceiling["rate"] * 100 if ceiling["rate"] else 0.0
        print(
            f"{label:10} {name:34} {figures['rate']:8.0f}/s  p50 {figures['p50'] or 0:7.1f} ms  "
            f"p99 {figures['p99'] or 0:7.1f} ms  ceiling {ceiling['rate']:6.0f}/s  {ratio:5.1f} %  {note}",
            flush=True,
        )

    with Server(env, port, work / f"serve-{label}.log") as server:
        wrk(f"{base}/healthz", 32, 2)  # warm up both workers
        for clients in (1, 32, 256):
            before = rows(env)
            ceiling = wrk(f"{base}/healthz", clients, seconds)
            figures = wrk(base, clients, seconds, signup)
            created = rows(env) - before
            check = f"{figures['accepted']} acknowledged, {created} rows, {duplicates(env)} duplicated"
            if figures["accepted"] is not None and created < figures["accepted"]:
                check += "  LOST SIGN-UPS"
            row(f"intake, {clients} clients", figures, ceiling, check)
        ceiling = wrk(f"{base}/healthz", 32, seconds)
        row("statement page, uncached", wrk(f"{base}/en/s/bench/", 32, seconds), ceiling)
        if nginx.binary():
            row("statement page, nginx cache", *through_nginx(work / f"nginx-{label}", port, base, seconds))
        else:
            print("(nginx not installed: the statement page through its cache is not measured)")
        ceiling = wrk(f"{base}/healthz", 32, seconds)
        row("counts (API statement)", wrk(f"{base}/api/v1/statements/bench", 32, seconds), ceiling)
        ceiling = wrk(f"{base}/healthz", 32, seconds)
        # As in production, `convoca worker` prepares the feed every count interval; requests serve that copy.
        django_run(env, "from convoca.actions import feeds; feeds.prepare_all()")
        row(
            f"GeoJSON of {ACTIONS:,} actions, gzip",
            wrk(f"{base}/api/v1/campaigns/bench/actions.geojson", 32, seconds, headers=["Accept-Encoding: gzip"]),
            ceiling,
        )

        # Confirmations: the links of the sign-ups made above, derived as the mail worker would.
        confirm = work / "confirm.txt"
        code = (
            "from convoca.statements import domain\nfrom convoca.statements.models import Endorsement\n"
            "for e in Endorsement.objects.filter(confirmed_at__isnull=True).iterator():\n"
            "    print('/en/confirm/' + domain.confirm_token(e) + '/')"
        )
        confirm.write_text(django_run(env, code))
        links = len(confirm.read_text().splitlines())
        ceiling = wrk(f"{base}/healthz", 32, seconds)
        figures = wrk(base, 32, seconds, paths_script, (str(confirm), "2"))
        row("confirmations, 32 clients", figures, ceiling, f"{links} links available")
        rss = server.worker_rss_mb()
    print(f"{label:10} gunicorn workers' resident memory after the run: {rss} MB", flush=True)
    results.append({"database": label, "scenario": "worker RSS (MB)", "rss": rss})

    # The same intake on threaded workers (CONVOCA_WEB_THREADS=8): sign-ups group-committed.
    with Server(env | {"CONVOCA_WEB_THREADS": "8"}, port, work / f"serve-{label}-threaded.log"):
        wrk(f"{base}/healthz", 32, 2)
        before = rows(env)
        ceiling = wrk(f"{base}/healthz", 32, seconds)
        figures = wrk(base, 32, seconds, signup)
        created = rows(env) - before
        check = f"{figures['accepted']} acknowledged, {created} rows, {duplicates(env)} duplicated"
        row("intake, 32 clients, 8 threads", figures, ceiling, check + "; ceiling on the threaded workers")

    # Proof of work on: solutions prepared beforehand at the lowest difficulty.
    pow_env = env | {"CONVOCA_PROOF_OF_WORK": "on", "CONVOCA_PROOF_OF_WORK_DIFFICULTY": "2"}
    proofs = work / "proofs.txt"
    code = (
        "from convoca.gate import proof\n"
        f"for _ in range({max(2000, 1500 * seconds)}):\n    print(proof.solve(proof.new_challenge(2)))"
    )
    proofs.write_text(django_run(pow_env, code))
    with Server(pow_env, port, work / f"serve-{label}-pow.log"):
        wrk(f"{base}/healthz", 32, 2)
        before = rows(env)
        ceiling = wrk(f"{base}/healthz", 32, seconds)
        figures = wrk(base, 32, seconds, signup, (str(proofs), "2"))
        created = rows(env) - before
        refused = figures["other"]
        if refused:  # the prepared solutions ran out and were replayed: count only the accepted ones
            figures["rate"] = figures["accepted"] / seconds
        row(
            "intake, 32 clients, proof of work",
            figures,
            ceiling,
            f"{figures['accepted']} acknowledged, {created} rows, {refused} refused (replays past the list)",
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("BENCH_SECONDS", "10")))
    parser.add_argument("--postgres", default=os.environ.get("CONVOCA_BENCH_POSTGRES_URL"))
    options = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    results: list[dict] = []
    work = Path(tempfile.mkdtemp(prefix="convoca-load-"))
    print(
        f"machine: {os.cpu_count()} cores; {subprocess.run(['uname', '-srm'], capture_output=True, text=True).stdout.strip()}"
    )
    print(f"python {sys.version.split()[0]}; each scenario {options.seconds} s; logs in {work}")
    sqlite_dir = work / "sqlite"
    sqlite_dir.mkdir()
    env = dict(os.environ) | BASE_ENV | {"CONVOCA_DATA_DIR": str(sqlite_dir)}
    env.pop("DATABASE_URL", None)
    env.pop("CONVOCA_DEMO", None)
    run_database("SQLite", env, options.seconds, work, results)
    if options.postgres:
        pg_dir = work / "postgres"
        pg_dir.mkdir()
        admin = options.postgres
        name = f"convoca_bench_{os.getpid()}"
        django_run(
            env | {"DATABASE_URL": admin},
            f"from django.db import connection\nconnection.cursor().execute('CREATE DATABASE {name}')",
        )
        url = admin.rsplit("/", 1)[0] + f"/{name}"
        try:
            run_database(
                "PostgreSQL",
                env | {"CONVOCA_DATA_DIR": str(pg_dir), "DATABASE_URL": url},
                options.seconds,
                work,
                results,
            )
        finally:
            django_run(
                env | {"DATABASE_URL": admin},
                f"from django.db import connection\nconnection.cursor().execute('DROP DATABASE IF EXISTS {name} WITH (FORCE)')",
            )
    else:
        print(
            "\n(PostgreSQL skipped: pass --postgres postgres://user:pass@host:port/db or set CONVOCA_BENCH_POSTGRES_URL)"
        )
    (work / "results.json").write_text(json.dumps(results, indent=1))
    print(f"\nresults: {work / 'results.json'}")


if __name__ == "__main__":
    main()
