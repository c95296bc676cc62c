"""underthesea's word-segmentation model, decoded here: same words, a third of the CPU.

`underthesea.word_tokenize` = regex tokenizer → 43 feature strings per token (Rust) → CRF
Viterbi over the labels B-W / I-W (Rust, weights in crfsuite's ``models.bin``). Building
and hashing those strings is most of its time, and it is the same work again for every
"thi đua" of an archive.

Every feature of token i is a template over a span of tokens i+a..i+b (|a|, |b| ≤ 2): the
token itself ("T[0].lower"), a pair ("T[-1,0]") or a triple ("T[0,2].is_in_dict"). So the
label scores of a token are a sum of parts, one per span, and a part depends only on the
tokens of its span and where the span starts. Each n-gram's parts are computed once per
process and kept (`_tables`); a token's scores are then twelve additions, and Viterbi over
two labels is a short loop.

The feature values (text, lowercase, ``istitle``, ``isdigit``, dictionary membership) are
computed here for n-grams of Vietnamese letters, ASCII and common punctuation — checked
equal to underthesea's featurizer on 575 000 distinct n-grams of laws, VLSP and the admin
corpus — and asked of underthesea's featurizer for anything else. Where two Viterbi choices
score within 1e-9 (table rows of look-alike numbers), rounding decides, and ours adds the
weights in another order: such a line is segmented by `word_tokenize` itself. The words are
the ones `word_tokenize` gives: tests/indexer/test_crf.py compares both on the VLSP 2013 test
sentences, law texts and the demo archive.
"""

from __future__ import annotations

import re
import string
import struct
from functools import lru_cache
from os.path import dirname, join

_SPAN = re.compile(r"^T\[(-?\d+)(?:,(-?\d+))?\](.*)$")


class _Outside:
    """Padding before/after the sentence in a cache key: equal only to itself, so a real
    token "BOS" is not it. A template reaching it has the value "BOS" (or "EOS")."""

    __slots__ = ()


_BOS, _EOS = _Outside(), _Outside()
_CACHE_MAX = 400_000  # n-grams kept per span length (~150 MB per process at most)
_SIGNED_DIGITS = re.compile(r"[+-]?[0-9]+")
_TIE = 1e-9  # Viterbi choices closer than this are left to underthesea (see `Segmenter.tags`)
_VIET = "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
# Characters whose lowercase, uppercase and digit-ness Python and underthesea (Rust) agree on;
# an n-gram with any other character gets its feature values from underthesea's featurizer.
_SAFE = frozenset(string.ascii_letters + string.digits + string.punctuation + _VIET + _VIET.lower() + "“”‘’–—…•·«»°§")


def _model_dir() -> str:
    import underthesea.pipeline.word_tokenize as wt

    return join(dirname(wt.__file__), "models", "ws_crf_vlsp2013_20230727")


def _cqdb(b: bytes, off: int) -> list[str]:
    """The strings of a crfsuite CQDB chunk, by id."""
    chunk, _size, _flag, _order, n, bwd = struct.unpack_from("<4sIIIII", b, off)
    if chunk != b"CQDB":
        raise ValueError("not a crfsuite string table")
    out = [""] * n
    for i in range(n):
        (rec,) = struct.unpack_from("<I", b, off + bwd + 4 * i)
        if rec:
            _id, size = struct.unpack_from("<iI", b, off + rec)
            out[i] = b[off + rec + 8 : off + rec + 7 + size].decode("utf-8")
    return out


def read_crfsuite(path: str) -> tuple[list[str], dict[str, tuple[float, ...]], list[list[float]]]:
    """(labels, attribute → weight per label, transition[from][to]) of a crfsuite model file."""
    b = open(path, "rb").read()
    magic, _size, kind, _ver, _nf, nl, _na, off_feat, off_labels, off_attrs, _, _ = struct.unpack_from(
        "<4sI4sIIIIIIIII", b, 0)
    if magic != b"lCRF" or kind != b"FOMC":
        raise ValueError(f"{path}: not a crfsuite CRF1d model")
    labels, attrs = _cqdb(b, off_labels), _cqdb(b, off_attrs)
    chunk, _csize, n = struct.unpack_from("<4sII", b, off_feat)
    if chunk != b"FEAT":
        raise ValueError(f"{path}: no feature chunk")
    state: dict[str, list[float]] = {}
    trans = [[0.0] * nl for _ in range(nl)]
    for kind_, src, dst, w in struct.iter_unpack("<IIId", b[off_feat + 12 : off_feat + 12 + 20 * n]):
        if kind_ == 0:
            state.setdefault(attrs[src], [0.0] * nl)[dst] += w
        else:
            trans[src][dst] += w
    return labels, {k: tuple(v) for k, v in state.items()}, trans


