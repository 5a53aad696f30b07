"""predict_sum for many series at once (the forecast refresh's fits), equal to the one-series
definition in robust_trend.py number for number.

predict_sum seeds its generator afresh (seed 13) for every series, so the resamples it draws depend
only on the series' length n, its number of targets m and which of its x are equal (a resample
with fewer than two distinct x is skipped, and then no residuals are drawn for it). The draws are
made once per such key by the same numpy calls in the same order, and every series of the key
shares them, and the pair weights they imply. Each resample's slope is the weighted median of the
series' own pairwise slopes (resampled_theil_sen); here it is found from block sums of the weights
instead of a running count over every pair.
"""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

import numpy as np

from warehouse.analytics.robust_trend import (BOOTSTRAP, LEVEL, _row_medians, horizon_origins, horizon_residuals,
                                           theil_sen, theil_sen_rows)

BLOCK = 64                  # pairs per block of the weighted-median search
MAX_CELLS = 8_000_000       # weights held at once (draws x series x pairs), per thread
WORKERS = min(2, os.cpu_count() or 1)   # threads fitting groups of series at once


def _x_classes(x: np.ndarray) -> tuple | None:
    """The classes of equal x (first-seen numbering), None when all x differ: with the length and
    the number of targets, all predict_sum's random draws depend on."""
    _, first, inverse = np.unique(x, return_index=True, return_inverse=True)
    if len(first) == len(x):
        return None
    relabel = np.argsort(np.argsort(first, kind="stable"), kind="stable")
    return tuple(int(v) for v in relabel[inverse])


@lru_cache(maxsize=256)
def _draws(n: int, m: int, classes: tuple | None, draws: int, seed: int):
    """(resamples (k, n), residual picks (k, m), counts (k, n)): what predict_sum's loop draws for a
    series with this key, by the same calls in the same order (rng.choice on an array of the
    residuals' length and dtype picks the same positions as on the residuals)."""
    labels = np.arange(n) if classes is None else np.asarray(classes)
    positions = np.arange(n, dtype=float)
    rng = np.random.default_rng(seed)
    kept, picks = [], []
    for _ in range(draws):
        idx = rng.integers(0, n, n)
        if not (labels[idx] != labels[idx[0]]).any():
            continue
        kept.append(idx)
        picks.append(rng.choice(positions, size=m).astype(np.intp) if m else np.zeros(0, np.intp))
    idx = np.array(kept, dtype=np.intp).reshape(len(kept), n)
    counts = np.bincount((idx + n * np.arange(len(idx))[:, None]).ravel(), minlength=len(idx) * n).reshape(len(idx), n)
    for array in (idx, counts):
        array.flags.writeable = False
    return idx, np.array(picks, dtype=np.intp).reshape(len(kept), m), counts


def _nth_weighted(blocks: np.ndarray, running: np.ndarray, rank: np.ndarray) -> np.ndarray:
    """The position (along axis 1 of blocks' (S, blocks x BLOCK, k) origin) of the element holding
    the weighted rank `rank` (S, k; 0-based) of each series and draw: the first whose running weight
    exceeds it. `blocks` is the weights as (S, blocks, BLOCK, k), `running` their blocks' running sums."""
    block = (running <= rank[:, None, :]).sum(axis=1)                              # (S, k): the block it falls in
    before = np.take_along_axis(running, np.maximum(block - 1, 0)[:, None, :], 1)[:, 0, :]
    before = np.where(block > 0, before, 0)
    inside = np.take_along_axis(blocks, block[:, None, None, :], 1)[:, 0]          # (S, BLOCK, k)
    offset = (before[:, None, :] + np.cumsum(inside, axis=1, dtype=np.int64) <= rank[:, None, :]).sum(axis=1)
    return block * BLOCK + offset


