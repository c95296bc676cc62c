"""Every endpoint of CONTRACT.md through TestClient on the real app and a real index."""

import io
import shutil

import pytest
from fastapi.testclient import TestClient

from indexer.settings import Settings
from service.app import create_app

TOKEN = "s3cret-token"
HIT_KEYS = {"id", "source", "number", "type", "issuer", "date", "title", "score", "snippet"}


@pytest.fixture(scope="module")
def client(demo_data):
    with TestClient(create_app(Settings(data=demo_data, admin_token=TOKEN))) as c:
        yield c


@pytest.fixture
def writable(demo_data, tmp_path):
    """A private copy of the indexed demo data, for calls that write."""
    data = tmp_path / "data"
    shutil.copytree(demo_data, data)
    with TestClient(create_app(Settings(data=data, admin_token=TOKEN, max_upload_mb=1))) as c:
        yield c


def test_healthz(client):
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json()["documents"] > 0


def test_healthz_without_index_is_503(tmp_path):
    with TestClient(create_app(Settings(data=tmp_path / "empty"))) as c:
        r = c.get("/healthz")
    assert r.status_code == 503 and "vanthu index" in r.json()["detail"]


def test_search_shape(client):
    r = client.get("/api/search", params={"q": "kế hoạch thi đua"})
    assert r.status_code == 200
    body = r.json()
    assert set(body) >= {"query", "total", "page", "hits", "facets"}
    assert body["total"] > 0 and body["page"] == 1
    assert HIT_KEYS <= set(body["hits"][0])
    assert any("<mark>" in h["snippet"] for h in body["hits"])
    assert set(body["facets"]) == {"type", "issuer", "year"}


def test_search_without_diacritics_finds_documents(client):
    accented = client.get("/api/search", params={"q": "kế hoạch thi đua"}).json()
    folded = client.get("/api/search", params={"q": "ke hoach thi dua"}).json()
    assert folded["total"] > 0
    assert {h["id"] for h in accented["hits"][:5]} & {h["id"] for h in folded["hits"][:10]}


@pytest.mark.parametrize(
    "params, fragment",
    [
        ({"q": '"thi đua'}, "ngoặc kép"),
        ({"q": "x", "year": "20x9"}, "Năm"),
        ({"q": "x", "date_from": "2019-02-30"}, "Ngày"),
        ({"q": "x", "sort": "random"}, "sort"),
        ({"q": "x", "date_from": "2020-01-01", "date_to": "2019-01-01"}, "date_from"),
    ],
)
def test_bad_search_is_400_with_message(client, params, fragment):
    r = client.get("/api/search", params=params)
    assert r.status_code == 400
    assert fragment in r.json()["detail"]


def test_bad_limit_is_422_with_message(client):
    r = client.get("/api/search", params={"q": "x", "limit": 0})
    assert r.status_code == 422 and "limit" in r.json()["detail"]


def test_documents_list_newest_first_and_by_source(client):
    body = client.get("/api/documents", params={"limit": 50}).json()
    dates = [d["date"] for d in body["documents"] if d["date"]]
    assert dates == sorted(dates, reverse=True)
    first = body["documents"][0]
    one = client.get("/api/documents", params={"source": first["source"]}).json()
    assert one["total"] == 1 and one["documents"][0]["id"] == first["id"]


def test_document_and_original(client):
    doc_id = client.get("/api/documents").json()["documents"][0]["id"]
    doc = client.get(f"/api/documents/{doc_id}").json()
    assert {"text", "citations", "cited_by"} <= set(doc)
    r = client.get(f"/api/documents/{doc_id}/original")
    assert r.status_code == 200 and len(r.content) > 0
    assert "attachment" in r.headers["content-disposition"]


