"""How a talent and a job score: the weights, the points of each part as vectorised tables, and the words.

A score is the sum of seven parts (points):

=============  =====================================================================================
major          same major 40 · same class 30 · same discipline 16 · job open to any major 12 ·
               a major the job does not ask for 0 (the job's `majors` may name majors, classes or
               disciplines; the deepest level the talent's major shares with one of them counts)
degree         exactly the degree asked 10 · one above 8 · two or more above 6 · none asked 8 ·
               below the degree asked: the pair is excluded
place          the job lies in a wished place (adcode or an area containing it) 15 · in the same
               city as a wish 10 · same province 5 · elsewhere 0 · talent names no place 6 ·
               job gives no place 0
pay            the whole range meets the wished pay 10 · its top reaches it 6 · below it 0 ·
               either side unknown 4
text           25 · s / (s + 10), where s is BM25 (k1 1.2, b 0.75) of the talent's skills, major
               name and self-description against the job's title (counted twice), skills and
               description, over jieba words; words in more than a tenth of the open jobs are
               skipped (they tell no job apart)
recency        8 · 0.5 ^ (days since posted / 30); no date 0
chain          job on a key chain 4 · talent wishes the job's chain 5 (both can add up)
=============  =====================================================================================

The parts are computed as small tables over the distinct values on each side (distinct majors, wished
places, pay wishes …) and gathered, so a talent against 30,000 jobs costs a few array passes.
"""

from __future__ import annotations

import numpy as np

W_MAJOR = {"major": 40.0, "class": 30.0, "discipline": 16.0, "open": 12.0, "none": 0.0}
W_DEGREE = {"exact": 10.0, "above1": 8.0, "above2": 6.0, "any": 8.0}
W_PLACE = {"wished": 15.0, "city": 10.0, "province": 5.0, "elsewhere": 0.0, "anywhere": 6.0, "unknown": 0.0}
W_PAY = {"full": 10.0, "reaches": 6.0, "below": 0.0, "unknown": 4.0}
W_TEXT, TEXT_HALF = 25.0, 10.0
BM25_K1, BM25_B = 1.2, 0.75
COMMON_SHARE = 0.10  # words in more than this share of open jobs are not scored
W_RECENT, RECENT_HALF_LIFE = 8.0, 30.0
W_KEY_CHAIN, W_WISHED_CHAIN = 4.0, 5.0
EXCLUDED = -1.0e6  # points of a pair that may not match (degree below the one asked)

# Level codes the tables return beside the points, read by the words below.
MAJOR_LEVELS = ("none", "open", "discipline", "class", "major")  # index = level code; -1 = talent gave none
DEGREE_LEVELS = ("any", "exact", "above1", "above2")  # -1 = below
PLACE_LEVELS = ("elsewhere", "province", "city", "wished", "anywhere", "unknown")
PAY_LEVELS = ("unknown", "below", "reaches", "full")


def major_table(
    t_major: np.ndarray,
    t_class: np.ndarray,
    t_disc: np.ndarray,
    s_major: np.ndarray,
    s_class: np.ndarray,
    s_disc: np.ndarray,
    s_open: np.ndarray,
) -> np.ndarray:
    """Level codes (a, b): talents' (major, class, discipline) ids against job sets' entries (b, E).

    Entries carry, per level, the id of the code they name there (-1 when they name none), so a job
    asking for class 0809 has class 0809 and discipline 08 but no major.
    """
    m = (s_major[None, :, :] == t_major[:, None, None]).any(-1) & (t_major[:, None] >= 0)
    c = (s_class[None, :, :] == t_class[:, None, None]).any(-1) & (t_class[:, None] >= 0)
    d = (s_disc[None, :, :] == t_disc[:, None, None]).any(-1) & (t_disc[:, None] >= 0)
    level = np.where(m, 4, np.where(c, 3, np.where(d, 2, np.where(s_open[None, :], 1, 0))))
    return level.astype(np.int8)


MAJOR_POINTS = np.array([W_MAJOR[n] for n in MAJOR_LEVELS], dtype=np.float32)


def degree_table(t_level: np.ndarray, j_level: np.ndarray) -> np.ndarray:
    """Level codes (a, b) of talents' degree levels (0-4) against jobs' minimum levels (0 = none)."""
    gap = t_level[:, None].astype(np.int16) - j_level[None, :].astype(np.int16)
    level = np.where(j_level[None, :] == 0, 0, np.where(gap < 0, -1, np.minimum(gap, 2) + 1))
    return level.astype(np.int8)


