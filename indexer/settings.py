"""One settings object, read from the environment (prefix ``VANTHU_``) when asked for.

Library functions take explicit arguments; only the CLI and the service build a Settings.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="VANTHU_", extra="ignore")

    data: Path = Field(default=Path("./var"), description="data dir: index, originals, jobs")
    admin_token: str | None = Field(default=None, description="bearer token for admin calls")
    max_upload_mb: float = Field(default=50, description="upload size limit (413 above)")
    max_file_mb: float = Field(default=100, description="files larger than this are skipped when indexing")
    workers: int = Field(default=0, description="extraction/segmentation processes; 0 = all cores")
    ocr: bool = Field(default=True, description="OCR pages without a text layer (needs tesseract)")
    ocr_max_pages: int = Field(default=30, description="OCR at most this many pages per file")
    extract_timeout_s: float = Field(default=300, description="give up on one file after this long")
    large_upload_mb: float = Field(default=2, description="uploads this big are prepared in a worker process")

    @property
    def worker_count(self) -> int:
        return self.workers if self.workers > 0 else (os.cpu_count() or 1)


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings (cached; tests build their own Settings instead)."""
    return Settings()
