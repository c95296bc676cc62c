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


def test_one_file_uploaded_several_times_at_once_is_one_document_under_its_name(client):
    replies, start = [], threading.Barrier(5)
    body = _text(77)

    def upload():
        start.wait()
        replies.append(client.post("/api/documents", files={"file": ("Giống nhau.txt", body, "text/plain")}, headers=AUTH))

    threads = [threading.Thread(target=upload) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [r.status_code for r in replies] == [200] * 5, [r.text for r in replies]
    assert {r.json()["id"] for r in replies} == {replies[0].json()["id"]}
    assert {r.json()["source"] for r in replies} == {"uploads/Giống nhau.txt"}  # not "(2)" for a copy of itself
    assert sorted(r.json()["duplicate"] for r in replies) == [False, True, True, True, True]
    listed = client.get("/api/documents", params={"source": "uploads/Giống nhau.txt"}).json()["documents"]
    assert [d["id"] for d in listed] == [replies[0].json()["id"]]


def test_a_file_name_in_nfd_is_stored_in_nfc(client):
    """macOS sends names decomposed: "Báo cáo.txt" in NFD is the same name as in NFC."""
    nfc = "Báo cáo quý.txt"
    first = client.post("/api/documents", files={"file": (nfc, _text(1), "text/plain")}, headers=AUTH).json()
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfd != nfc
    second = client.post("/api/documents", files={"file": (nfd, _text(2), "text/plain")}, headers=AUTH).json()
    assert first["source"] == f"uploads/{nfc}" and second["source"] == "uploads/Báo cáo quý (2).txt"
    assert unicodedata.is_normalized("NFC", second["source"])
    listed = client.get("/api/documents", params={"source": f"uploads/{nfd}"}).json()["documents"]  # asked in NFD too
    assert [d["id"] for d in listed] == [first["id"]]


def _stored(data) -> set:
    """Every original and record the archive holds."""
    return {p.relative_to(data) for folder in ("originals", "records") for p in (data / folder).rglob("*") if p.is_file()}


@pytest.mark.parametrize("name, kind", [("chương trình.exe", ".exe"), ("README", "(không có đuôi)")])
def test_an_unsupported_format_says_it_in_english_too(client, name, kind):
    """415 from the API (the upload page shows its detail) and the linker page: Vietnamese, then
    the English in parentheses, as `vanthu index` reports it."""
    r = client.post("/api/documents", files={"file": (name, b"MZ", "application/octet-stream")}, headers=AUTH)
    assert r.status_code == 415
    detail = r.json()["detail"]
    english = f"(files of type {'(none)' if kind.startswith('(') else kind} are not supported)"
    assert detail.startswith(f"{name}: định dạng {kind} chưa hỗ trợ; dùng .doc, ") and detail.endswith(english)
    page = client.post("/lien-ket", files={"file": (name, b"MZ", "application/octet-stream")})
    assert page.status_code == 415 and detail in page.text


def _multipart(disposition: str, content: bytes) -> dict:
    """A request's body and headers: one `file` part, its Content-Disposition parameters as given."""
    body = (b"--b0undary\r\nContent-Disposition: form-data; name=\"file\"" + disposition.encode()
            + b"\r\nContent-Type: application/octet-stream\r\n\r\n" + content + b"\r\n--b0undary--\r\n")
    return {"content": body, "headers": {**AUTH, "Content-Type": "multipart/form-data; boundary=b0undary"}}


@pytest.mark.parametrize("disposition", ["", '; filename=""'])
def test_a_file_part_without_a_file_name_says_no_file_was_chosen(client, disposition):
    """A `file` part with no filename (what httpx sends for ""), or filename="" with content: no file chosen."""
    r = client.post("/api/documents", **_multipart(disposition, b"abc"))
    assert r.status_code in (400, 422), r.text
    detail = r.json()["detail"]
    assert detail.lower().startswith("chưa chọn tệp") and "no file chosen / the file part has no filename" in detail.lower()
    assert "UploadFile" not in detail and "class" not in detail and "Value error" not in detail
    assert client.post("/api/link", **_multipart(disposition, b"abc")).status_code == 400


def test_a_form_sent_with_no_file_chosen_says_the_file_is_missing(client):
    """What a browser sends when nothing is chosen: filename="" and no content."""
    r = client.post("/api/documents", **_multipart('; filename=""', b""))
    assert r.status_code == 422 and r.json()["detail"].startswith("thiếu tệp (trường file)")


@pytest.mark.parametrize("content", [b"   \n\n \t \n", "\ufeff\u00a0 \r\n\r\n".encode()])
def test_an_upload_of_only_whitespace_is_refused_like_an_empty_file(client, demo_copy, content):
    before, count = _stored(demo_copy), client.get("/healthz").json()["documents"]
    r = client.post("/api/documents", files={"file": ("trắng.txt", content, "text/plain")}, headers=AUTH)
    assert r.status_code == 422, r.text
    assert r.json()["detail"] == "trắng.txt: tệp rỗng, không có nội dung — no text found in the file"
    assert _stored(demo_copy) == before and client.get("/healthz").json()["documents"] == count
    assert client.get("/api/documents", params={"source": "uploads/trắng.txt"}).json()["documents"] == []


def test_an_upload_of_binary_bytes_named_txt_is_refused_and_not_archived(client, demo_copy):
    import random
    import shutil
    from pathlib import Path

    before = sorted(p.name for p in (demo_copy / "records").rglob("*.json"))
    for name, body in (("chuong-trinh.txt", Path(shutil.which("true") or "/bin/true").read_bytes()),
                       ("ngau-nhien.txt", random.Random(3).randbytes(4000))):
        r = client.post("/api/documents", files={"file": (name, body, "text/plain")}, headers=AUTH)
        assert r.status_code == 422, r.text
        assert "không phải văn bản (có byte nhị phân)" in r.json()["detail"]
        assert "(Not a text file: binary content.)" in r.json()["detail"]
    assert sorted(p.name for p in (demo_copy / "records").rglob("*.json")) == before