def resampled_slopes(x: np.ndarray, y: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Theil-Sen slopes of the resamples with `counts` (k, n: times each point is drawn) of each
    series (rows of x and y, (S, n)), as resampled_theil_sen computes them. Returns (S, k)."""
    rows, n = x.shape
    k = len(counts)
    i, j = np.triu_indices(n, k=1)
    pairs = len(i)
    width = -(-pairs // BLOCK) * BLOCK
    small = np.uint8 if int(counts.max(initial=0)) ** 2 <= np.iinfo(np.uint8).max else np.int32
    weights = np.zeros((pairs + 1, k), small)                  # a pair's weight in each draw; row `pairs`: zeros
    np.multiply(counts[:, i].T, counts[:, j].T, out=weights[:pairs], casting="unsafe")
    slopes = np.empty((rows, k))
    step = max(1, MAX_CELLS // max(k * width, 1))
    for start in range(0, rows, step):
        xs, ys = x[start:start + step], y[start:start + step]
        dx = xs[:, j] - xs[:, i]
        keep = dx != 0
        values = np.divide(ys[:, j] - ys[:, i], dx, out=np.full(dx.shape, np.inf), where=keep)
        order = np.argsort(values, axis=1, kind="stable")
        values = np.take_along_axis(values, order, axis=1)
        where = np.full((len(xs), width), pairs)
        where[:, :pairs] = np.where(np.take_along_axis(keep, order, axis=1), order, pairs)
        blocks = weights[where].reshape(len(xs), width // BLOCK, BLOCK, k)     # each draw's weights in slope order
        running = np.cumsum(blocks.sum(axis=2, dtype=np.int32), axis=1, dtype=np.int64)
        total = running[:, -1, :]
        low = _nth_weighted(blocks, running, (total - 1) // 2)
        high = _nth_weighted(blocks, running, total // 2)
        picked = np.arange(len(xs))[:, None]
        slopes[start:start + step] = (values[picked, low] + values[picked, high]) / 2
    return slopes


def predict_sums(requests, *, level: float = LEVEL, draws: int = BOOTSTRAP, seed: int = 13) -> list[tuple]:
    """[predict_sum(x, y, targets, base) for (x, y, targets, base) in requests], in bulk: the series
    sharing their random draws are fitted together (as many at once as MAX_CELLS allows)."""
    out: list = [None] * len(requests)
    groups: dict = {}
    for position, (x, y, targets, base) in enumerate(requests):
        x, y, targets = np.asarray(x, float), np.asarray(y, float), np.asarray(targets, float)
        groups.setdefault((len(x), len(targets), _x_classes(x)), []).append((position, x, y, targets, float(base)))

    def fit(key, members):
        drawn = _draws(*key, draws, seed)
        step = max(1, MAX_CELLS // max(len(drawn[0]) * (key[0] + key[1]), 1))
        for start in range(0, len(members), step):
            chunk = members[start:start + step]
            for (position, *_), result in zip(chunk, _predict_group(chunk, *drawn, (1 - level) / 2)):
                out[position] = result

    # the groups are independent (each its own draws, each result at its own position) and numpy's
    # array work releases the GIL, so two threads use both cores; the numbers do not depend on it
    with ThreadPoolExecutor(min(WORKERS, max(len(groups), 1))) as pool:
        for done in [pool.submit(fit, key, members) for key, members in groups.items()]:
            done.result()
    return out


def _predict_group(members, idx, picks, counts, tail) -> list[tuple]:
    """predict_sum of series sharing their draws: (position, x, y, targets, base) each."""
    fits = [theil_sen(x, y) for _, x, y, _, _ in members]
    points = [base + float(np.sum(intercept + slope * targets))
              for (_, _, _, targets, base), (slope, intercept) in zip(members, fits)]
    if not len(idx):
        return [(point, point, point, s, i) for point, (s, i) in zip(points, fits)]
    x = np.array([member[1] for member in members])
    y = np.array([member[2] for member in members])
    targets = np.array([member[3] for member in members]).reshape(len(members), picks.shape[1])
    bases = np.array([member[4] for member in members])
    slope = np.array([s for s, _ in fits])[:, None]
    intercept = np.array([a for _, a in fits])[:, None]
    b = resampled_slopes(x, y, counts)                                           # (S, k)
    xs, ys = x[:, idx], y[:, idx]                                                # (S, k, n)
    a = _row_medians((ys - b[..., None] * xs).reshape(-1, x.shape[1]), np.ones((b.size, x.shape[1]), bool)).reshape(b.shape)
    residuals = y - (intercept + slope * x)
    paths = a[..., None] + b[..., None] * targets[:, None, :] + residuals[:, picks]   # (S, k, m)
    sims = bases[:, None] + paths.sum(axis=-1)
    out = []
    for row, (point, (s, i)) in enumerate(zip(points, fits)):
        low, high = np.quantile(sims[row], [tail, 1 - tail])
        out.append((point, float(min(low, point)), float(max(high, point)), s, i))
    return out


def horizon_errors_many(requests) -> list[list[float]]:
    """[horizon_errors(x, y, horizon) for (x, y, horizon) in requests], in bulk: every origin's fit
    of the series of one length in one theil_sen_rows call (its rows are fitted independently)."""
    out: list = [[] for _ in requests]
    lengths: dict = {}
    for position, (x, y, horizon) in enumerate(requests):
        x, y = np.asarray(x, float), np.asarray(y, float)
        origins, compared = horizon_origins(x, horizon)
        if len(origins):
            lengths.setdefault(len(x), []).append((position, x, y, origins, compared))
    for n, members in lengths.items():
        x = np.concatenate([np.broadcast_to(x, (len(origins), n)) for _, x, _, origins, _ in members])
        y = np.concatenate([np.broadcast_to(y, (len(origins), n)) for _, _, y, origins, _ in members])
        prefix = np.concatenate([np.arange(n)[None, :] <= origins[:, None] for *_, origins, _ in members])
        slopes, intercepts = theil_sen_rows(x, y, prefix)
        start = 0
        for position, xs, ys, origins, compared in members:
            end = start + len(origins)
            out[position] = horizon_residuals(xs, ys, compared, slopes[start:end], intercepts[start:end])
            start = end
    return out
