"""Admin re-index over HTTP: start, follow, one at a time, cancel, auth, schema change."""

import time

import pytest
from fastapi.testclient import TestClient

from indexer import jobs
from indexer.index import current_generation, index_root
from indexer.settings import Settings
from service.app import create_app

TOKEN = "s3cret-admin"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def data(demo_copy):
    return demo_copy


@pytest.fixture
def client(data):
    with TestClient(create_app(Settings(data=data, admin_token=TOKEN, workers=1))) as c:
        yield c


def wait(client, job_id, timeout=120):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        job = client.get(f"/api/admin/jobs/{job_id}", headers=AUTH).json()
        if job["state"] in ("done", "failed", "cancelled"):
            return job
        time.sleep(0.2)
    raise AssertionError("job did not finish")


def test_reindex_over_http_while_searching(client, data):
    live = current_generation(data)
    r = client.post("/api/admin/reindex", headers=AUTH)
    assert r.status_code == 202
    job_id = r.json()["job_id"]
    assert client.get("/api/search", params={"q": "thi đua"}).status_code == 200  # API stays responsive
    job = wait(client, job_id)
    assert job["state"] == "done" and job["done"] == job["total"] > 0 and job["failed"] == []
    assert {"rate", "eta", "started", "finished"} <= job.keys()
    assert current_generation(data) != live
    assert client.get("/healthz").status_code == 200


def test_only_one_reindex_at_a_time(client, data):
    with jobs.JobLock(data):
        r = client.post("/api/admin/reindex", headers=AUTH)
    assert r.status_code == 409 and "running" in r.json()["detail"]


def test_admin_needs_the_token(client):
    assert client.post("/api/admin/reindex").status_code in (401, 403)
    assert client.get("/api/admin/jobs/x", headers={"Authorization": "Bearer wrong"}).status_code == 403
    r = client.get("/api/admin/jobs/nope", headers=AUTH)
    assert r.status_code == 404 and "GET /api/admin/jobs" in r.json()["detail"]
    assert str(client.app.state.settings.data) not in r.json()["detail"]  # no server path in a message


def test_cancel(client, data):
    job_id = client.post("/api/admin/reindex", headers=AUTH).json()["job_id"]
    r = client.post(f"/api/admin/jobs/{job_id}/cancel", headers=AUTH)
    assert r.status_code == 200
    job = wait(client, job_id)
    assert job["state"] in ("cancelled", "done")  # a tiny archive may finish first
    assert sorted(p.name for p in index_root(data).glob("gen-*"))[-1] == current_generation(data)


def test_schema_change_starts_says_reindex_and_is_fixed(client, data):
    gen = index_root(data) / current_generation(data)
    (gen / "VERSION").write_text("schema-0/old")
    r = client.get("/api/search", params={"q": "thi đua"})
    assert r.status_code == 409 and "vanthu reindex" in r.json()["detail"]
    status = client.get("/api/admin/index", headers=AUTH).json()
    assert status["reindex_needed"] is True
    job = wait(client, client.post("/api/admin/reindex", headers=AUTH).json()["job_id"])
    assert job["state"] == "done"
    assert client.get("/api/search", params={"q": "thi đua"}).json()["total"] > 0


def test_conflict_names_the_running_job(client, data):
    with jobs.JobLock(data):
        job = jobs.new_job(data, by="cli")
        job["state"] = "running"
        jobs.save_job(data, job)
        r = client.post("/api/admin/reindex", headers=AUTH)
        job["state"] = "failed"
        jobs.save_job(data, job)
    assert r.status_code == 409
    assert f"/api/admin/jobs/{job['id']}" in r.json()["detail"]
