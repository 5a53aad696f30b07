"""Theil-Sen trend and its bootstrap prediction interval (the forecast to target's fit).

x is in years (float), y the series value. Deterministic: the bootstrap uses a fixed seed.
"""
from __future__ import annotations

import numpy as np

METHOD_BOOTSTRAP = "Theil-Sen (mediana de pendientes); intervalo del 80 % por bootstrap"
METHOD_HORIZON = ("Theil-Sen (mediana de pendientes); intervalo del 80 %: el más amplio entre el bootstrap y "
                  "los errores de la serie pronosticada a sí misma al mismo horizonte")
MIN_ERRORS = 5
MAX_ORIGINS = 36
LEVEL = 0.80
BOOTSTRAP = 200


def theil_sen(x, y) -> tuple[float, float]:
    """Slope = median of the pairwise slopes (pairs with distinct x); intercept = median(y − slope·x)."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    i, j = np.triu_indices(len(x), k=1)
    dx = x[j] - x[i]
    keep = dx != 0
    if not keep.any():
        raise ValueError("Theil-Sen needs two distinct x")
    slope = float(np.median((y[j] - y[i])[keep] / dx[keep]))
    return slope, float(np.median(y - slope * x))


def _row_medians(values: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """Each row's median over its `valid` entries, as np.median computes it (the middle value, or the
    mean of the two middle ones), so a batched fit equals the one-at-a-time fit exactly. The invalid
    entries become -inf or +inf in such numbers that every row's middle lands at the same positions,
    so one partition (linear, not a sort) finds them all."""
    width = values.shape[1]
    if valid.all():                                                   # no fillers: the plain median
        middle = (width - 1) // 2
        parted = np.partition(values, [middle, middle + 1] if middle + 1 < width else [middle], axis=1)
        low = parted[:, middle]
        return (low + (parted[:, middle + 1] if width % 2 == 0 else low)) / 2
    count = valid.sum(axis=1)
    below = (width - 1) // 2 - (count - 1) // 2                      # -inf fillers per row
    invalid_rank = np.cumsum(~valid, axis=1)
    filled = np.where(valid, values, np.where(invalid_rank <= below[:, None], -np.inf, np.inf))
    middle = (width - 1) // 2
    kth = [middle, middle + 1] if middle + 1 < width else [middle]
    parted = np.partition(filled, kth, axis=1)
    low = parted[:, middle]
    high = np.where(count % 2 == 0, parted[:, min(middle + 1, width - 1)], low)
    return np.where(count > 0, (low + high) / 2, np.nan)


def theil_sen_rows(x, y, valid=None, *, max_cells: int = 2_000_000) -> tuple[np.ndarray, np.ndarray]:
    """theil_sen for each row of x and y (2-D, one series per row) over its `valid` points (default
    all), in bulk. Returns (slopes, intercepts); NaN for a row without two distinct valid x."""
    x, y = np.atleast_2d(np.asarray(x, float)), np.atleast_2d(np.asarray(y, float))
    valid = np.ones(x.shape, bool) if valid is None else np.atleast_2d(np.asarray(valid, bool))
    i, j = np.triu_indices(x.shape[1], k=1)
    slopes = np.full(len(x), np.nan)
    step = max(1, max_cells // max(len(i), 1))                       # bound the pairs held at once
    for start in range(0, len(x), step):
        xs, ys, vs = x[start:start + step], y[start:start + step], valid[start:start + step]
        dx = xs[:, j] - xs[:, i]
        keep = (dx != 0) & vs[:, i] & vs[:, j]
        pair_slopes = np.divide(ys[:, j] - ys[:, i], dx, out=np.zeros_like(dx), where=keep)
        slopes[start:start + step] = _row_medians(pair_slopes, keep)
    fitted = np.isfinite(slopes)
    intercepts = _row_medians(y - np.where(fitted, slopes, 0.0)[:, None] * x, valid & fitted[:, None])
    return slopes, intercepts


def resampled_theil_sen(x, y, draws, *, max_cells: int = 4_000_000) -> tuple[np.ndarray, np.ndarray]:
    """theil_sen of many resamples of one series at once: row k of `draws` holds the indices of the
    k-th resample (each with two distinct x). A resample's pairwise slopes are the series' own, each
    pair {a, b} counted count(a) x count(b) times, so the median is a weighted one over the series'
    slopes sorted once; results equal theil_sen(x[row], y[row]) exactly. Returns (slopes, intercepts)."""
    x, y, draws = np.asarray(x, float), np.asarray(y, float), np.asarray(draws)
    n, rows = len(x), len(draws)
    i, j = np.triu_indices(n, k=1)
    dx = x[j] - x[i]
    keep = dx != 0
    i, j = i[keep], j[keep]
    pair_slopes = (y[j] - y[i]) / dx[keep]      # equal to (y[a] - y[b]) / (x[a] - x[b]): signs cancel exactly
    order = np.argsort(pair_slopes, kind="stable")
    pair_slopes, i, j = pair_slopes[order], i[order], j[order]
    counts = np.bincount((draws + n * np.arange(rows)[:, None]).ravel(),
                         minlength=rows * n).reshape(rows, n).astype(np.int32)   # int32: half the memory traffic
    slopes = np.empty(rows)
    width = len(pair_slopes)
    step = max(1, max_cells // max(width, 1))
    for start in range(0, rows, step):
        c = counts[start:start + step]
        running = np.cumsum((c[:, i] * c[:, j]).ravel(), dtype=np.int64)   # one running count across the rows
        ends = running[width - 1::width]
        begins = np.concatenate(([0], ends[:-1]))
        total = ends - begins
        offsets = width * np.arange(len(c))
        low = np.searchsorted(running, begins + (total - 1) // 2, side="right") - offsets
        high = np.searchsorted(running, begins + total // 2, side="right") - offsets
        slopes[start:start + step] = (pair_slopes[low] + pair_slopes[high]) / 2
    xs, ys = x[draws], y[draws]
    intercepts = _row_medians(ys - slopes[:, None] * xs, np.ones(xs.shape, bool))
    return slopes, intercepts


def predict_sum(x, y, targets, base: float = 0.0, *, level: float = LEVEL, draws: int = BOOTSTRAP,
                seed: int = 13) -> tuple[float, float, float, float, float]:
    """Forecast `base + Σ trend(t) for t in targets` (one target: a level; several: a flow's
    remaining periods) with a bootstrap interval: resample the points, refit, add a resampled
    residual per target. Returns (point, low, high, slope, intercept)."""
    x, y, targets = np.asarray(x, float), np.asarray(y, float), np.asarray(targets, float)
    slope, intercept = theil_sen(x, y)
    point = base + float(np.sum(intercept + slope * targets))
    residuals = y - (intercept + slope * x)
    rng = np.random.default_rng(seed)
    draws_idx, noises = [], []             # the random draws, in the order the one-at-a-time loop made them
    for _ in range(draws):
        idx = rng.integers(0, len(x), len(x))
        if not (x[idx] != x[idx[0]]).any():          # fewer than two distinct x: no fit
            continue
        draws_idx.append(idx)
        noises.append(rng.choice(residuals, size=len(targets)) if len(targets) else np.zeros(0))
    sims = []
    if draws_idx:
        idx = np.array(draws_idx)
        b, a = resampled_theil_sen(x, y, idx)                          # every draw's refit at once
        paths = a[:, None] + b[:, None] * targets[None, :] + np.array(noises).reshape(len(idx), len(targets))
        sims = [base + float(np.sum(row)) for row in paths]
    tail = (1 - level) / 2
    low, high = (np.quantile(sims, [tail, 1 - tail]) if sims else (point, point))
    return point, float(min(low, point)), float(max(high, point)), slope, intercept


def horizon_origins(x, horizon: float, *, min_points: int = 3,
                    max_origins: int = MAX_ORIGINS) -> tuple[np.ndarray, np.ndarray]:
    """horizon_errors' comparisons: (origins i, the point j compared with each). The origins are the
    latest `max_origins` with at least `min_points` points, at least two distinct x among them, and a
    later point within the tolerance (half the median spacing, at least a month) of x[i] + horizon;
    j is the first later point nearest to it."""
    x = np.asarray(x, float)
    none = np.zeros(0, np.intp), np.zeros(0, np.intp)
    if len(x) < min_points + 1:
        return none
    tolerance = max(0.5 * float(np.median(np.diff(x))), 1 / 12)
    origins = np.arange(max(min_points - 1, len(x) - 1 - max_origins), len(x) - 1)
    if not len(origins):
        return none
    distance = np.abs(x[None, :] - (x[origins] + horizon)[:, None])
    distance[np.arange(len(x))[None, :] <= origins[:, None]] = np.inf          # later points only
    compared = distance.argmin(axis=1)
    differs = x != x[0]
    first_distinct = int(differs.argmax()) if differs.any() else len(x)
    ok = (distance[np.arange(len(origins)), compared] <= tolerance) & (origins >= first_distinct)
    return origins[ok], compared[ok]


def horizon_errors(x, y, horizon: float, *, min_points: int = 3, max_origins: int = MAX_ORIGINS) -> list[float]:
    """Out-of-sample errors at about `horizon` (years): for each origin i (horizon_origins), fit on
    points ≤ i and compare with the point nearest to x[i] + horizon."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    origins, compared = horizon_origins(x, horizon, min_points=min_points, max_origins=max_origins)
    if not len(origins):
        return []
    prefix = np.arange(len(x))[None, :] <= origins[:, None]   # each origin's points <= i
    slopes, intercepts = theil_sen_rows(np.broadcast_to(x, prefix.shape), np.broadcast_to(y, prefix.shape), prefix)
    return horizon_residuals(x, y, compared, slopes, intercepts)


