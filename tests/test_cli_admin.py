"""Admin side of the `vanthu` CLI: a wrong --data, messages in Vietnamese, jobs, watch, file modes.

The real CLI throughout: `main()` in this process, or the console script as a subprocess."""

import json
import os
import select
import signal
import stat
import subprocess

import pytest

from indexer import jobs
from indexer.cli import main
from indexer.index import current_generation, index_root, open_index
from indexer.store import Archive
from tests.test_cli import VANTHU, vanthu

HEADER = "ỦY BAN NHÂN DÂN\nTỈNH HÀ LAM\nSố: {number}\nHà Lam, ngày {day} tháng 01 năm {year}\nKẾ HOẠCH\n{title}\n"


def write_plan(path, number, year, title, day="05"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER.format(number=number, day=day, year=year, title=title) + "1. Nội dung thực hiện.\n",
                    encoding="utf-8")


def run(capsys, *argv):
    """`vanthu ARGV` in this process → (exit code, stdout, stderr); argparse errors included."""
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """Three plans, two of them sharing the number 2/KH-UBND (2019 and 2021), indexed."""
    root = tmp_path_factory.mktemp("van-ban")
    write_plan(root / "2019" / "kh2.txt", "2/KH-UBND", 2019, "Tổ chức hội thi văn nghệ năm 2019")
    write_plan(root / "2021" / "kh2.txt", "2/KH-UBND", 2021, "Tổ chức phong trào thi đua năm 2021")
    write_plan(root / "2021" / "kh7.txt", "7/KH-UBND", 2021, "Phòng chống thiên tai năm 2021")
    data = tmp_path_factory.mktemp("data")
    assert main(["index", str(root), "--data", str(data), "--workers", "1", "--no-ocr"]) == 0
    return root, data


# 1. a mistyped --data ---------------------------------------------------------------------

@pytest.mark.parametrize("command", [["search", "thi đua"], ["show", "x"], ["link", "-"], ["reindex"], ["jobs"]])
@pytest.mark.parametrize("kind", ["missing", "empty"])
def test_read_only_commands_on_a_data_dir_without_an_index_say_so(capsys, tmp_path, monkeypatch, command, kind):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("Căn cứ Kế hoạch số 2/KH-UBND."))
    data = tmp_path / "typo"
    if kind == "empty":
        data.mkdir()
    code, out, err = run(capsys, *command, "--data", data)
    assert code == 2
    assert f"Chưa có chỉ mục trong {data}" in err and f"vanthu index THƯ_MỤC --data {data}" in err
    assert "done" not in out and "Không tìm thấy văn bản" not in err
    if kind == "missing":
        assert not data.exists()  # nothing was created: no empty archive left behind
    else:
        assert list(data.iterdir()) == []


def test_the_no_index_message_is_vietnamese_at_its_source(tmp_path):
    from indexer.errors import IndexUnavailable

    with pytest.raises(IndexUnavailable) as exc:
        open_index(tmp_path / "none")
    assert str(exc.value).startswith(f"Chưa có chỉ mục trong {tmp_path / 'none'}")
    assert "(No index in" in str(exc.value) and "vanthu index" in str(exc.value)


def test_index_refuses_the_data_dir_and_folders_inside_it(capsys, archive):
    _, data = archive
    count = open_index(data).doc_count()
    for target in (data, data / "originals", next((data / "originals").rglob("*.txt"))):
        code, out, err = run(capsys, "index", target, "--data", data)
        assert code == 2, out
        assert "Không lập chỉ mục" in err and "thư mục dữ liệu" in err and str(data) in err
    assert open_index(data).doc_count() == count  # no archived original came back as a document



def test_index_takes_a_folder_of_documents_kept_inside_the_data_dir(capsys, tmp_path):
    """`make run` generates the demo archive in var/demo-archive and indexes it into var: a
    folder beside what vanthu keeps in the data dir is documents; the managed folders are not."""
    data = tmp_path / "var"
    write_plan(data / "demo-archive" / "kh9.txt", "9/KH-UBND", 2020, "Kế hoạch cải cách hành chính")
    code, out, err = run(capsys, "index", data / "demo-archive", "--data", data, "--workers", "1")
    assert code == 0, err
    assert open_index(data).doc_count() == 1
    for target in (data / "records", data / "index", data / "originals"):
        code, _, err = run(capsys, "index", target, "--data", data)
        assert code == 2 and "Không lập chỉ mục" in err, target
    assert open_index(data).doc_count() == 1