class Segmenter:
    """`word_tokenize(text)` of underthesea, from its own model files."""

    def __init__(self, model_dir: str | None = None, *, max_entries: int = _CACHE_MAX):
        import joblib
        from underthesea_core import CRFFeaturizer

        d = model_dir or _model_dir()
        self.labels, self.weights, trans = read_crfsuite(join(d, "models.bin"))
        if self.labels != ["B-W", "I-W"]:
            raise ValueError(f"unexpected labels {self.labels}")
        (self.t_bb, self.t_bi), (self.t_ib, self.t_ii) = trans
        templates = joblib.load(join(d, "features.bin"))
        self.dictionary = joblib.load(join(d, "dictionary.bin"))
        # span length → start offsets (sorted) → [(template name, attribute suffix)]
        spans: dict[int, dict[int, list[tuple[str, str]]]] = {}
        for t in templates:
            m = _SPAN.match(t)
            if not m or m.group(3) not in ("", ".lower", ".isdigit", ".istitle", ".is_in_dict"):
                raise ValueError(f"unexpected feature template {t!r}")
            a = int(m.group(1))
            b = int(m.group(2)) if m.group(2) is not None else a
            spans.setdefault(b - a + 1, {}).setdefault(a, []).append((t[: len(t) - len(m.group(3))], m.group(3)))
        if sorted(spans) != [1, 2, 3]:
            raise ValueError("expected templates over one, two and three tokens")
        self.spans = {n: sorted(by_start.items()) for n, by_start in spans.items()}
        if [[a for a, _ in self.spans[n]] for n in (1, 2, 3)] != [[-2, -1, 0, 1, 2], [-2, -1, 0, 1], [-2, -1, 0]]:
            raise ValueError("unexpected template windows (`_emissions` sums spans within ±2 tokens)")
        # underthesea's featurizer, one per span length, for the values of unusual tokens
        self._featurizers = {
            n: CRFFeaturizer([(f"T[0,{n - 1}]" if n > 1 else "T[0]") + sfx for sfx in self._suffixes(n)],
                             self.dictionary)
            for n in self.spans
        }
        # n-gram → label scores it adds at each start offset, flattened (b, i, b, i, …)
        self._tables: dict[int, dict] = {1: {}, 2: {}, 3: {}}
        self.max_entries = max_entries  # a table is emptied when it holds this many n-grams
        self.ties = 0  # lines handed to underthesea because of a near-tie

    def _suffixes(self, n: int) -> list[str]:
        out: list[str] = []
        for _, names in self.spans[n]:
            out.extend(sfx for _, sfx in names if sfx not in out)
        return out

    # feature values -------------------------------------------------------------------
    def _values(self, tokens: tuple) -> dict[str, str]:
        """attribute suffix → value of the templates over exactly these tokens."""
        if not all(_SAFE.issuperset(t) for t in tokens):
            return self._values_featurizer(tokens)
        text = " ".join(tokens)
        low = text.lower()
        values = {"": text, ".lower": low, ".is_in_dict": str(low in self.dictionary),
                  ".istitle": str(all(t[0].upper() == t[0] for t in tokens))}
        if len(tokens) == 1:  # underthesea: "parses as a 32-bit integer"
            values[".isdigit"] = str(_SIGNED_DIGITS.fullmatch(text) is not None and -2**31 <= int(text) < 2**31)
        return values

    def _values_featurizer(self, tokens: tuple) -> dict[str, str]:
        """The same values from underthesea's featurizer (tokens with characters outside the
        Vietnamese alphabet and ASCII, whose case and digit rules are not spelled out here)."""
        n = len(tokens)
        feats = self._featurizers[n].process([[[t] for t in tokens]])[0][0]
        return {sfx: f.partition("=")[2] for sfx, f in zip(self._suffixes(n), feats)}

    def _scores(self, tokens: tuple) -> tuple[float, ...]:
        """Label scores an n-gram adds at each start offset of its templates, (b, i) pairs."""
        n = len(tokens)
        if tokens[0] is _BOS or tokens[-1] is _EOS:  # a template reaching outside: one value
            outside = "BOS" if tokens[0] is _BOS else "EOS"
            values = dict.fromkeys(("", ".lower", ".isdigit", ".istitle", ".is_in_dict"), outside)
        else:
            values = self._values(tokens)
        out: list[float] = []
        get = self.weights.get
        for _, names in self.spans[n]:
            b = i = 0.0
            for name, suffix in names:
                w = get(f"{name}{suffix}={values[suffix]}")
                if w is not None:
                    b += w[0]
                    i += w[1]
            out += (b, i)
        return tuple(out)

    def _table(self, n: int, keys: list) -> list[tuple[float, ...]]:
        table = self._tables[n]
        if len(table) >= self.max_entries:
            table.clear()
        out = []
        for key in keys:
            got = table.get(key)
            if got is None:
                got = table[key] = self._scores(key if n > 1 else (key,))
            out.append(got)
        return out

    def _emissions(self, tokens: list[str]) -> list[tuple[float, float]]:
        """Label scores (B-W, I-W) of every token: the parts of its 12 template spans summed."""
        n = len(tokens)
        p = [_BOS, _BOS, *tokens, _EOS, _EOS]
        uni = self._table(1, p)
        bi = self._table(2, list(zip(p, p[1:])))
        tri = self._table(3, list(zip(p, p[1:], p[2:])))
        out = []
        for i in range(n):
            u0, u1, u2, u3, u4 = uni[i], uni[i + 1], uni[i + 2], uni[i + 3], uni[i + 4]
            b0, b1, b2, b3 = bi[i], bi[i + 1], bi[i + 2], bi[i + 3]
            t0, t1, t2 = tri[i], tri[i + 1], tri[i + 2]
            out.append((u0[0] + u1[2] + u2[4] + u3[6] + u4[8] + b0[0] + b1[2] + b2[4] + b3[6] + t0[0] + t1[2] + t2[4],
                        u0[1] + u1[3] + u2[5] + u3[7] + u4[9] + b0[1] + b1[3] + b2[5] + b3[7] + t0[1] + t1[3] + t2[5]))
        return out

    # decoding -------------------------------------------------------------------------
    def tags(self, tokens: list[str]) -> list[bool] | None:
        """True where a token begins a word (B-W), by Viterbi; None when two choices on the way
        score within `_TIE` of each other. Our sums add the same weights in another order
        than underthesea's (float rounding differs by ~1e-13), so only there could the two
        decoders choose differently; the caller then asks underthesea itself."""
        n = len(tokens)
        if not n:
            return []
        em = self._emissions(tokens)
        t_bb, t_bi, t_ib, t_ii = self.t_bb, self.t_bi, self.t_ib, self.t_ii
        sb, si = em[0]
        back: list[tuple[bool, bool]] = []  # per position: (best previous for B is B, … for I is B)
        for eb, ei in em[1:]:
            b_from_b, b_from_i = sb + t_bb, si + t_ib
            i_from_b, i_from_i = sb + t_bi, si + t_ii
            if abs(b_from_b - b_from_i) < _TIE or abs(i_from_b - i_from_i) < _TIE:
                return None
            pb = b_from_b > b_from_i
            pi = i_from_b > i_from_i
            back.append((pb, pi))
            sb = (b_from_b if pb else b_from_i) + eb
            si = (i_from_b if pi else i_from_i) + ei
        if abs(sb - si) < _TIE:
            return None
        cur = sb > si
        out = [cur]
        for pb, pi in reversed(back):
            cur = pb if cur else pi
            out.append(cur)
        out.reverse()
        return out

    def words(self, text: str) -> list[str]:
        """Words of `text` (compound words keep their inner spaces), as `word_tokenize(text)`."""
        tokens = tokenize(text)
        tags = self.tags(tokens)
        if tags is None:  # a near-tie: underthesea decides (about 1 line in 20 000 of real text)
            self.ties += 1
            from underthesea import word_tokenize

            return word_tokenize(text)
        out: list[str] = []
        for k, (tok, begins) in enumerate(zip(tokens, tags)):
            if begins or k == 0:
                out.append(tok)
            else:
                out[-1] = out[-1] + " " + tok
        return out


def tokenize(text: str) -> list[str]:
    """underthesea's `regex_tokenize.tokenize(text)` (character and token normalization on),
    without its per-match group scan (the matched alternative's group is the whole match)
    and with the per-token normalization cached."""
    from underthesea.pipeline.text_normalize.character_normalize import normalize_characters_in_text
    from underthesea.pipeline.word_tokenize.regex_tokenize import patterns

    return [_token_normalize(m.group()) for m in patterns.finditer(normalize_characters_in_text(text))]


@lru_cache(maxsize=100_000)
def _token_normalize(token: str) -> str:
    from underthesea.pipeline.text_normalize import token_normalize

    return token_normalize(token)


@lru_cache(maxsize=1)
def segmenter() -> Segmenter:
    return Segmenter()