def horizon_residuals(x, y, compared, slopes, intercepts) -> list[float]:
    return [float(y[j] - (intercept + slope * x[j])) for j, slope, intercept in zip(compared, slopes, intercepts)]


def predict_level(x, y, target: float, *, level: float = LEVEL) -> tuple[float, float, float, float, float, str]:
    """A level at `target`: Theil-Sen point; the interval spans the bootstrap's and, when the series
    has at least MIN_ERRORS of them, its own errors at the same horizon (the back-test showed the
    bootstrap alone too narrow). Returns (point, low, high, slope, intercept, method)."""
    point, low, high, slope, intercept = predict_sum(x, y, [target], level=level)
    errors = horizon_errors(x, y, target - float(np.max(x)))
    low, high, method = level_interval(point, low, high, errors, level=level)
    return point, low, high, slope, intercept, method


def level_interval(point: float, low: float, high: float, errors, *, level: float = LEVEL) -> tuple[float, float, str]:
    """A level's interval from the bootstrap's (low, high) and the series' own horizon errors: the
    wider of the two when there are at least MIN_ERRORS errors. Returns (low, high, method)."""
    if len(errors) < MIN_ERRORS:
        return low, high, METHOD_BOOTSTRAP
    tail = (1 - level) / 2
    q_low, q_high = np.quantile(errors, [tail, 1 - tail])
    return min(point + float(q_low), low), max(point + float(q_high), high), METHOD_HORIZON
