"""Building CSV files and walking an import through its pages, in-process."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile

from convoca.imports import runner
from convoca.imports.models import ImportJob

HEADER = ["Full name", "Email address", "Type", "Organisation", "Country", "City", "List my name", "Newsletter"]


def csv_text(rows, header=HEADER, delimiter=",") -> str:
    def cell(value):
        value = str(value)
        if any(c in value for c in (delimiter, '"', "\n", "\r")):
            return '"' + value.replace('"', '""') + '"'
        return value

    return "".join(delimiter.join(cell(v) for v in row) + "\r\n" for row in [header, *rows])


def people(count, start=0, domain="example.org"):
    return [
        [f"Person {n}", f"person{n}@{domain}", "person", "", "AR", "Rosario", "yes" if n % 2 else "no", "no"]
        for n in range(start, start + count)
    ]


def upload(client, statement, data: bytes, name="signers.csv", **fields):
    response = client.post(
        "/en/staff/import/",
        {"statement": statement.pk, "file": SimpleUploadedFile(name, data, "text/csv"), **fields},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportJob.objects.get(pk=int(re.search(r"/staff/import/(\d+)/", response["Location"]).group(1)))


def mapping_post(job, **changes) -> dict:
    """The mapping form as the page pre-fills it (the guess), with `changes`."""
    data = {f"column_{name}": str(index) for name, index in job.mapping["columns"].items()}
    data.update({"fixed_kind": "person", "fixed_language": "en", "fixed_country": "", "fixed_source": ""})
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def drain(job) -> ImportJob:
    """Run the worker's import step in this process until the job stops moving."""
    for _ in range(1000):
        job.refresh_from_db()
        if not job.running:
            return job
        runner.work("test-worker", budget=30)
    raise AssertionError("the import did not finish")


def check(client, job, **changes) -> ImportJob:
    response = client.post(f"/en/staff/import/{job.pk}/map/", mapping_post(job, **changes))
    assert response.status_code == 302, response.content.decode()[:3000]
    return drain(job)


def run(client, job, verified=False, send_confirmation=False) -> ImportJob:
    form = {}
    if verified:
        form["verified"] = "on"
    if send_confirmation:
        form["send_confirmation"] = "on"
    response = client.post(f"/en/staff/import/{job.pk}/run/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    return drain(job)