DEGREE_POINTS = np.array([W_DEGREE[n] for n in DEGREE_LEVELS] + [EXCLUDED], dtype=np.float32)  # [-1] = below


def place_table(w_code: np.ndarray, w_len: np.ndarray, j_code: np.ndarray, j_len: np.ndarray) -> np.ndarray:
    """Level codes (a, b) of wish sets (a, W) of 6-digit-padded adcodes with their significant length
    (2, 4 or 6; 0 = padding) against job adcodes (b,)."""
    wc, wl = w_code[:, None, :], w_len[:, None, :]
    jc, jl = j_code[None, :, None], j_len[None, :, None]
    scale = np.where(wl == 2, 10_000, np.where(wl == 4, 100, 1))
    wished = (wl > 0) & (jl >= wl) & (jc // scale == wc // scale)
    city = (wl >= 4) & (jl >= 4) & (jc // 100 == wc // 100)
    province = (wl > 0) & (jl > 0) & (jc // 10_000 == wc // 10_000)
    level = np.where(wished.any(-1), 3, np.where(city.any(-1), 2, np.where(province.any(-1), 1, 0)))
    level = np.where((w_len == 0).all(-1)[:, None], 4, level)
    level = np.where(j_len[None, :] == 0, 5, level)
    return level.astype(np.int8)


PLACE_POINTS = np.array([W_PLACE[n] for n in PLACE_LEVELS], dtype=np.float32)


def pay_table(wish: np.ndarray, pay_min: np.ndarray, pay_max: np.ndarray) -> np.ndarray:
    """Level codes (a, b) of wished pay (a,) against job ranges (b,); -1 means unknown."""
    w, lo, hi = wish[:, None], pay_min[None, :], pay_max[None, :]
    top = np.where(hi >= 0, hi, lo)
    bottom = np.where(lo >= 0, lo, hi)
    level = np.where(bottom >= w, 3, np.where(top >= w, 2, 1))
    level = np.where((w < 0) | (top < 0), 0, level)
    return level.astype(np.int8)


PAY_POINTS = np.array([W_PAY[n] for n in PAY_LEVELS], dtype=np.float32)


def chain_table(wishes: np.ndarray, j_chain: np.ndarray, j_key: np.ndarray) -> np.ndarray:
    """Level codes (a, b): bit 1 the job is on a key chain, bit 2 the talent wishes its chain."""
    wished = ((wishes[:, None, :] == j_chain[None, :, None]) & (j_chain[None, :, None] >= 0)).any(-1)
    return (j_key[None, :].astype(np.int8) + 2 * wished.astype(np.int8)).astype(np.int8)


CHAIN_POINTS = np.array([0.0, W_KEY_CHAIN, W_WISHED_CHAIN, W_KEY_CHAIN + W_WISHED_CHAIN], dtype=np.float32)


def text_points(bm25: np.ndarray) -> np.ndarray:
    """Bounded points of a BM25 score.

    >>> float(text_points(np.array([10.0]))[0])
    12.5
    """
    return (W_TEXT * bm25 / (bm25 + TEXT_HALF)).astype(np.float32)


def recency_points(days: np.ndarray) -> np.ndarray:
    """Points for days since posting (-1 = no date)."""
    pts = W_RECENT * np.power(0.5, np.maximum(days, 0) / RECENT_HALF_LIFE)
    return np.where(days < 0, 0.0, pts).astype(np.float32)


def bm25_saturate(tf: np.ndarray, doc_len: np.ndarray, avg_len: float) -> np.ndarray:
    """BM25's term-frequency part (Lucene form) for counts `tf` in documents of length `doc_len`."""
    norm = BM25_K1 * (1.0 - BM25_B + BM25_B * doc_len / np.float32(avg_len))
    return (tf * np.float32(BM25_K1 + 1.0) / (tf + norm)).astype(np.float32)


def bm25_idf(df: np.ndarray, n: int) -> np.ndarray:
    """Lucene's idf, ln(1 + (N - df + 0.5) / (df + 0.5)); zero for words in no open job."""
    idf = np.log1p((n - df + 0.5) / (df + 0.5)).astype(np.float32)
    return np.where(df > 0, idf, np.float32(0.0)).astype(np.float32)