@pytest.mark.parametrize("part", ["original", "text"])
def test_head_of_a_download_answers_like_get_without_the_body(client, part):
    doc_id = client.get("/api/documents").json()["documents"][0]["id"]
    get = client.get(f"/api/documents/{doc_id}/{part}")
    head = client.head(f"/api/documents/{doc_id}/{part}")
    assert get.status_code == head.status_code == 200 and get.content and head.content == b""
    for header in ("content-type", "content-length", "content-disposition"):
        assert head.headers[header] == get.headers[header], header
    assert client.head(f"/api/documents/0123456789abcdef/{part}").status_code == 404


@pytest.mark.parametrize("bad", ["nope", "../../etc/passwd", "0123456789abcdef", "%2e%2e%2fsecret"])
def test_unknown_or_unsafe_ids_are_404(client, bad):
    for path in (f"/api/documents/{bad}", f"/api/documents/{bad}/original", f"/api/documents/{bad}/similar"):
        r = client.get(path)
        assert r.status_code == 404, path
        assert "detail" in r.json()


@pytest.mark.parametrize("typed, shown", [("1460-KH-UBND", "1460/KH-UBND"), ("4321-2019-NĐ-CP", "4321/2019/NĐ-CP")])
def test_an_unknown_number_is_named_as_staff_write_it(client, typed, shown):
    r = client.get(f"/api/documents/{typed}")
    assert r.status_code == 404
    assert r.json()["detail"].startswith(f"Không tìm thấy văn bản số {shown} trong kho.") and typed not in r.text


def test_an_unknown_long_id_is_echoed_shortened(client):
    r = client.get("/api/documents/" + "a" * 5000)
    assert r.status_code == 404
    detail = r.json()["detail"]
    assert "a" * 80 + "…" in detail and "a" * 81 not in detail and len(detail) < 400


def test_similar(client):
    doc_id = client.get("/api/documents").json()["documents"][0]["id"]
    body = client.get(f"/api/documents/{doc_id}/similar", params={"limit": 5}).json()
    assert len(body["hits"]) <= 5
    assert doc_id not in {h["id"] for h in body["hits"]}


def test_link_text_and_errors(client):
    plan = next(d for d in client.get("/api/documents", params={"limit": 100}).json()["documents"]
                if d["number"] and d["type"] == "Kế hoạch")
    number, (y, m, d) = plan["number"], plan["date"].split("-")
    text = f"Căn cứ Kế hoạch số {number} ngày {int(d)}/{int(m)}/{y} của UBND tỉnh và Kế hoạch số 98765/KH-UBND ngày 01/01/2019."
    body = client.post("/api/link", json={"text": text}).json()
    cits = {c["number"]: c for c in body["citations"]}
    assert cits[number]["resolves_to"]["id"] == plan["id"]
    assert cits["98765/KH-UBND"]["resolves_to"] is None
    c = cits[number]
    assert text[c["start"]:c["end"]] == c["surface"]
    assert client.post("/api/link", content=b"not json", headers={"content-type": "application/json"}).status_code == 400
    assert client.post("/api/link", json={"txt": "x"}).status_code == 400


def test_link_escapes_html(client):
    body = client.post("/api/link", json={"text": "<script>alert(1)</script> Kế hoạch số 5/KH-UBND"}).json()
    assert "<script>" not in body["html"] and "&lt;script&gt;" in body["html"]


