"""Property-based API tests: schemathesis fuzzes the real app's OpenAPI over a real index.

No answer may be a 5xx, and every documented answer must match its schema and content type.
Admin operations are left out: they only answer 401 without the token, and with it they
would write to the shared demo index.

The app publishes CONTRACT.md's error shape `{"detail": "<message>"}` (not FastAPI's list
form); the 422 answers are checked against it.

The schema is loaded from an app built at import time (`@schema.parametrize()` needs it
then; schemathesis' `from_fixture` breaks on pytest 9), and a fixture points that app at
the indexed demo archive before the first call.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from indexer.library import Library
from indexer.settings import Settings
from service.app import create_app

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


def fuzz_settings(data: Path) -> Settings:
    return Settings(data=data, admin_token="never-sent-by-the-fuzzer", ocr=False)


def contract_openapi(app) -> dict:
    doc = json.loads(json.dumps(app.openapi()))
    assert doc["components"]["schemas"]["HTTPValidationError"]["properties"]["detail"]["type"] == "string"
    return doc


APP = create_app(fuzz_settings(Path(tempfile.gettempdir()) / "vanthu-schemathesis-no-data"))
schema = schemathesis.openapi.from_dict(contract_openapi(APP))
schema.app = APP
schema = schema.exclude(path_regex=r"^/api/admin").exclude(method="POST", path="/api/documents")


@pytest.fixture(scope="module", autouse=True)
def on_the_demo_index(demo_data):
    APP.state.settings = fuzz_settings(demo_data)
    APP.state.library = Library(demo_data)
    yield
    APP.state.library.close()


@schema.parametrize()
@settings(max_examples=25, deadline=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=list(HealthCheck))
def test_api_answers_conform(case):
    case.call_and_validate(checks=CHECKS)
