"""Definitions: the terms a text defines, and the term a query asks the meaning of.

Laws define their words in clauses such as "3. Người lao động là người làm việc cho…" (usually in
an article "Giải thích từ ngữ"); staff ask "người lao động là gì", "định nghĩa thi đua",
"hoa lợi được hiểu như thế nào". Both sides are reduced to the same key (folded, lower case,
syllables joined by one space), so "Người lao động" in the text and "nguoi lao dong" typed
without accents meet. The key is indexed in the `defines` field; a query that asks for a
definition gets a bonus for documents defining its term (search.question_bonus).
"""

from __future__ import annotations

import re
import unicodedata

from indexer.normalize import fold, folded_key

MAX_TERM_SYLLABLES = 12

# A clause that opens with a term and "là" / "được hiểu là": "1. Tài sản là vật, tiền, …",
# "a) Vật chính là vật độc lập, …", or a paragraph "Trục xuất là buộc người nước ngoài …".
_DEFINING = re.compile(
    r"^[ \t]*(?:(?:\d{1,3}|[a-zđ])[.)][ \t]*)?"
    r"(?P<term>[^\W\d_][^\n:;,.()\"“”]{0,78}?)[ \t]+(?:là|được hiểu là)[ \t]",
    re.M,
)

# How a question asks for a meaning; the term is group "x". Matched on the folded question
# (so "thi dua la gi" counts), without its leading "Theo Bộ luật Dân sự 2015, " and final "?".
_ASKING = [
    re.compile(r"^(?:dinh nghia|khai niem)(?: cua| ve)?\s+(?P<x>.+?)(?:\s+(?:la gi|la nhu the nao|nhu the nao))?$"),
    re.compile(r"^the nao la\s+(?P<x>.+)$"),
    re.compile(r"^(?P<x>.+?)\s+(?:duoc (?:hieu|dinh nghia|giai thich)(?: la)?(?: nhu the nao| gi| ra sao)?"
               r"|la gi|co nghia la gi|nghia la gi|co nghia la nhu the nao)$"),
]
# "Theo Bộ luật Dân sự 2015, ", "Theo Điều 5: Áp dụng tập quán, ", "Bộ luật Dân sự 2015 quy định "
_LEADING = re.compile(r"(?:(?:theo|trong|can cu|bo luat|luat|hien phap|dieu \d+)\b[^,?]{0,120},\s*"
                      r"|(?:bo luat|luat|hien phap)\b[^,?]{0,80}?\s+quy dinh(?: ve)?\s+)")
_NOT_A_TERM = re.compile(r"\b(?:duoc goi|goi la|nao|bao nhieu|ai|gi)\b")
_QUOTES = " \"'“”‘’"


def term_key(text: str) -> str:
    """The key of a term: folded syllables by their spelling key (lí/lý), one space between them."""
    return " ".join(re.findall(r"[^\W_]+", folded_key(text)))


def defined_terms(text: str) -> list[str]:
    """Keys of the terms `text` defines, in order, each once."""
    keys = (term_key(m.group("term")) for m in _DEFINING.finditer(text))
    return list(dict.fromkeys(k for k in keys if 0 < len(k.split()) <= MAX_TERM_SYLLABLES))


def definition_span(text: str, key: str) -> tuple[int, int, int] | None:
    """Where `text` first defines the term of `key`: (start of the term, its end, end of the
    clause's line)."""
    for m in _DEFINING.finditer(text):
        if term_key(m.group("term")) == key:
            end = text.find("\n", m.end())
            return m.start("term"), m.end("term"), len(text) if end == -1 else end
    return None


def asked_term(question: str) -> str | None:
    """The term whose meaning `question` asks for ("Hoa lợi được hiểu như thế nào?" → "Hoa lợi"),
    as typed; None when the question is not of that form."""
    q = unicodedata.normalize("NFC", " ".join(question.split())).strip().rstrip("?.!").strip()
    f = fold(q)
    if len(f) != len(q):  # a character that folds to several: match on the text itself
        f = q.lower()
    start = 0
    for _ in range(3):
        m = _LEADING.match(f, start)
        if not m:
            break
        start = m.end()
    for pattern in _ASKING:
        m = pattern.match(f[start:])
        if not m:
            continue
        lo, hi = start + m.start("x"), start + m.end("x")
        lead = re.match(r"(?:cua|ve|nhung|cac)\s+", f[lo:hi])
        if lead:
            lo += lead.end()
        while lo < hi and f[lo] in _QUOTES:
            lo += 1
        while hi > lo and f[hi - 1] in _QUOTES:
            hi -= 1
        n = len(term_key(q[lo:hi]).split())
        if 0 < n <= MAX_TERM_SYLLABLES and not _NOT_A_TERM.search(f[lo:hi]):
            return q[lo:hi]
        return None
    return None
