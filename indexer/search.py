"""Search: a parsed query → Whoosh query (same analyzers as the index) → a page of hits.

The Whoosh query is evaluated by indexer.engine (NumPy over the postings, Whoosh's scores).

Ranking is BM25F over four field families (words, syllables, folded syllables, folded
bigrams); an accented whole-word match scores above a syllable match, which scores above an
accent-folded one (see schema.TEXT_FIELDS). A query that is or contains a document number
puts that document first.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

import numpy as np
from whoosh import query as Q
from whoosh import scoring

from indexer.analysis import folded_bigrams, folded_syllables, syllables, words
from indexer.citations import issuer_within
from indexer.definitions import asked_term, definition_span, term_key
from indexer.engine import engine
from indexer.errors import QueryError
from indexer.highlight import PROBE, Terms, snippet
from indexer.metadata import copy_key, parse_date
from indexer.normalize import fold, shown_as_typed
from indexer.numbers import TYPE_CODES, YEARISH, find_numbers_in_query, loose_key
from indexer.querylang import Clause, ParsedQuery, parse, unglued
from indexer.schema import ADJACENCY, TEXT_FIELDS, keyword

MAX_LIMIT = 100
NUMBER_BOOST = 50.0
CITES_BOOST = 10.0  # a document citing the number asked: below the document itself, above a match of words alone
DEFINITION_BONUS = 64.0  # a question asking what a term means puts the documents defining it first (ALQAC dev: plateau from 64)
FACETS = ("type", "issuer", "year")
SORTS = ("relevance", "date", "date_asc")
RELAX_FROM = 4  # words in a query before a no-hit AND falls back to "most of the words"
BY_DATE_TOP = 50  # "most of the words" sorted by date: the best this many, newest first
BROADER_BELOW = 10  # a long question held in full by fewer documents: those with most words are offered
RELAX_BELOW = 3  # … or a hit list this short (one or two documents with every word: ALQAC dev R@10 96.9 → 98.2)


@dataclass
class SearchParams:
    q: str = ""
    limit: int = 10
    page: int = 1
    type: str | None = None
    issuer: str | None = None
    year: int | str | None = None
    date_from: str | None = None
    date_to: str | None = None
    sort: str = "relevance"
    match: str = "all"  # "any": a document needs only some of the words (the fallback for long questions)
    pairs: bool = True  # side-by-side syllables the archive has together are asked together (`joined_pairs`)
    all_words: bool = False  # only the documents with every word: a long question is never relaxed
    most_words: bool = False  # a long question ranked by most of its words even when enough hold them all
    as_typed: bool = False  # no document has every word: search the words as typed, not the suggestion


class BM25F(scoring.BM25F):
    """Whoosh's BM25F with a choice of idf: Whoosh's `log(N/(n+1)) + 1`, or Lucene's (and
    bm25s's) `log(1 + (N − n + 0.5)/(n + 0.5))`, which gives a word found in every document
    almost nothing instead of a full point."""

    def __init__(self, B: float = 0.75, K1: float = 1.2, idf_form: str = "whoosh"):
        super().__init__(B=B, K1=K1)
        self.idf_form = idf_form

    def idf(self, searcher, fieldname, text):
        if self.idf_form == "whoosh":
            return super().idf(searcher, fieldname, text)
        n, total = searcher.doc_frequency(fieldname, text), searcher.doc_count_all()
        return math.log(1 + (total - n + 0.5) / (n + 0.5))


def weighting() -> scoring.WeightingModel:
    # tuned on ALQAC dev questions (bench/ranking.py; Whoosh's defaults are B 0.75, K1 1.2)
    return BM25F(B=0.9, K1=0.8, idf_form="lucene")


# --- building the Whoosh query ---------------------------------------------------------


def _terms(field: str, toks: list[str], boost: float) -> Q.Query | None:
    """All of `toks` in `field` (one Term when there is one); the boost is shared among them."""
    if not toks:
        return None
    if len(toks) == 1:
        return Q.Term(field, toks[0], boost=boost)
    return Q.And([Q.Term(field, t, boost=boost / len(toks)) for t in toks])


def _fields(family: str, toks: list[str], factor: float = 1.0) -> list[Q.Query]:
    """`toks` in the title and body fields of a family (`_syl`, `_fold`, `_bi`, or "" for words)."""
    return [q for f in (f"title{family}", f"body{family}")
            if TEXT_FIELDS[f] and (q := _terms(f, toks, TEXT_FIELDS[f] * factor)) is not None]


# Abbreviations staff type for what documents mostly spell out: either form matches.
ABBREVIATIONS = {"tx": "thị xã", "tp": "thành phố", "ubnd": "ủy ban nhân dân", "hdnd": "hội đồng nhân dân"}


def word_query(word: str) -> Q.Query:
    """One segmented word, matched whole (accented), by its syllables, or folded.

    A word of one syllable is asked in the syllable and folded fields; a longer one by the
    bigrams of its folded syllables (`thi_đua` → `thi_dua`), which stands in for a phrase.
    A word typed without accents asks only the folded forms, with double weight. An
    abbreviation (`tx`, `tp`, `ubnd`, `hdnd`) also matches what it stands for, written out
    ("thị xã": its syllables side by side).
    """
    spelled = ABBREVIATIONS.get(fold(word))
    if spelled:
        return Q.Or([_word_query(word), Q.Or(_fields("_bi", folded_bigrams(spelled)))])
    return _word_query(word)


def _word_query(word: str) -> Q.Query:
    spaced = word.replace("_", " ")
    syl, fol = syllables(spaced), folded_syllables(spaced)
    accented = fold(word) != word
    parts: list[Q.Query] = []
    if accented:
        parts += _fields("", [word])
        if len(syl) == 1:
            parts += _fields("_syl", syl)
    factor = 1 if accented else 2
    parts += _fields("_fold", fol, factor) if len(fol) == 1 else _fields("_bi", folded_bigrams(spaced), factor)
    return Q.Or(parts)


def phrase_query(text: str) -> Q.Query | None:
    """A quoted phrase: its syllables next to each other (as bigrams), in the title or the body."""
    syl, fol = syllables(text), folded_syllables(text)
    if not fol:
        return None
    if len(fol) > 1:
        return Q.Or(_fields("_bi", folded_bigrams(text)))
    if fold(text) != text.lower():  # one accented syllable, exactly (weighted as a word)
        return Q.Or([Q.Term("title_syl", syl[0], boost=TEXT_FIELDS["title"]), Q.Term("body_syl", syl[0], boost=TEXT_FIELDS["body"])])
    return Q.Or(_fields("_fold", fol))


def adjacency_bonus(text: str) -> Q.Query | None:
    """Bigrams of the query as typed: documents where its syllables stand together rank higher."""
    bis = folded_bigrams(text)
    if not bis:
        return None
    return Q.Or([Q.Term(f, b, boost=TEXT_FIELDS[f] * ADJACENCY[f]) for f in ADJACENCY if TEXT_FIELDS[f] * ADJACENCY[f]
                 for b in dict.fromkeys(bis)])


def query_words(text: str) -> list[str]:
    """The distinct words of a query. underthesea groups syllables typed without accents badly
    (`a_du_tuoi`, `la_quan`), so such a group is asked syllable by syllable; the adjacency bonus
    still rewards them standing together (better on ALQAC dev: bench/reports/ranking.md). Words
    glued by a hyphen are apart (`unglued`)."""
    out = []
    for w in words(unglued(text)):
        out += [w] if fold(w) != w else w.split("_")
    return list(dict.fromkeys(out))


def definition_bonus(term: str | None) -> Q.Query | None:
    """For a question asking what `term` means ("hoa lợi được hiểu như thế nào" → "hoa lợi", by
    `definitions.asked_term`): documents that define the term (`defines`) get a flat bonus."""
    return Q.Term("defines", term_key(term), boost=DEFINITION_BONUS) if term else None


def question_bonus(text: str, asked: str | None = None) -> Q.Query | None:
    """What ranks a match higher without being required: adjacency and definitions (`asked`:
    the term `text` asks about, when the caller has it already)."""
    parts = [q for q in (adjacency_bonus(text), definition_bonus(asked or asked_term(text))) if q is not None]
    return None if not parts else parts[0] if len(parts) == 1 else Q.Or(parts)


PAIR_MIN = 0.2  # how often two syllables must stand together, of the rarer one's documents, to be asked together
# function words pair with whatever follows them somewhere ("của sở", "cho các"): never asked as a pair
FUNCTION_WORDS = frozenset(
    "của các cho trong và với là có được những một này theo về tại để từ đến khi do bị đã sẽ đang thì mà như "
    "nhưng hoặc hay ở ra vào lên xuống năm ngày tháng mọi mỗi từng đối".split())


class Collocations:
    """How the archive writes syllables: in how many documents two stand side by side (the folded
    bigram fields) and each one at all (`body_syl`, accents as typed)."""

    def __init__(self, searcher):
        self.searcher = searcher

    def together(self, a: str, b: str) -> int:
        bigram = f"{fold(a)}_{fold(b)}"
        return max(self.searcher.doc_frequency("body_bi", bigram), self.searcher.doc_frequency("title_bi", bigram))

    def has_word(self, word: str) -> bool:
        """The archive has `word` (segmented, "tổng_kết") as a word of some title or body."""
        w = word.lower()
        return bool(self.searcher.doc_frequency("body", w) or self.searcher.doc_frequency("title", w))

    def strength(self, a: str, b: str) -> float:
        """Documents with a and b side by side, over the documents with the rarer of the two (0 for
        a function word)."""
        if a.lower() in FUNCTION_WORDS or b.lower() in FUNCTION_WORDS:
            return 0.0
        da, db = (self.searcher.doc_frequency("body_syl", w.lower()) for w in (a, b))  # as typed: "hóa", not hòa/hoa
        return self.together(a, b) / min(da, db) if min(da, db) else 0.0


def joined_pairs(ws: list[str], coll: Collocations) -> list[str]:
    """Two one-syllable words side by side ("hóa", "chất"; "bằng", "khen": underthesea leaves
    such pairs apart in a short query) become one word when the archive mostly writes them side by
    side (`Collocations.strength` ≥ PAIR_MIN): a document then needs them together, not "văn hóa"
    in one place and "chất lượng" in another. "khen thưởng cho các tập thể" keeps "cho" and "các"
    apart (function words), "mức tiền" too (mostly "mức chi tiền"). Of two overlapping pairs the
    stronger wins. A word of the segmenter whose syllables the archive never writes together
    ("nhà_văn" in "nhà văn hóa"), or a word of three syllables or more the archive never has
    ("tổng_kết_văn" of "tổng kết văn hóa": underthesea glues a short query's syllables), is
    split first."""
    split: list[str] = []
    for w in ws:
        parts = w.split("_")
        joined = (len(parts) > 1 and all(coll.together(a, b) for a, b in zip(parts, parts[1:]))
                  and (len(parts) < 3 or coll.has_word(w)))
        split += [w] if len(parts) == 1 or joined else parts
    single = [("_" not in w and not w.isdigit()) for w in split]
    strength = [coll.strength(a, b) if single[i] and single[i + 1] else 0.0
                for i, (a, b) in enumerate(zip(split, split[1:]))]
    out, i = [], 0
    while i < len(split):
        here = strength[i] if i < len(strength) else 0.0
        if here >= PAIR_MIN and not (i + 1 < len(strength) and strength[i + 1] > here):
            out.append(f"{split[i]}_{split[i + 1]}")
            i += 2
        else:
            out.append(split[i])
            i += 1
    return out


def text_query(text: str, any_words: bool = False, known: Collocations | None = None) -> Q.Query | None:
    """All words of `text` (AND; any of them with `any_words`), plus a bonus when its syllables
    stand together or it asks for a definition the document gives. When it asks for a
    definition ("thi đua là gì"), only the words of the term are required. With `known` (the
    archive's `Collocations`), side-by-side syllables are asked together (`joined_pairs`)."""
    asked = asked_term(text)
    ws = query_words(asked if asked and not any_words else text)
    if known is not None and not any_words and fold(text) != text.lower():  # typed with diacritics
        ws = joined_pairs(ws, known)
    if not ws:
        return None
    if len(ws) == 1:
        must = word_query(ws[0])
    else:
        must = (Q.Or if any_words else Q.And)([word_query(w) for w in ws])
    bonus = question_bonus(text, asked)
    return Q.AndMaybe(must, bonus) if bonus is not None else must


def citing(key: str) -> Q.Query:
    """The documents that cite the number `key` (after the document itself, ranked by their words)."""
    return Q.Term("cites", keyword(key), boost=CITES_BOOST)


def _citing_head(head: str, issuer: str | None) -> Q.Query:
    """Documents citing a number that starts with `head` ("27/kh", "50/????/qd"), of `issuer` when typed."""
    key = keyword(f"{head}/{issuer}" if issuer else f"{head}/")
    if "?" in head:
        return Q.Wildcard("cites", key if issuer else key + "*", boost=CITES_BOOST)
    return citing(f"{head}/{issuer}") if issuer else Q.Prefix("cites", key, boost=CITES_BOOST)


def number_query(value: str, cited: bool = True) -> Q.Query | None:
    """The document with that number (and, with `cited`, the documents citing it)."""
    key = loose_key(value)
    parts = [Q.Term("keys", keyword(key), boost=NUMBER_BOOST), *([citing(key)] if cited else [])] if key else []
    toks = re.findall(r"[^\W_]+", fold(value))
    if toks:
        parts.append(Q.And([Q.Term("numtok", t) for t in toks], boost=NUMBER_BOOST / 2))
    return Q.Or(parts) if parts else None


# what precedes a number to say it is one: "số", "Kế hoạch số", "Nghị định số"
NUMBER_LABEL = re.compile(r"(?:(?<![\w])(?:ke hoach|bao cao|quyet dinh|cong van|thong bao|to trinh|huong dan|nghi dinh|"
                           r"thong tu(?: lien tich)?|nghi quyet|chi thi|luat|bo luat|cong dien|phap lenh|ket luan)\s+)?"
                           r"(?<![\w])so\s*[:.]?\s*$")
_DATE_AFTER = re.compile(r"\s*,?\s*(?:ban\s+h[àa]nh\s+)?ng[àa]y\b", re.I)  # typed with or without accents


def numbered(n) -> list[Q.Query]:
    """The parts of a number typed (`QueryNumber`) that a document numbered so has (`numtok`); all
    required. "qd 11 2026": 11/2026/QĐ-… or a QĐ 11 of 2026 — a year typed apart ranks, it is not
    asked. A law's code is QH with its legislature (QH11, QH15): "luật 15/2003" asks any of them."""
    parts = [t for p in (n.seq, n.code, n.issuer_code, None if n.year_apart else n.year) if p
             for t in re.findall(r"[^\W_]+", fold(str(p)))]  # "66.19" is two tokens, as numbers are indexed
    return [Q.Prefix("numtok", t) if t == "qh" else Q.Term("numtok", t) for t in parts]


def numbers_in_text(text: str) -> tuple[list[Q.Query], str]:
    """Number look-ups found in free text, and the text left once they are taken out."""
    found = find_numbers_in_query(text)
    queries, rest, pos = [], [], 0
    for n in found:
        # a citation pasted whole ("55/KH-UBND ngày 08/3/2016", "Kế hoạch số … ngày 8 tháng 3 năm
        # 2016"): its date picks among the documents that share the number
        after = _DATE_AFTER.match(text, n.end)
        day = parse_date(text[n.end: n.end + 40]) if after else None
        sub = numbered(n)
        if n.key:
            cited = [citing(n.key)]
            if not n.year and n.seq and n.key.startswith(f"{n.seq}/"):  # "50/QĐ-UBND" is cited as 50/2019/QĐ-UBND too
                cited.append(_citing_head(f"{n.seq}/????", n.key[len(n.seq) + 1:]))
            q = Q.Or([Q.Term("keys", keyword(n.key), boost=NUMBER_BOOST * 2), Q.And(sub, boost=NUMBER_BOOST), *cited])
            if day:
                q = Q.AndMaybe(q, Q.ConstantScoreQuery(Q.Term("date", day), score=NUMBER_BOOST))
            queries.append(q)
        elif sub:
            doc = Q.And(sub, boost=NUMBER_BOOST)
            if day:  # "Kế hoạch 11 ngày 24/01/2025": of the documents numbered so, that day's first
                doc = Q.AndMaybe(doc, Q.ConstantScoreQuery(Q.Term("date", day), score=NUMBER_BOOST))
            elif n.year_apart:  # the one of that year first
                year = int(n.year)
                doc = Q.AndMaybe(doc, Q.ConstantScoreQuery(Q.Or([Q.Term("numtok", n.year), Q.NumericRange("year", year, year)]),
                                                           score=NUMBER_BOOST))
            found_by = [doc]
            if n.seq and (n.code or (n.year and not n.year_apart)):  # "27 KH UBND", "KH 27", "69/2025": their citers follow
                found_by += [_citing_head(head, n.issuer_code) for head in n.cited_heads]
            queries.append(Q.Or(found_by) if len(found_by) > 1 else found_by[0])
        before = text[pos : n.start]
        label = NUMBER_LABEL.search(fold(before).lower())  # "Kế hoạch số", "so": the number's label, not words
        rest.append(before[: label.start()] if label else before)
        pos = n.end
    rest.append(text[pos:])
    return queries, " ".join(rest)


def _clause_query(c: Clause, negated: bool = False) -> Q.Query | None:
    if c.kind == "phrase":
        return phrase_query(c.value)
    if c.kind == "number":
        return number_query(c.value, cited=not negated)  # "-so:X" leaves out X, not what cites it
    return text_query(c.value)


def _alternative_query(clauses: list[Clause], any_words: bool = False,
                       known: Collocations | None = None) -> Q.Query | None:
    """An AND of clauses; runs of plain words are segmented together."""
    parts: list[Q.Query] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            text = " ".join(run)
            nums, rest = numbers_in_text(text)
            tq = text_query(rest, any_words, known)
            if nums:
                # the number finds its document; the words still rank the rest
                parts.append(Q.Or([*nums, tq]) if tq else Q.Or(nums))
            elif tq is not None:
                parts.append(tq)
            run.clear()

    for c in clauses:
        if c.kind == "text":
            run.append(c.value)
            continue
        flush()
        q = _clause_query(c)
        if q is not None:
            parts.append(q)
    flush()
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else Q.And(parts)


def build_query(pq: ParsedQuery, any_words: bool = False, known: Collocations | None = None) -> Q.Query:
    """The query of a parsed search; `known`: the archive's `Collocations` (see `joined_pairs`)."""
    alts = [q for a in pq.alternatives if (q := _alternative_query(a, any_words, known)) is not None]
    if alts:
        main = alts[0] if len(alts) == 1 else Q.Or(alts)
    else:
        main = Q.Every()
    return _excluding(main, pq)


def _excluding(main: Q.Query, pq: ParsedQuery) -> Q.Query:
    """`main` without what the query's `-word` / `-"phrase"` clauses match."""
    negs = [q for c in pq.negatives if (q := _clause_query(c, negated=True)) is not None]
    return Q.AndNot(main, Q.Or(negs)) if negs else main


_TYPE_NAMES = sorted({*TYPE_CODES.values(), "Công văn", "Bộ luật", "Hiến pháp"}, key=len, reverse=True)
# the types a query may begin with to put them first: names staff use for the document itself;
# not those that are also everyday words of a topic ("quy định về …", "hợp đồng lao động",
# "giấy phép xây dựng", "chương trình mục tiêu", "dự án đầu tư", "thu cong" = thủ công)
NAMED_TYPES = sorted({"Kế hoạch", "Báo cáo", "Quyết định", "Công văn", "Tờ trình", "Thông báo", "Hướng dẫn",
                      "Nghị định", "Thông tư", "Thông tư liên tịch", "Luật", "Bộ luật", "Nghị quyết", "Chỉ thị",
                      "Công điện", "Biên bản", "Giấy mời", "Đề án", "Phương án", "Quy chế", "Pháp lệnh",
                      "Hiến pháp"}, key=len, reverse=True)
TYPE_FAMILY = {"Luật": ("Luật", "Bộ luật")}  # "luật lao động": Bộ luật Lao động is a law too
_TYPE_ALIASES = {"CV": "Công văn"}  # letters have no code (Nghị định 30/2020); staff write CV
_NOT_WORD = re.compile(r"[\W_]+")


# a type's code staff type before a year ("kh 2019": the plans of 2019); alone, a code may be a word
_CODE_NAMES = {fold(c).lower(): name for c, name in {**TYPE_CODES, **_TYPE_ALIASES}.items()
               if name in NAMED_TYPES and fold(c).lower() in ("kh", "bc", "qd", "tb", "cv", "nd", "tt", "nq", "ct", "hd", "ttr")}


def named_type(pq: ParsedQuery) -> tuple[str, int] | None:
    """The document type a query begins with ("bao cao tong ket …" → "Báo cáo") and how many of
    its leading clauses name it: staff name the kind of document they want first. Typed with
    diacritics, the name must end where a word ends ("luật sư" is a word, not Luật + "sư"). None
    for an OR of alternatives and for a query with a document number in it (the number look-up
    decides; a year is not one). Alternatives count when they all begin with the same clauses
    ("quyết định (bằng khen OR giấy khen)"), not for an OR between two runs."""
    if not pq.alternatives:
        return None
    typed = pq.alternatives[0]
    if len(pq.alternatives) > 1:  # the words before a group are the same Clause in every alternative
        shared = 0
        while shared < len(typed) and all(len(a) > shared and a[shared] is typed[shared] for a in pq.alternatives):
            shared += 1
        typed = typed[:shared]
        if not typed or any(c.kind == "number" for a in pq.alternatives for c in a):
            return None
    lead = []
    for c in typed:
        v = _NOT_WORD.sub("", fold(c.value).lower()) if c.kind == "text" else ""
        if not v:
            break
        lead.append(v)
    if len(lead) >= 2 and lead[0] in _CODE_NAMES and _BARE_YEAR.fullmatch(lead[1]):
        return _CODE_NAMES[lead[0]], 1
    for name in NAMED_TYPES:
        f = fold(name).lower().split()
        if lead[: len(f)] != f or lead[len(f): len(f) + 1] == ["hoa"]:  # "kế hoạch hóa gia đình"
            continue
        if any(c.kind == "number" for c in typed) or numbers_in_text(" ".join(c.value for c in typed if c.kind == "text"))[0]:
            return None
        if all(fold(c.value) == c.value.lower() for c in typed[: len(f)]):
            return name, len(f)  # without diacritics underthesea's words are guesses ("luat su": Luật)
        ends, n = set(), 0
        for w in words(" ".join(c.value for c in typed[: len(lead)])):
            n += len(w.split("_"))
            ends.add(n)
        return (name, len(f)) if len(f) in ends else None
    return None


def type_family(name: str) -> tuple[str, ...]:
    return TYPE_FAMILY.get(name, (name,))


def typed_query(pq: ParsedQuery, named: tuple[str, int], known: Collocations | None = None) -> Q.Query:
    """The query with its leading type name asked as "these words, or a document of that type"
    (a letter never writes "công văn"; a decision's body may not say "quyết định"); the other
    words as `build_query` asks them."""
    name, n = named
    words_q = text_query(" ".join(c.value for c in pq.alternatives[0][:n]), known=known)
    lead = Q.Or([*([words_q] if words_q is not None else []), *(Q.Term("type", t, boost=0.0) for t in type_family(name))])
    rests = [q for a in pq.alternatives if (q := _alternative_query(a[n:], known=known)) is not None]
    rest = None if not rests else rests[0] if len(rests) == 1 else Q.Or(rests)
    return _excluding(lead if rest is None else Q.And([lead, rest]), pq)


def _type_value(value: str) -> str:
    """`KH`, `kh`, `Kế hoạch`, `ke hoach` → `Kế hoạch`."""
    v = value.strip()
    code = fold(v).upper().replace("Đ", "D")
    for k, name in (*TYPE_CODES.items(), *_TYPE_ALIASES.items(), *((n, n) for n in _TYPE_NAMES)):
        if fold(k).upper() == code or fold(name) == fold(v):
            return name
    return v[:1].upper() + v[1:].lower() if v else v


def build_filter(filters: dict, searcher) -> Q.Query | None:
    parts: list[Q.Query] = []
    if filters.get("type"):
        name = _type_value(filters["type"])
        if name not in _TYPE_NAMES:
            values = sorted(v.decode("utf-8") if isinstance(v, bytes) else v for v in searcher.lexicon("type"))
            name = next((v for v in values if fold(v) == fold(name)), None)  # a type of this archive, any accents
            if name is None:
                raise QueryError(
                    f"Không rõ loại văn bản {filters['type']!r}: dùng mã (KH, QĐ, BC, TB…) hoặc tên "
                    f"(Kế hoạch, Quyết định…); trong kho có: {', '.join(values[:12])}. (Unknown document type.)"
                )
        # "Luật" also finds Bộ luật, as a query beginning with "luật" ranks both first
        terms = [Q.Term("type", t) for t in type_family(name)]
        parts.append(terms[0] if len(terms) == 1 else Q.Or(terms))
    if filters.get("issuer"):
        wanted = fold(filters["issuer"])
        values = [v.decode("utf-8") if isinstance(v, bytes) else v for v in searcher.lexicon("issuer")]
        exact = [v for v in values if fold(v) == wanted]
        matches = exact or [v for v in values if issuer_within(filters["issuer"], v)]
        parts.append(Q.Or([Q.Term("issuer", v) for v in matches]) if matches else Q.NullQuery)
    lo, hi = filters.get("year_from"), filters.get("year_to")
    if lo or hi:
        parts.append(Q.NumericRange("year", lo, hi))
    lo, hi = filters.get("date_from"), filters.get("date_to")
    if lo or hi:
        parts.append(Q.TermRange("date", lo, hi))
    if filters.get("number"):
        nq = number_query(filters["number"], cited=False)
        if nq is not None:
            parts.append(nq)
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else Q.And(parts)


def param_filters(p: SearchParams) -> dict:
    """The API/CLI filters, in the shape of the ones typed in the query. Both apply: a search
    for `loai:KH` with `year=2019` finds the plans of 2019."""
    from indexer.querylang import _apply_filter, date_bounds

    pq = ParsedQuery()
    if p.type:
        pq.filters["type"] = p.type
    if p.issuer:
        pq.filters["issuer"] = p.issuer
    if p.year not in (None, ""):
        _apply_filter(pq, "year", str(p.year))  # 2019 or a range 2015..2019, as nam: in the query
    if p.date_from:  # a month or a year from its first day, to its last
        pq.filters["date_from"] = date_bounds(p.date_from, "Từ ngày (date_from)")[0]
    if p.date_to:
        pq.filters["date_to"] = date_bounds(p.date_to, "Đến ngày (date_to)")[1]
    if pq.filters.get("date_from") and pq.filters.get("date_to") and pq.filters["date_from"] > pq.filters["date_to"]:
        raise QueryError("Khoảng ngày không hợp lệ: ngày bắt đầu sau ngày kết thúc. (date_from is after date_to.)")
    return pq.filters


def combined_filter(searcher, *filters: dict) -> Q.Query | None:
    """The filters typed in the query and the ones given as parameters, all applied."""
    parts = [f for f in (build_filter(x, searcher) for x in filters) if f is not None]
    return Q.And(parts) if len(parts) > 1 else (parts[0] if parts else None)


def validate(p: SearchParams) -> None:
    if not isinstance(p.limit, int) or not 1 <= p.limit <= MAX_LIMIT:
        raise QueryError(f"limit phải từ 1 đến {MAX_LIMIT}. (limit must be between 1 and {MAX_LIMIT}.)")
    if not isinstance(p.page, int) or p.page < 1 or p.page > 1000:
        raise QueryError("page phải từ 1 đến 1000. (page must be between 1 and 1000.)")
    if p.sort not in SORTS:
        raise QueryError(f"sort phải là một trong: {', '.join(SORTS)}. (Unknown sort {p.sort!r}.)")
    if p.all_words and p.most_words:
        raise QueryError("Chọn một trong hai: chỉ văn bản chứa đủ mọi từ (all_words) hoặc cả văn bản chứa phần lớn "
                         "các từ (most_words). (all_words and most_words exclude each other.)")


_BARE_YEAR = re.compile(rf"(?<![\w/.-])({YEARISH.pattern})(?![\w/.-])")


def bare_years(text: str, numbers: list) -> list[int]:
    """The years a query names as words ("kế hoạch 2019", "năm 2019"), not inside one of its
    `numbers` (50/2019)."""
    return sorted({int(m[1]) for m in _BARE_YEAR.finditer(text) if not any(n.start <= m.start() < n.end for n in numbers)})


def highlight_terms(pq: ParsedQuery, numbers: list | None = None) -> Terms:
    """The words of the query, and its numbers (`numbers`: those of its positive text, when the
    caller has found them) as whole numbers (not their syllables: "TU" of 11-CT/TU is not "Tự" in
    "Tự do")."""
    text = pq.positive_text()
    numbers = list(find_numbers_in_query(text) if numbers is None else numbers)
    words = "".join(" " if any(n.start <= i < n.end for n in numbers) else ch for i, ch in enumerate(text))
    for a in pq.alternatives:
        for c in a:
            if c.kind == "number":
                typed = find_numbers_in_query(c.value)
                numbers += typed
                if not typed:
                    words += " " + c.value
    return Terms(syllables(words), numbers, set(folded_bigrams(words)))


def searched_query(searcher, pq: ParsedQuery, params: SearchParams) -> tuple[Q.Query, tuple[str, int] | None]:
    """The Whoosh query of a parsed search, and the type its words begin with (`named_type`): such
    a query asks its words, or a document of that type (not when relaxed: a question's words are
    words); side-by-side pairs as the archive has them unless `params.pairs` is off."""
    known = Collocations(searcher) if params.pairs else None
    named = named_type(pq) if params.match == "all" else None
    query = typed_query(pq, named, known) if named else build_query(pq, any_words=params.match == "any", known=known)
    return query, named


def run_search(searcher, params: SearchParams, load_record) -> dict:
    """Execute a search; `load_record(id)` gives the stored text for snippets."""
    validate(params)
    pq = parse(params.q)
    given = param_filters(params)
    query, named = searched_query(searcher, pq, params)
    type_filtered = "type" in pq.filters or "type" in given
    if isinstance(query, Q.Every) and not pq.negatives and params.q.strip() and not pq.filters:  # "!!!", with or without year=
        raise QueryError(
            f"Câu tìm kiếm {params.q.strip()[:50]!r} không có chữ hay số nào để tìm — hãy gõ một từ, "
            f"một cụm từ hoặc số/ký hiệu văn bản. (The query has no words to search for.)"
        )
    flt = combined_filter(searcher, pq.filters, given)
    eng = engine(searcher)
    matches = eng.run(query, flt)
    sort = params.sort
    if sort == "relevance" and isinstance(query, Q.Every):
        sort = "date"  # nothing to rank by (filters only): newest first
    matched = len(matches)
    numbers = find_numbers_in_query(pq.positive_text())
    if sort == "relevance":  # equal scores newest first (three years' plans sharing a number, letters
        matches = eng.newer_first_on_ties(matches)  # worded alike), not in index order, which a re-index reshuffles
    if params.match == "any" and sort != "relevance":
        # any one word would do: by date, the newest documents holding a single common word
        # would come first; list the best BY_DATE_TOP, newest first
        matches = eng.best(matches, BY_DATE_TOP)
    type_first = None
    if named and sort == "relevance" and not type_filtered:
        of_type = eng.in_column(matches, "type", type_family(named[0]))
        matches = eng.first(matches, of_type)  # "báo cáo tổng kết …": the reports
        type_first = named[0] if of_type.any() else None
        years = bare_years(pq.positive_text(), numbers)
        if of_type.any() and years and "year_from" not in pq.filters and "year_from" not in given:
            # "kế hoạch 2019", "luật 2019": of those, the documents of that year first, and before
            # them those whose title names it (the results of 2019, announced in January 2020)
            matches = eng.first(matches, of_type & eng.in_column(matches, "year", years))
            titled = eng.run(Q.Or([Q.Term("title_syl", str(y)) for y in years]))
            matches = eng.first(matches, of_type & np.isin(matches.docnums, titled.docnums))
    page = eng.page(matches, params.page, params.limit, sort_field=None if sort == "relevance" else "date",
                    reverse=sort == "date")
    terms = highlight_terms(pq, numbers)
    asked = asked_term(pq.positive_text())
    hits, keys = [], []
    for docnum, score in page:
        stored = searcher.stored_fields(docnum)
        meta = stored["meta"]
        keys.append(copy_key(meta))
        record = load_record(stored["id"])
        # looked for where the snippet looks (highlight.PROBE): a hit costs the same on a 45 MB text
        span = definition_span(record["text"][:PROBE], term_key(asked)) if record and asked else None
        focus = record["text"].rfind("\n", 0, span[0]) + 1 if span else None  # the defining clause's line
        snip, section = snippet(record["text"], record.get("sections") or [], terms, focus) if record else ("", None)
        hits.append(
            {
                "id": stored["id"],
                "source": meta.get("source"),
                "number": meta.get("number"),
                "type": meta.get("type"),
                "issuer": meta.get("issuer"),
                "date": meta.get("date"),
                "title": meta.get("title"),
                "score": round(score, 4) if score is not None else None,  # none when sorted by date
                "snippet": snip,
                "section": {"title": section["title"], "start": section["start"]} if section else None,
                # the document defines the term the query asks about (the snippet is that clause)
                "defines": record["text"][span[0]: span[1]] if span else None,
                "copy_of": None,  # set by `copies_in_one_line`
            }
        )
    copies_in_one_line(hits, keys)
    return {
        "query": shown_as_typed(params.q),  # as typed, in NFC like every output
        "total": len(matches),
        "page": params.page,
        "hits": hits,
        "facets": with_type_families(eng.facets(matches, FACETS)),
        # the query began with this type's name: its documents (some matched) rank first
        "type_first": type_first,
        "matched": matched,  # before BY_DATE_TOP (search_with_fallbacks decides on it, then drops it)
    }


def with_type_families(facets: dict) -> dict:
    """The type facet counting what its filter lists: "Luật" with the Bộ luật (`TYPE_FAMILY`; a
    click on "Luật 7" listed 8), which keep their own line too."""
    types = facets.get("type") or {}
    for name, family in TYPE_FAMILY.items():
        n = sum(types.get(t, 0) for t in family)
        if n and name in types:
            types[name] = n
    if types:  # most first again, as the engine lists a facet
        facets["type"] = dict(sorted(types.items(), key=lambda kv: (-kv[1], kv[0])))
    return facets


def copies_in_one_line(hits: list[dict], keys: list[tuple | None]) -> None:
    """The same document archived again (the .doc and the .pdf, two folders) ranks beside the
    first copy, as their texts are the same; the page lists the others in one line each: their
    `copy_of` is the copy that citations link to (`metadata.primary_copy`: the smallest id), which
    takes the place of the first of them on the page."""
    groups: dict[tuple, list[int]] = {}
    for i, key in enumerate(keys):
        if key:
            groups.setdefault(key, []).append(i)
    for where in groups.values():
        if len(where) < 2:
            continue
        primary = min(where, key=lambda i: hits[i]["id"])
        first = where[0]
        hits[first], hits[primary] = hits[primary], hits[first]
        for i in where[1:]:
            hits[i]["copy_of"] = hits[first]["id"]


def search_with_fallbacks(searcher, params: SearchParams, load_record) -> dict:
    """`run_search`, then, when nothing matched: the words without side-by-side pairs
    (`joined_pairs`); then, for a query of RELAX_FROM words or more that fewer than RELAX_BELOW
    documents hold in full, the documents with most of its words (`"relaxed": true`, and
    `"complete"`: how many hold every word — ranked among the others by score: putting them
    first cost ALQAC dev R@1 0.9 and MRR@10 0.5 points, as they are often long documents that
    hold every word somewhere). Not when only the filters make them few (a facet clicked: its
    count is what it lists) and some match; always when `most_words` asks for it."""
    result = run_search(searcher, params, load_record)
    if result["total"] == 0 and params.match == "all" and params.pairs:  # nowhere side by side: apart
        result = run_search(searcher, replace(params, pairs=False), load_record)
    result["relaxed"] = False
    long_q = long_question(params)
    if long_q and (params.most_words or result["total"] < RELAX_BELOW and not (
            result["total"] and filtered(params) and holding_every_word(searcher, params) >= RELAX_BELOW)):
        # a long question ("thủ tục cấp giấy phép … như thế nào") rarely has every word in one
        # document, and when one or two do, they are often long ones that hold every word anywhere:
        # rank by most words instead (BM25F over the same per-word queries)
        any_result = run_search(searcher, replace(params, match="any"), load_record)
        if any_result["matched"] > result["total"]:
            result = any_result | {"relaxed": True, "complete": result["total"]}
    elif long_q and 0 < result["total"] < BROADER_BELOW:  # offered: most_words lists more
        result["broader"] = run_search(searcher, replace(params, match="any", limit=1, page=1),
                                       load_record)["matched"] > result["total"]
    result.pop("matched", None)
    return {"complete": None, "broader": False, **result}


def long_question(params: SearchParams) -> bool:
    """A query of RELAX_FROM words or more that may be ranked by most words: filters are not words,
    a quoted phrase is one ("pccc" asked as `(pccc OR "phòng cháy và chữa cháy")` is no question),
    and of an OR, the longest side counts."""
    if params.match != "all" or params.all_words:
        return False
    def length(alt: list) -> int:  # words as segmented ("tổng kết" is one), a phrase one more
        return len(words(" ".join(c.value for c in alt if c.kind == "text"))) + sum(c.kind == "phrase" for c in alt)

    return max(map(length, parse(params.q).alternatives), default=0) >= RELAX_FROM


def filtered(params: SearchParams) -> bool:
    return bool(param_filters(params) or parse(params.q).filters)


def holding_every_word(searcher, params: SearchParams) -> int:
    """How many documents hold every word of the query, whatever its filters."""
    return len(engine(searcher).run(searched_query(searcher, parse(params.q), params)[0], None))


def broader_note(result: dict) -> str | None:
    """What the CLI says under the hits of a long question that a few documents hold in full
    when more hold most of its words (`broader`; the page says it with a link)."""
    if not result.get("broader"):
        return None
    return (f"Chỉ {result['total']} văn bản chứa đủ mọi từ đã gõ; --most-words để xem cả các văn bản chứa "
            f"phần lớn các từ.")


def relaxed_note(result: dict) -> str | None:
    """What the page and the CLI say above relaxed hits."""
    if not result.get("relaxed"):
        return None
    if result.get("complete"):
        return (f"Chỉ {result['complete']} văn bản chứa đủ mọi từ đã gõ; dưới đây xếp theo mức khớp "
                f"với nhiều từ nhất (các văn bản đó không nhất thiết đứng đầu).")
    return "Không có văn bản chứa đủ mọi từ đã gõ; dưới đây là các văn bản chứa nhiều từ nhất."


def unarchived_note(result: dict) -> str | None:
    """What the CLI says when the number searched is not archived (the page says it with a link)."""
    number = result.get("number_not_archived")
    if not number:
        return None
    if result.get("total"):
        return f"Kho chưa có văn bản mang số {number}. Các kết quả dưới đây trích dẫn số này hoặc có số gần giống."
    return f"Kho chưa có văn bản mang số {number}, và chưa văn bản nào trong kho trích dẫn số này."


def type_first_note(result: dict) -> str | None:
    """What the page and the CLI say above hits whose named type ranks first (`named_type`)."""
    if not result.get("type_first") or not result.get("total"):
        return None
    return f"Văn bản loại {result['type_first']} được xếp trước."
