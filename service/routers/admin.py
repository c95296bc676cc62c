"""Admin jobs: start a bulk re-index, follow it, cancel it. Thin routes over indexer.jobs.

The job runs in a background thread of this process (its extraction/segmentation in a
spawn process pool), so the API keeps answering; searches use the live generation until
the atomic switch. Every admin action is logged on the `vanthu.admin` logger.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, Depends, Query, Request

from indexer import jobs
from indexer.index import current_generation, generation_version, index_root
from indexer.schema import SCHEMA_VERSION
from indexer.settings import Settings
from service.deps import get_settings, require_admin

router = APIRouter(prefix="/api/admin", dependencies=[Depends(require_admin)])
log = logging.getLogger("vanthu.admin")


def get_runner(request: Request) -> jobs.JobRunner:
    runner = getattr(request.app.state, "job_runner", None)
    if runner is None:
        settings: Settings = request.app.state.settings
        runner = request.app.state.job_runner = jobs.JobRunner(settings.data, workers=settings.worker_count)
    return runner


@router.post("/reindex", status_code=202)
def start_reindex(
    restart: bool = Query(False, description="start over instead of resuming an interrupted re-index"),
    re_extract: bool = Query(False, description="re-extract every original"),
    runner: jobs.JobRunner = Depends(get_runner),
):
    """Start a re-index (409 when one is running) → {"job_id"}."""
    job = runner.start(by="api", restart=restart, re_extract=re_extract)
    log.info("admin started reindex job %s (restart=%s, re_extract=%s)", job["id"], restart, re_extract)
    return {"job_id": job["id"], "state": job["state"], "url": f"/api/admin/jobs/{job['id']}"}


@router.get("/jobs")
def all_jobs(settings: Settings = Depends(get_settings)):
    return {"jobs": jobs.list_jobs(settings.data)}


@router.get("/jobs/{job_id}")
def get_job(job_id: str, settings: Settings = Depends(get_settings)):
    """{"state", "done", "total", "failed": [...], "rate", "eta", "started", "finished", …}."""
    return jobs.load_job(settings.data, job_id)


@router.post("/jobs/{job_id}/cancel")
@router.delete("/jobs/{job_id}")
def cancel_job(job_id: str, runner: jobs.JobRunner = Depends(get_runner)):
    job = runner.cancel(job_id)
    log.info("admin cancelled job %s (was %s)", job_id, job["state"])
    return {"job_id": job_id, "state": job["state"], "cancel_requested": job.get("cancel_requested", False)}


@router.get("/index")
def index_status(settings: Settings = Depends(get_settings)):
    """The live generation, its version, and whether a re-index is needed."""
    name = current_generation(settings.data)
    version = generation_version(index_root(settings.data) / name) if name else None
    return {
        "generation": name,
        "version": version,
        "expected_version": SCHEMA_VERSION,
        "reindex_needed": name is not None and version != SCHEMA_VERSION,
        "reindex_running": jobs.lock_held(settings.data),
    }
