"""Uploads found wanting in exploratory use: names sent at the same time, names in NFD."""

import threading
import unicodedata

import pytest
from fastapi.testclient import TestClient

from indexer.settings import Settings
from service.app import create_app

TOKEN = "upload-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def client(demo_copy):
    with TestClient(create_app(Settings(data=demo_copy, admin_token=TOKEN))) as c:
        yield c


def _text(n: int) -> bytes:
    return f"TỜ TRÌNH\nVề việc đề nghị khen thưởng tập thể lớp học số {n} năm 2022\n".encode()


def test_uploads_of_one_name_sent_at_once_each_get_their_own_source(client):
    name = "Tờ trình.txt"
    replies, start = [], threading.Barrier(5)

    def upload(n):
        start.wait()
        replies.append(client.post("/api/documents", files={"file": (name, _text(n), "text/plain")}, headers=AUTH))

    threads = [threading.Thread(target=upload, args=(n,)) for n in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [r.status_code for r in replies] == [200] * 5, [r.text for r in replies]
    sources = sorted(r.json()["source"] for r in replies)
    assert sources == sorted(["uploads/Tờ trình.txt", *(f"uploads/Tờ trình ({n}).txt" for n in range(2, 6))])
    for r in replies:  # the record says the same as the index
        assert client.get(f"/api/documents/{r.json()['id']}").json()["source"] == r.json()["source"]
        listed = client.get("/api/documents", params={"source": r.json()["source"]}).json()["documents"]
        assert [d["id"] for d in listed] == [r.json()["id"]]


def test_a_file_name_in_nfd_is_stored_in_nfc(client):
    """macOS sends names decomposed: "Báo cáo.txt" in NFD is the same name as in NFC."""
    nfc = "Báo cáo quý.txt"
    first = client.post("/api/documents", files={"file": (nfc, _text(1), "text/plain")}, headers=AUTH).json()
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfd != nfc
    second = client.post("/api/documents", files={"file": (nfd, _text(2), "text/plain")}, headers=AUTH).json()
    assert first["source"] == f"uploads/{nfc}" and second["source"] == "uploads/Báo cáo quý (2).txt"
    assert unicodedata.is_normalized("NFC", second["source"])
