from indexer.sections import split_sections

LAW = """LUẬT
THI ĐUA, KHEN THƯỞNG
Chương I
NHỮNG QUY ĐỊNH CHUNG
Điều 1. Phạm vi điều chỉnh
Luật này quy định về thi đua.
Điều 2. Đối tượng áp dụng
Cơ quan, tổ chức, cá nhân.
Chương II
TỔ CHỨC THI ĐUA
Điều 3. Hình thức tổ chức thi đua
1. Thi đua thường xuyên."""


def test_law_splits_into_chapters_and_articles():
    secs = split_sections(LAW)
    titles = [s["title"] for s in secs]
    assert titles == ["", "Chương I", "Điều 1. Phạm vi điều chỉnh", "Điều 2. Đối tượng áp dụng",
                      "Chương II", "Điều 3. Hình thức tổ chức thi đua"]  # "1. Thi đua …" is a clause of Điều 3
    for s in secs:  # offsets point at the heading itself, and sections tile the text
        assert LAW[s["start"]:].startswith(s["title"])
    assert [s["end"] for s in secs[:-1]] == [s["start"] for s in secs[1:]]
    assert secs[-1]["end"] == len(LAW)


def test_plan_numbered_headings():
    text = "KẾ HOẠCH\nI. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích\nnội dung\nII. NỘI DUNG\n"
    assert [s["title"] for s in split_sections(text)] == ["", "I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích", "II. NỘI DUNG"]


def test_no_headings_is_one_section():
    assert split_sections("một đoạn văn") == [{"title": "", "start": 0, "end": 12, "level": 0}]


def test_long_lines_and_dates_are_not_headings():
    text = "Ngày 17 tháng 6 năm 2019 tổ chức\n2019. Năm bản lề\n" + "1. " + "a" * 300
    assert [s["title"] for s in split_sections(text)] == [""]


def test_numbered_lines_are_clauses_inside_an_article_and_headings_elsewhere():
    text = ("QUYẾT ĐỊNH\nĐiều 1. Giải thích từ ngữ\n1. Thi đua là hoạt động có tổ chức.\n"
            "2. Khen thưởng là việc ghi nhận.\nĐiều 2. Tổ chức thực hiện\n1. Sở Nội vụ hướng dẫn.\n"
            "KẾ HOẠCH\nI. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích\nnội dung\nChương II\nMục 1\n2. Yêu cầu\n")
    assert [s["title"] for s in split_sections(text)] == [
        "", "Điều 1. Giải thích từ ngữ", "Điều 2. Tổ chức thực hiện", "I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích",
        "Chương II", "Mục 1", "2. Yêu cầu"]