def test_admin_calls_need_a_token(client, tmp_path):
    files = {"file": ("a.txt", b"Thong bao", "text/plain")}
    assert client.post("/api/documents", files=files).status_code == 401
    r = client.post("/api/documents", files=files, headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 403
    with TestClient(create_app(Settings(data=tmp_path, admin_token=None))) as c:
        r = c.post("/api/documents", files=files, headers={"Authorization": "Bearer x"})
    assert r.status_code == 403 and "VANTHU_ADMIN_TOKEN" in r.json()["detail"]


def test_upload_stores_indexes_and_deduplicates(writable):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    text = "ỦY BAN NHÂN DÂN\nTỈNH HÀ LAM\nSố: 77/TB-UBND\nHà Lam, ngày 03 tháng 3 năm 2021\nTHÔNG BÁO\nVề lịch tiếp công dân quý hiếm\n".encode()
    name = "Thông báo lịch tiếp dân.txt"
    r = writable.post("/api/documents", files={"file": (name, text, "text/plain")}, headers=auth)
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["number"] == "77/TB-UBND" and doc["duplicate"] is False
    again = writable.post("/api/documents", files={"file": ("other.txt", text, "text/plain")}, headers=auth).json()
    assert again["id"] == doc["id"] and again["duplicate"] is True
    hits = writable.get("/api/search", params={"q": "quý hiếm"}).json()["hits"]
    assert [h["id"] for h in hits] == [doc["id"]]
    orig = writable.get(f"/api/documents/{doc['id']}/original")
    assert orig.content == text
    assert "filename*=UTF-8''Th%C3%B4ng" in orig.headers["content-disposition"]


def test_upload_errors(writable):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    big = io.BytesIO(b"a" * (1024 * 1024 + 10))
    r = writable.post("/api/documents", files={"file": ("big.txt", big, "text/plain")}, headers=auth)
    assert r.status_code == 413 and "big.txt" in r.json()["detail"]
    r = writable.post("/api/documents", files={"file": ("x.exe", b"MZ", "application/octet-stream")}, headers=auth)
    assert r.status_code == 415
    r = writable.post("/api/documents", files={"file": ("bad.docx", b"PK\x03\x04garbage", "application/octet-stream")}, headers=auth)
    assert r.status_code == 422 and "bad.docx" in r.json()["detail"]
    before = writable.get("/healthz").json()["documents"]
    assert before == writable.get("/healthz").json()["documents"]


def test_header_injection_in_file_name_is_neutralised(writable):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    name = 'evil"\r\nSet-Cookie: a=b.txt'
    r = writable.post("/api/documents", files={"file": (name, "Công văn số 1/UBND-VP".encode(), "text/plain")}, headers=auth)
    assert r.status_code == 200, r.text
    orig = writable.get(f"/api/documents/{r.json()['id']}/original")
    assert "set-cookie" not in {k.lower() for k in orig.headers}
    assert "\n" not in orig.headers["content-disposition"]


def test_uploads_with_the_same_name_keep_their_own_source(writable):
    """Two different files both called "Báo cáo.txt": both archived, each its own source (as in a
    folder: "Báo cáo (2).txt"), each downloads under the name it was uploaded with."""
    auth = {"Authorization": f"Bearer {TOKEN}"}
    name = "Báo cáo tổng kết.txt"
    ids, sources = [], []
    for n in (1, 2, 3):
        text = f"BÁO CÁO\nTổng kết phong trào thi đua cụm số {n} năm 2021 ở huyện Hòn Ngọc\n".encode()
        r = writable.post("/api/documents", files={"file": (name, text, "text/plain")}, headers=auth)
        assert r.status_code == 200 and r.json()["duplicate"] is False, r.text
        ids.append(r.json()["id"])
        sources.append(r.json()["source"])
    assert sources == [f"uploads/{name}", "uploads/Báo cáo tổng kết (2).txt", "uploads/Báo cáo tổng kết (3).txt"]
    for id_, source in zip(ids, sources):
        listed = writable.get("/api/documents", params={"source": source}).json()["documents"]
        assert [d["id"] for d in listed] == [id_]
        assert "filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20t%E1%BB%95ng%20k%E1%BA%BFt.txt" in \
            writable.get(f"/api/documents/{id_}/original").headers["content-disposition"]


@pytest.fixture
def in_process_and_worker(demo_data, tmp_path):
    """Two copies of the demo archive: uploads prepared in the service's thread, and every
    upload (threshold 0) prepared in the worker process."""
    import shutil

    clients = []
    for name, mb in (("thread", 1000), ("process", 0)):
        data = tmp_path / name
        shutil.copytree(demo_data, data)
        clients.append(TestClient(create_app(Settings(data=data, admin_token=TOKEN, large_upload_mb=mb))))
    with clients[0] as a, clients[1] as b:
        yield a, b


def test_upload_prepared_in_the_worker_process_is_the_same_document(in_process_and_worker):
    thread, process = in_process_and_worker
    auth = {"Authorization": f"Bearer {TOKEN}"}
    text = ("ỦY BAN NHÂN DÂN\nTỈNH HÀ LAM\nSố: 78/KH-UBND\nHà Lam, ngày 04 tháng 3 năm 2021\nKẾ HOẠCH\n"
            "Tổ chức hội thi cắm hoa nghệ thuật\nCăn cứ Kế hoạch số 12/KH-UBND ngày 02/01/2021 của UBND tỉnh;\n"
            "Điều 1. Mục đích\nKhen thưởng tập thể có thành tích xuất sắc.\n").encode()
    replies = [c.post("/api/documents", files={"file": ("Kế hoạch hội thi.txt", text, "text/plain")}, headers=auth)
               for c in (thread, process)]
    assert [r.status_code for r in replies] == [200, 200], [r.text for r in replies]
    assert replies[0].json() == replies[1].json()
    assert not thread.app.state.upload_worker.started and process.app.state.upload_worker.started
    docs = [c.get(f"/api/documents/{replies[0].json()['id']}").json() for c in (thread, process)]
    assert docs[0] == docs[1]
    found = [c.get("/api/search", params={"q": "cam hoa nghe thuat"}).json() for c in (thread, process)]
    assert found[0]["hits"] == found[1]["hits"] and found[0]["hits"][0]["id"] == docs[0]["id"]
    # an unreadable file, prepared in the worker: the same 422 naming the user's file; nothing archived
    before = process.get("/healthz").json()["documents"]
    r = process.post("/api/documents", files={"file": ("hỏng.docx", b"PK\x03\x04garbage", "application/octet-stream")},
                     headers=auth)
    assert r.status_code == 422 and "hỏng.docx" in r.json()["detail"] and "/tmp" not in r.json()["detail"]
    assert process.get("/healthz").json()["documents"] == before


@pytest.mark.parametrize("url, vietnamese, english", [
    ("/api/search?q=x&page=0", "page phải ≥ 1", "page: Input should be greater than or equal to 1"),
    ("/api/search?q=x&limit=0", "limit phải ≥ 1", "limit: Input should be greater than or equal to 1"),
    ("/api/search?q=x&limit=1000", "limit phải ≤ 100", "limit: Input should be less than or equal to 100"),
    ("/api/search?q=x&page=abc", "page phải là số nguyên", "page: Input should be a valid integer"),
    ("/api/documents/abc/similar?limit=0", "limit phải ≥ 1", "limit: Input should be greater than or equal to 1"),
    ("/api/admin/reindex?restart=maybe", "restart phải là true hoặc false", "restart: Input should be a valid boolean"),
])
def test_validation_errors_lead_in_vietnamese(client, url, vietnamese, english):
    """A bad parameter answers 422 {"detail"} in Vietnamese first, pydantic's English after it in parentheses."""
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = client.post(url, headers=auth) if "admin" in url else client.get(url)
    assert r.status_code == 422 and set(r.json()) == {"detail"}
    detail = r.json()["detail"]
    assert detail.startswith(vietnamese) and f"({english}" not in detail[:len(vietnamese)]
    assert detail.index(english) > detail.index("(") > detail.index(vietnamese)


def test_validation_errors_name_each_parameter_and_a_missing_upload(client):
    r = client.get("/api/search", params={"q": "x", "page": 0, "limit": "abc"})
    assert r.status_code == 422
    vi, en = r.json()["detail"].split(" (", 1)
    assert vi == "limit phải là số nguyên; page phải ≥ 1." and "limit:" in en and "page:" in en
    r = client.post("/api/documents", headers={"Authorization": f"Bearer {TOKEN}"}, data={"x": "1"})
    assert r.status_code == 422 and r.json()["detail"].startswith("thiếu tệp (trường file)")
    assert "file: Field required" in r.json()["detail"]