def test_index_refuses_its_data_dir_but_not_a_hidden_data_dir_inside_the_folder(capsys, tmp_path):
    """~/archive with its data in ~/archive/.vanthu: indexed, the data dir's files left out;
    ~/archive/.vanthu itself (or a folder in it) is refused."""
    root = tmp_path / "archive"
    write_plan(root / "kh9.txt", "9/KH-UBND", 2020, "Kế hoạch cải cách hành chính")
    data = root / ".vanthu"
    assert run(capsys, "index", root, "--data", data, "--workers", "1")[0] == 0
    code, out, err = run(capsys, "index", root, "--data", data, "--workers", "1", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert (report["added"], report["unchanged"]) == (0, 1)
    assert open_index(data).doc_count() == 1
    for target in (data, data / "records"):
        code, _, err = run(capsys, "index", target, "--data", data)
        assert code == 2 and "Không lập chỉ mục" in err
    assert open_index(data).doc_count() == 1


# 2. messages in Vietnamese --------------------------------------------------------------

def test_a_missing_path_to_index_is_said_in_vietnamese(capsys, archive, tmp_path):
    _, data = archive
    code, _, err = run(capsys, "index", tmp_path / "không-có", "--data", data)
    assert code == 2
    assert err.startswith(f"vanthu: Không có {tmp_path / 'không-có'}") and "does not exist" in err


def test_argparse_speaks_vietnamese(capsys):
    code, out, _ = run(capsys, "-h")
    assert code == 0
    assert "cách dùng: vanthu" in out and "Tra cứu và lưu trữ văn bản hành chính" in out
    code, out, _ = run(capsys, "index", "-h")
    assert "thư mục dữ liệu" in out and "tuỳ chọn (options)" in out and out.count("tuỳ chọn (options)") == 1
    assert "show this help message" not in out
    code, _, err = run(capsys, "search")
    assert code == 2
    assert "cách dùng: vanthu search" in err and "lỗi: thiếu tham số bắt buộc: query" in err
    code, _, err = run(capsys, "search", "x", "--limit", "z")
    assert code == 2 and "giá trị không hợp lệ" in err


def test_an_interrupted_job_says_so_in_vietnamese(archive):
    _, data = archive
    job = jobs.new_job(data)
    job["state"] = "running"  # as a killed process leaves it: no lock held
    jobs.save_job(data, job)
    try:
        loaded = jobs.load_job(data, job["id"])
        assert loaded["state"] == "failed"
        assert loaded["error"].startswith("bị ngắt") and "vanthu reindex" in loaded["error"]
        assert "(interrupted" in loaded["error"]
    finally:
        jobs._job_path(data, job["id"]).unlink()


# 3. jobs --------------------------------------------------------------------------------

def test_jobs_lists_none_then_refuses_to_cancel_a_finished_one(capsys, tmp_path):
    root = tmp_path / "van-ban"
    write_plan(root / "kh1.txt", "1/KH-UBND", 2020, "Kế hoạch tuyên truyền")
    data = tmp_path / "data"
    assert run(capsys, "index", root, "--data", data, "--workers", "1")[0] == 0
    code, out, _ = run(capsys, "jobs", "--data", data)
    assert (code, out.strip()) == (0, "Chưa có tác vụ nào. (No jobs yet.)")
    assert run(capsys, "jobs", "--data", data, "--json")[1].strip() == "[]"  # JSON: unchanged
    code, _, _ = run(capsys, "reindex", "--data", data, "--workers", "1")
    assert code == 0
    job_id = jobs.list_jobs(data)[0]["id"]
    code, out, err = run(capsys, "jobs", "--data", data, "--cancel", job_id)
    assert code != 0
    assert f"Tác vụ {job_id} đã kết thúc (done)" in err and "cancel requested" not in out
    assert not (jobs.jobs_dir(data) / f"{job_id}.cancel").exists()


# 4. no tracebacks -----------------------------------------------------------------------

def test_link_of_a_folder_says_it_is_a_folder(capsys, archive):
    root, data = archive
    code, _, err = run(capsys, "link", root, "--data", data)
    assert code == 2
    assert f"{root} là một thư mục" in err and "(none)" not in err


@pytest.mark.parametrize("command", [["search", "x"], ["show", "x"], ["index", "{root}"], ["jobs"], ["reindex"]])
def test_data_that_is_a_file_is_a_clear_error(capsys, archive, tmp_path, command):
    root, _ = archive
    afile = tmp_path / "var"
    afile.write_text("not a folder", encoding="utf-8")
    code, _, err = run(capsys, *[a.format(root=root) for a in command], "--data", afile)
    assert code == 2
    assert f"{afile} là một tệp, không phải thư mục dữ liệu" in err


@pytest.mark.parametrize("argv, message", [
    (["serve", "--port", "99999"], "tham số --port: cổng phải là số từ 1 đến 65535"),
    (["serve", "--port", "http"], "tham số --port: cổng phải là số từ 1 đến 65535"),
    (["index", "{intake}", "--workers", "-3"], "tham số --workers: không được âm"),
    (["reindex", "--workers", "-1"], "tham số --workers: không được âm"),
    (["watch", "{intake}", "--interval", "-5"], "tham số --interval"),
])
def test_bad_option_values_are_refused_before_anything_runs(tmp_path, argv, message):
    (tmp_path / "in").mkdir()
    r = vanthu(*[a.format(intake=tmp_path / "in") for a in argv], "--data", tmp_path / "data")
    assert r.returncode == 2
    assert message in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "data").exists()


