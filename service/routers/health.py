from __future__ import annotations

from fastapi import APIRouter, Depends

from indexer.library import Library
from service import models
from service.deps import get_library

router = APIRouter()


@router.get("/healthz", response_model=models.Health)
def healthz(lib: Library = Depends(get_library)):
    """200 when the index can be searched (503 with the reason otherwise)."""
    return {"status": "ok", "documents": lib.count()}
