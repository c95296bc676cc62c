"""An undated document in the archive: what it cites, and its own number, still open."""

import collections

import pytest
from fastapi.testclient import TestClient

from indexer.settings import Settings
from service.app import create_app

TOKEN = "undated-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def client(demo_copy):
    with TestClient(create_app(Settings(data=demo_copy, admin_token=TOKEN, ocr=False))) as c:
        yield c


def _upload(client, name: str, text: str) -> dict:
    r = client.post("/api/documents", files={"file": (name, text.encode(), "text/plain")}, headers=AUTH)
    assert r.status_code == 200, r.text
    return r.json()


def test_an_undated_citer_is_listed_on_the_cited_documents_api_and_page(client, demo_catalog):
    counts = collections.Counter(d["number"] for d in demo_catalog)
    cited = next(d for d in demo_catalog if d["number"] and counts[d["number"]] == 1 and d["date"])
    note = _upload(client, "ghi-chu.txt", f"Ghi chú\nCăn cứ {cited['type']} số {cited['number']}.\n")
    assert note["date"] is None

    cited_id = client.get("/api/documents", params={"source": cited["source"]}).json()["documents"][0]["id"]
    api = client.get(f"/api/documents/{cited_id}")
    assert api.status_code == 200, api.text
    assert note["id"] in [d["id"] for d in api.json()["cited_by"]]
    assert {d["id"]: d["source"] for d in api.json()["cited_by"]}[note["id"]] == "uploads/ghi-chu.txt"  # named by its file
    dated = [d["date"] for d in api.json()["cited_by"]]
    assert dated[-1] is None and dated[:-1] == sorted(dated[:-1], reverse=True)  # newest first, undated last

    page = client.get(f"/van-ban/{cited_id}")
    assert page.status_code == 200, page.text
    assert f'href="/van-ban/{note["id"]}"' in page.text


def test_an_undated_document_opens_by_its_number(client):
    doc = _upload(client, "thong-bao.txt", "ỦY BAN NHÂN DÂN\nTỈNH BÌNH LAM\nSố: 913/TB-UBND\nTHÔNG BÁO\nVề lịch trực tháng Tết\n")
    assert doc["date"] is None and doc["number"] == "913/TB-UBND"

    assert client.get("/api/documents/913-TB-UBND").json()["id"] == doc["id"]
    page = client.get("/van-ban/913/TB-UBND", follow_redirects=False)
    assert page.status_code == 302 and page.headers["location"] == f"/van-ban/{doc['id']}"
