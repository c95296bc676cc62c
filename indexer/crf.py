"""underthesea's word-segmentation model, decoded here with caches: same words, less CPU.

`underthesea.word_tokenize` = regex tokenizer → 43 feature strings per token (Rust) → CRF
Viterbi over the labels B-W / I-W (Rust, weights in crfsuite's ``models.bin``). Building
and hashing those strings is three quarters of its time, and it is the same work again for
every "thi đua" of an archive.

Every feature of token i is a template over a span of tokens i+a..i+b (|a|,|b| ≤ 2): the
token itself ("T[0].lower"), a pair ("T[-1,0]") or a triple ("T[0,2].is_in_dict"). So the
label scores of a token are a sum of parts, one per span, and a part depends only on the
tokens of its span and where the span starts. Each part is computed once per distinct
token / pair / triple (the feature values come from underthesea's own featurizer, so
lowercase, ``istitle``, ``isdigit`` and the dictionary look-ups are its, not a copy), and the
sum for a whole five-token window is cached too. Viterbi over two labels is a short loop.

The words are the ones `word_tokenize` gives: tests/indexer/test_crf.py compares both
on the VLSP 2013 test sentences and the demo archive.
"""

from __future__ import annotations

import re
import struct
from functools import lru_cache
from os.path import dirname, join

_SPAN = re.compile(r"^T\[(-?\d+)(?:,(-?\d+))?\](.*)$")


class _Outside:
    """Padding before/after the sentence in a cache key: equal only to itself, so a real
    token "BOS" is not it. A template reaching it has the value "BOS" (or "EOS")."""

    __slots__ = ()


_BOS, _EOS = _Outside(), _Outside()
_WINDOW_CACHE_MAX = 300_000  # ~100 MB per process at most


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

    def __init__(self, model_dir: str | None = None, *, max_windows: int = _WINDOW_CACHE_MAX):
        import joblib
        from underthesea_core import CRFFeaturizer

        d = model_dir or _model_dir()
        self.labels, self.weights, trans = read_crfsuite(join(d, "models.bin"))
        if self.labels != ["B-W", "I-W"]:
            raise ValueError(f"unexpected labels {self.labels}")
        (self.t_bb, self.t_bi), (self.t_ib, self.t_ii) = trans
        templates = joblib.load(join(d, "features.bin"))
        dictionary = joblib.load(join(d, "dictionary.bin"))
        # span (a, b) → [(template name, attribute suffix)], e.g. (0, 1) → [("T[0,1]", ""), ("T[0,1]", ".lower"), …]
        self.spans: dict[tuple[int, int], list[tuple[str, str]]] = {}
        for t in templates:
            m = _SPAN.match(t)
            if not m:
                raise ValueError(f"unexpected feature template {t!r}")
            a = int(m.group(1))
            b = int(m.group(2)) if m.group(2) is not None else a
            self.spans.setdefault((a, b), []).append((t[: len(t) - len(m.group(3))], m.group(3)))
        self._span_list = sorted(self.spans)
        # one featurizer per span length, with the templates of a span starting at the token
        # itself: run over a sentence, position j gives the values of the span starting at j
        self._suffixes: dict[int, list[str]] = {}
        for (a, b), names in self.spans.items():
            have = self._suffixes.setdefault(b - a + 1, [])
            have.extend(sfx for _, sfx in names if sfx not in have)
        self._featurizers = {
            n: CRFFeaturizer([(f"T[0,{n - 1}]" if n > 1 else "T[0]") + sfx for sfx in sfxs], dictionary)
            for n, sfxs in self._suffixes.items()
        }
        self._parts: dict[tuple, tuple[float, float]] = {}
        self._windows: dict[tuple, tuple[float, float]] = {}
        self.max_windows = max_windows  # both caches are emptied when this many windows are kept

    # scores ---------------------------------------------------------------------------
    def _span_values(self, tokens: list[str]) -> dict[int, list[list[str]]]:
        """span length → per start position → the template values (in `_suffixes` order)."""
        sentence = [[t] for t in tokens]
        return {
            n: [[f.partition("=")[2] for f in feats] for feats in fz.process([sentence])[0]]
            for n, fz in self._featurizers.items()
        }

    def _part(self, span: tuple[int, int], values: list[str] | str) -> tuple[float, float]:
        """Scores added by the templates of `span`, given their values (or one "BOS"/"EOS")."""
        b = i = 0.0
        suffixes = self._suffixes[span[1] - span[0] + 1]
        for name, suffix in self.spans[span]:
            v = values if isinstance(values, str) else values[suffixes.index(suffix)]
            w = self.weights.get(f"{name}{suffix}={v}")
            if w is not None:
                b += w[0]
                i += w[1]
        return b, i

    def _emissions(self, tokens: list[str]) -> list[tuple[float, float]]:
        """Label scores of every token (from the caches, or computed once and kept)."""
        n = len(tokens)
        padded = (_BOS, _BOS, *tokens, _EOS, _EOS)
        windows, parts = self._windows, self._parts
        out = []
        values = None
        for k in range(n):
            window = padded[k : k + 5]
            got = windows.get(window)
            if got is None:
                b = i = 0.0
                for a, z in self._span_list:
                    span_tokens = window[a + 2 : z + 3]
                    key = (a, z, span_tokens)
                    part = parts.get(key)
                    if part is None:
                        if span_tokens[0] is _BOS:
                            part = self._part((a, z), "BOS")
                        elif span_tokens[-1] is _EOS:
                            part = self._part((a, z), "EOS")
                        else:
                            if values is None:
                                values = self._span_values(tokens)
                            part = self._part((a, z), values[z - a + 1][k + a])
                        parts[key] = part
                    b += part[0]
                    i += part[1]
                if len(windows) >= self.max_windows:
                    windows.clear()
                    parts.clear()
                got = windows[window] = (b, i)
            out.append(got)
        return out

    # decoding -------------------------------------------------------------------------
    def tags(self, tokens: list[str]) -> list[bool]:
        """True where a token begins a word (B-W), by Viterbi."""
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
            pb = b_from_b >= b_from_i
            pi = i_from_b >= i_from_i
            back.append((pb, pi))
            sb = (b_from_b if pb else b_from_i) + eb
            si = (i_from_b if pi else i_from_i) + ei
        cur = sb >= si
        out = [cur]
        for pb, pi in reversed(back):
            cur = pb if cur else pi
            out.append(cur)
        out.reverse()
        return out

    def words(self, text: str) -> list[str]:
        """Words of `text` (compound words keep their inner spaces), as `word_tokenize(text)`."""
        tokens = tokenize(text)
        out: list[str] = []
        for k, (tok, begins) in enumerate(zip(tokens, self.tags(tokens))):
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
