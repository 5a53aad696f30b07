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
    sims = []
    for _ in range(draws):
        idx = rng.integers(0, len(x), len(x))
        if np.unique(x[idx]).size < 2:
            continue
        b, a = theil_sen(x[idx], y[idx])
        noise = rng.choice(residuals, size=len(targets)) if len(targets) else 0.0
        sims.append(base + float(np.sum(a + b * targets + noise)))
    tail = (1 - level) / 2
    low, high = (np.quantile(sims, [tail, 1 - tail]) if sims else (point, point))
    return point, float(min(low, point)), float(max(high, point)), slope, intercept


def horizon_errors(x, y, horizon: float, *, min_points: int = 3, max_origins: int = MAX_ORIGINS) -> list[float]:
    """Out-of-sample errors at about `horizon` (years): for each origin i (the latest `max_origins`
    with at least `min_points` points), fit on points ≤ i and compare with the point nearest to
    x[i] + horizon (within half the median spacing, at least a month)."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    if len(x) < min_points + 1:
        return []
    tolerance = max(0.5 * float(np.median(np.diff(x))), 1 / 12)
    errors = []
    for i in range(max(min_points - 1, len(x) - 1 - max_origins), len(x) - 1):
        later = np.arange(i + 1, len(x))
        j = later[np.argmin(np.abs(x[later] - (x[i] + horizon)))]
        if abs(x[j] - (x[i] + horizon)) > tolerance or np.unique(x[:i + 1]).size < 2:
            continue
        slope, intercept = theil_sen(x[:i + 1], y[:i + 1])
        errors.append(float(y[j] - (intercept + slope * x[j])))
    return errors


def predict_level(x, y, target: float, *, level: float = LEVEL) -> tuple[float, float, float, float, float, str]:
    """A level at `target`: Theil-Sen point; the interval spans the bootstrap's and, when the series
    has at least MIN_ERRORS of them, its own errors at the same horizon (the back-test showed the
    bootstrap alone too narrow). Returns (point, low, high, slope, intercept, method)."""
    point, low, high, slope, intercept = predict_sum(x, y, [target], level=level)
    errors = horizon_errors(x, y, target - float(np.max(x)))
    if len(errors) < MIN_ERRORS:
        return point, low, high, slope, intercept, METHOD_BOOTSTRAP
    tail = (1 - level) / 2
    q_low, q_high = np.quantile(errors, [tail, 1 - tail])
    return point, min(point + float(q_low), low), max(point + float(q_high), high), slope, intercept, METHOD_HORIZON