# 5. a number several documents share ---------------------------------------------------

def test_show_by_a_shared_number_lists_the_others(capsys, archive):
    _, data = archive
    older = next(r for r in Archive(data).iter_records() if r["number"] == "2/KH-UBND" and r["date"].startswith("2019"))
    code, out, err = run(capsys, "show", "2/KH-UBND", "--data", data)
    assert code == 0, err
    head = out.split("\n\n")[0]
    assert "Lưu ý: còn 1 văn bản khác cùng số 2/KH-UBND" in head and older["id"] in head
    assert "2021" in out.split("date:")[1].splitlines()[0]  # the newest is the one shown
    code, out, err = run(capsys, "show", "2/KH-UBND", "--data", data, "--json")
    assert json.loads(out)["date"].startswith("2021")  # stdout: exactly the API object
    assert older["id"] in err
    code, out, _ = run(capsys, "show", older["id"], "--data", data)  # asked by id: nothing to note
    assert "Lưu ý" not in out
    code, out, _ = run(capsys, "show", "7/KH-UBND", "--data", data)  # a number nobody else has
    assert "Lưu ý" not in out


# 6. files readable by another user ------------------------------------------------------

def test_archived_files_honour_the_umask(tmp_path):
    root = tmp_path / "van-ban"
    write_plan(root / "kh3.txt", "3/KH-UBND", 2020, "Kế hoạch chuyển đổi số")
    data = tmp_path / "data"
    old = os.umask(0o022)
    try:
        assert main(["index", str(root), "--data", str(data), "--workers", "1"]) == 0
    finally:
        os.umask(old)
    written = [index_root(data) / "CURRENT", index_root(data) / current_generation(data) / "VERSION",
               *(data / "records").rglob("*.json"), *(data / "originals").rglob("*.txt")]
    assert len(written) == 4
    for path in written:
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path


# 7. watch says what it does --------------------------------------------------------------

def test_watch_prints_a_start_line_and_each_run(tmp_path):
    intake = tmp_path / "tiep-nhan"
    write_plan(intake / "kh4.txt", "4/KH-UBND", 2020, "Kế hoạch tiếp nhận hồ sơ")
    data = tmp_path / "data"
    r = vanthu("watch", intake, "--data", data, "--once", "--workers", "1")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith(f"Đang theo dõi {intake}") and f"dữ liệu: {data}" in lines[0]
    assert f"{intake}: thêm 1, cập nhật 0, xoá 0" in lines[1]


def test_watch_stops_on_ctrl_c_with_a_vietnamese_message(tmp_path):
    intake = tmp_path / "tiep-nhan"
    write_plan(intake / "kh5.txt", "5/KH-UBND", 2020, "Kế hoạch số hoá hồ sơ")
    # Ctrl+C in a terminal: SIGINT delivered. A suite started in the background (`make test &`)
    # inherits SIGINT ignored, and Python then never raises KeyboardInterrupt: restore it
    proc = subprocess.Popen([*VANTHU, "watch", str(intake), "--data", str(tmp_path / "data"), "--interval", "3600",
                             "--workers", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        seen = b""
        while ": thêm 1,".encode() not in seen:  # the first run is done: it sleeps now
            ready, _, _ = select.select([proc.stdout], [], [], 300)
            assert ready, f"watch printed nothing: {seen!r}"
            chunk = os.read(proc.stdout.fileno(), 4096)
            assert chunk, f"watch ended: {seen!r}"
            seen += chunk
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=120)
        err = err.decode("utf-8")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130
    assert "vanthu: đã dừng theo yêu cầu (interrupted)" in err and "Traceback" not in err


def test_reindex_stopped_by_ctrl_c_is_cancelled_without_tracebacks(demo_copy):
    """Ctrl+C reaches the workers too (one process group): they leave it to the main process,
    which records the job as cancelled and keeps the live generation."""
    live = current_generation(demo_copy)
    proc = subprocess.Popen([*VANTHU, "reindex", "--re-extract", "--data", str(demo_copy), "--workers", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=lambda: (os.setpgrp(), signal.signal(signal.SIGINT, signal.SIG_DFL)))
    try:
        seen = b""
        while b"reindexing [" not in seen:  # the first documents are done: workers are busy
            ready, _, _ = select.select([proc.stderr], [], [], 300)
            assert ready, f"reindex printed nothing: {seen!r}"
            chunk = os.read(proc.stderr.fileno(), 4096)
            assert chunk, f"reindex ended: {seen!r}"
            seen += chunk
        os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl+C: the whole process group
        _, err = proc.communicate(timeout=120)
        err = (seen + err).decode("utf-8", "replace")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130 and "Traceback" not in err, err[-2000:]
    newest = jobs.list_jobs(demo_copy)[0]
    assert newest["state"] == "cancelled" and newest.get("eta") is None, (newest.get("error"), err[-1500:])
    assert current_generation(demo_copy) == live


# root reads every folder; these drop the capabilities that let it, as an ordinary account runs vanthu
NO_OVERRIDE = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner",
               "--inh-caps", "-dac_override,-dac_read_search,-fowner"]


def _without_override(*args):
    return subprocess.run([*NO_OVERRIDE, *VANTHU, *map(str, args)], capture_output=True, text=True, timeout=300)


def test_a_folder_that_cannot_be_read_keeps_its_documents(tmp_path):
    import shutil

    if shutil.which("setpriv") is None or _without_override("--help").returncode != 0:
        pytest.skip("setpriv cannot drop root's read override here (util-linux setpriv and capabilities needed)")
    root, data = tmp_path / "archive", tmp_path / "data"
    (root / "khoa").mkdir(parents=True)
    (root / "khoa" / "sau-rieng.txt").write_text("Báo cáo về vườn sầu riêng của huyện.", encoding="utf-8")
    (root / "mo.txt").write_text("Kế hoạch thi đua năm 2019.", encoding="utf-8")
    assert vanthu("index", root, "--data", data).returncode == 0
    (root / "khoa").chmod(0)
    try:
        r = _without_override("index", root, "--data", data, "--json")
    finally:
        (root / "khoa").chmod(0o755)
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["removed"] == 0
    assert [(s["source"], s["reason"].split(";")[0]) for s in report["skipped"]] == [("khoa/", "không đọc được thư mục")]
    found = vanthu("search", "sầu riêng", "--data", data)
    assert "sau-rieng.txt" in found.stdout


def test_index_of_an_emptied_folder_says_how_to_remove_and_removes_nothing(tmp_path):
    root, data = tmp_path / "archive", tmp_path / "data"
    root.mkdir()
    for n in (1, 2):
        (root / f"{n}.txt").write_text(f"Kế hoạch số {n}/KH-UBND về thi đua.", encoding="utf-8")
    assert vanthu("index", root, "--data", data).returncode == 0
    for n in (1, 2):
        (root / f"{n}.txt").unlink()
    refused = vanthu("index", root, "--data", data)
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    assert "--allow-remove-all" in refused.stderr + refused.stdout and "chưa xoá gì" in refused.stderr + refused.stdout
    assert "2 kết quả" in vanthu("search", "thi đua", "--data", data).stdout
    allowed = vanthu("index", root, "--data", data, "--allow-remove-all", "--json")
    assert allowed.returncode == 0 and json.loads(allowed.stdout)["removed"] == 2


def test_a_live_index_that_went_missing_is_rebuilt_by_reindex(tmp_path):
    """CURRENT names a generation that is gone (a restored backup without index/): the message
    says so (not "another version") and the reindex it names works."""
    root, data = tmp_path / "archive", tmp_path / "data"
    root.mkdir()
    (root / "kh.txt").write_text("Kế hoạch số 5/KH-UBND về thi đua khen thưởng.", encoding="utf-8")
    assert vanthu("index", root, "--data", data).returncode == 0
    (data / "index" / "CURRENT").write_text("gen-000099")
    broken = vanthu("search", "thi đua", "--data", data)
    assert broken.returncode != 0 and "Traceback" not in broken.stderr
    assert "gen-000099" in broken.stderr and "không còn" in broken.stderr and "vanthu reindex" in broken.stderr
    rebuilt = vanthu("reindex", "--data", data)
    assert rebuilt.returncode == 0 and "Traceback" not in rebuilt.stderr, rebuilt.stderr
    assert "1 kết quả" in vanthu("search", "thi đua", "--data", data).stdout


def test_show_of_a_damaged_record_says_to_reindex_which_brings_it_back(tmp_path):
    root, data = tmp_path / "archive", tmp_path / "data"
    write_plan(root / "kh9.txt", "9/KH-UBND", 2021, "Trồng thanh long ruột đỏ năm 2021")
    assert vanthu("index", root, "--data", data).returncode == 0
    record = next(jobs.iter_record_paths(data))
    record.write_text('{"id": "' + record.stem + '", "text": ', encoding="utf-8")
    shown = vanthu("show", record.stem, "--data", data)
    assert shown.returncode == 2 and "Traceback" not in shown.stderr, shown.stderr
    assert f"Bản ghi của văn bản {record.stem} bị hỏng" in shown.stderr and "`vanthu reindex`" in shown.stderr
    found = vanthu("search", "thanh long", "--data", data)
    assert found.returncode == 0 and record.stem in found.stdout, found.stderr
    rebuilt = vanthu("reindex", "--data", data)
    assert rebuilt.returncode == 0 and "đã đọc lại từ bản gốc" in rebuilt.stdout, rebuilt.stderr
    shown = vanthu("show", record.stem, "--data", data)
    assert shown.returncode == 0 and "9/KH-UBND" in shown.stdout and "kh9.txt" in shown.stdout


NOT_WRITABLE = "(quyền truy cập hoặc ổ chỉ đọc): kiểm tra quyền của người chạy vanthu. " \
               "(The data directory is not writable: check permissions.)"


@pytest.fixture
def read_only_data(tmp_path):
    """(folder of documents with a new one, an indexed data dir made read-only: chmod -R a-w)."""
    import shutil

    if shutil.which("setpriv") is None or _without_override("--help").returncode != 0:
        pytest.skip("setpriv cannot drop root's write override here (util-linux setpriv and capabilities needed)")
    root, data = tmp_path / "archive", tmp_path / "data"
    write_plan(root / "kh1.txt", "1/KH-UBND", 2021, "Trồng thanh long ruột đỏ năm 2021")
    assert vanthu("index", root, "--data", data, "--workers", "1").returncode == 0
    write_plan(root / "kh2.txt", "2/KH-UBND", 2021, "Phòng chống thiên tai năm 2021")
    subprocess.run(["chmod", "-R", "a-w", str(data)], check=True)
    yield root, data
    subprocess.run(["chmod", "-R", "u+w", str(data)], check=True)


@pytest.mark.parametrize("command", [["index", "{root}"], ["reindex"], ["watch", "{root}", "--once"]])
def test_a_data_dir_that_cannot_be_written_is_said_without_a_traceback(read_only_data, command):
    root, data = read_only_data
    r = _without_override(*[a.format(root=root) for a in command], "--data", data, "--workers", "1")
    assert r.returncode != 0 and "Traceback" not in r.stderr, r.stderr
    assert f"vanthu: Không ghi được vào thư mục dữ liệu {data} {NOT_WRITABLE}" in r.stderr, r.stderr
    found = _without_override("search", "thanh long", "--data", data)  # reading still works
    assert found.returncode == 0 and "1 kết quả" in found.stdout, found.stderr
