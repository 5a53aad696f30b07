"""The forecast refresh fits every series in bulk (warehouse/analytics/bulk_fits.py): each result must
be bit-for-bit the one-series definition (robust_trend.predict_sum, horizon_errors, predict_level;
forecast.forecast_series), on the sample's real series and on edge cases."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from warehouse.analytics import bulk_fits
from warehouse.analytics.bulk_fits import horizon_errors_many, predict_sums, resampled_slopes
from warehouse.analytics.forecast import (_fit_inputs, _series_many, _targets, fit_runs, forecast_many,
                                          forecast_series, year_earlier)
from warehouse.analytics.robust_trend import (MAX_ORIGINS, _row_medians, horizon_errors, horizon_origins,
                                              predict_sum, resampled_theil_sen)
from warehouse.asof import as_of_date, last_complete_week_end
from warehouse.store import read_connection


@pytest.fixture(scope="module")
def sample_series(sample_warehouse):
    """The sample's national series of every indicator with a target, now and a year earlier."""
    with read_connection(sample_warehouse) as con:
        as_of = last_complete_week_end(as_of_date(con))
        cut = year_earlier(as_of)
        targets = _targets(con, as_of, None, con.execute("SELECT marts_ready(?::DATE)", [as_of]).fetchone()[0])
        codes = [code for code, *_ in targets]
        return targets, _series_many(con, as_of, codes), _series_many(con, cut, codes), as_of, cut


def _edge_requests():
    """Ties in x, two distinct x, three points (degenerate resamples are skipped), a flow with no
    period left (no targets), several targets, repeated values (tied slopes)."""
    rng = np.random.default_rng(3)
    out = [([1, 1, 2], [1, 2, 3], [3.0], 0.0),
           ([0, 1, 2], [0, 1, 5], [4.0], 0.0),
           ([1, 1, 1, 2], [1, 2, 3, 5], [3.0, 4.0], 1.5),
           ([0, 1, 2, 3], [2, 2, 2, 2], [], 7.0),
           ([0, 0, 1, 1, 2, 2], [1, 3, 2, 4, 3, 5], [2.5, 3.0, 3.5], 0.0)]
    for n in (5, 17, 64):
        x = np.sort(rng.choice(np.arange(2 * n) / 12, size=n))       # some x repeat
        y = np.round(rng.normal(50, 10, n))                           # some slopes tie
        out += [(x, y, [x[-1] + 0.5], 0.0), (x, y, list(x[-1] + np.arange(1, 5) / 12), 3.0), (x, y, [], 2.0)]
    return out


@pytest.mark.parametrize("cells", [bulk_fits.MAX_CELLS, 1])          # 1: every series and group in its own chunk
def test_bulk_bootstraps_equal_predict_sum_on_edge_cases(monkeypatch, cells):
    monkeypatch.setattr(bulk_fits, "MAX_CELLS", cells)
    requests = _edge_requests()
    assert predict_sums(requests) == [predict_sum(*r) for r in requests]


def test_bulk_bootstraps_equal_predict_sum_on_the_samples_series(sample_series):
    targets, now, past, as_of, cut = sample_series
    inputs = [_fit_inputs(points[code], accumulation, to) for points, to in ((now, None), (past, as_of))
              for code, target_date, accumulation in targets for to in [to or target_date]]
    requests = [(one["x"], one["y"], one["targets"], one["base"]) for one in inputs if one]
    kinds = {(len(r[0]), len(r[2])) for r in requests}
    assert len(requests) > 20 and len(kinds) > 3 and any(len(r[2]) > 1 for r in requests)   # levels and flows
    assert predict_sums(requests) == [predict_sum(*r) for r in requests]


def test_bulk_forecasts_equal_forecast_series_on_the_samples_series(sample_series):
    """forecast_many / fit_runs (the refresh's path) against forecast_series one at a time, every field."""
    targets, now, past, as_of, cut = sample_series
    one_at_a_time = []
    for code, target_date, accumulation in targets:
        fit = forecast_series(now[code], accumulation, target_date)
        if fit:
            one_at_a_time.append(("actual", code, as_of, target_date, None, fit))
        back = forecast_series(past[code], accumulation, as_of)
        if back and now[code]:
            one_at_a_time.append(("backtest", code, cut, as_of, now[code][-1]["value"], back))
    assert fit_runs(targets, now, past, as_of, cut) == one_at_a_time
    assert {fit["method"] for *_, fit in one_at_a_time} == {
        "Theil-Sen (mediana de pendientes); intervalo del 80 % por bootstrap",
        "Theil-Sen (mediana de pendientes); intervalo del 80 %: el más amplio entre el bootstrap y "
        "los errores de la serie pronosticada a sí misma al mismo horizonte"}


def test_a_flow_with_no_period_left_and_short_or_past_series_in_bulk():
    """A flow whose last period ends at the date is not forecast; one with no period left before the
    date is its running value (no targets); a series of two points is not forecast."""
    ends = [dt.date(2014, 1, 31), dt.date(2014, 2, 28), dt.date(2014, 3, 31)]
    flow = [{"period_end": e, "period_type": "M", "period_value": 5.0, "value": 5.0 * (k + 1)} for k, e in enumerate(ends)]
    series = [(flow, "flujo", dt.date(2014, 3, 31)), (flow, "flujo", dt.date(2014, 4, 15)),
              (flow[:2], "stock", dt.date(2014, 12, 31)), (flow, "stock", dt.date(2014, 12, 31)),
              (flow, "flujo", dt.date(2014, 12, 31))]
    assert forecast_many(series) == [forecast_series(*s) for s in series]
    bulk = forecast_many(series)
    assert bulk[0] is None and bulk[2] is None and bulk[4]["projected_value"] > 15
    assert (bulk[1]["projected_low"], bulk[1]["projected_value"], bulk[1]["projected_high"]) == (15.0, 15.0, 15.0)


def _horizon_origins_loop(x, horizon, min_points=3, max_origins=MAX_ORIGINS):
    """The comparisons as first written, one origin at a time (the definition horizon_origins equals)."""
    x = np.asarray(x, float)
    if len(x) < min_points + 1:
        return [], []
    tolerance = max(0.5 * float(np.median(np.diff(x))), 1 / 12)
    origins, compared = [], []
    for i in range(max(min_points - 1, len(x) - 1 - max_origins), len(x) - 1):
        later = np.arange(i + 1, len(x))
        j = later[np.argmin(np.abs(x[later] - (x[i] + horizon)))]
        if abs(x[j] - (x[i] + horizon)) > tolerance or np.unique(x[:i + 1]).size < 2:
            continue
        origins.append(i)
        compared.append(j)
    return origins, compared


def test_horizon_errors_in_bulk_equal_one_series_at_a_time(sample_series):
    targets, now, *_ = sample_series
    requests = [(x, y, h) for x, y, _, _ in _edge_requests() for h in (0.0, 0.25, 1.0)]
    for code, target_date, accumulation in targets:
        one = _fit_inputs(now[code], accumulation, target_date)
        if one and one["level"]:
            requests.append((one["x"], one["y"], one["targets"][0] - max(one["x"])))
    for x, _, horizon in requests:
        origins, compared = horizon_origins(x, horizon)
        assert (list(origins), list(compared)) == _horizon_origins_loop(x, horizon)
    errors = horizon_errors_many(requests)
    assert errors == [horizon_errors(*r) for r in requests]
    assert sum(len(e) >= 5 for e in errors) > 5 and [] in errors


def test_resample_slopes_by_block_sums_equal_the_running_count_with_large_counts(monkeypatch):
    """Counts above 15 (pair weights past a byte) and blocks split in several chunks."""
    rng = np.random.default_rng(11)
    n = 40
    x = np.sort(rng.choice(np.arange(60) / 12, size=n))
    y = np.round(rng.normal(0, 3, (3, n)))
    draws = np.array([np.r_[np.full(20, d % n), rng.integers(0, n, n - 20)] for d in range(30)])
    draws = draws[[np.unique(x[d]).size >= 2 for d in draws]]
    counts = np.stack([np.bincount(d, minlength=n) for d in draws])
    assert counts.max() >= 20
    monkeypatch.setattr(bulk_fits, "MAX_CELLS", 1)                # one series per chunk
    slopes = resampled_slopes(np.broadcast_to(x, y.shape), y, counts)
    for row in range(len(y)):
        assert list(slopes[row]) == list(resampled_theil_sen(x, y[row], draws)[0])


def test_row_medians_of_full_rows_are_numpys_median():
    values = np.random.default_rng(2).normal(size=(50, 7))
    for width in (1, 2, 6, 7):
        part = values[:, :width]
        assert list(_row_medians(part, np.ones(part.shape, bool))) == list(np.median(part, axis=1))


def test_the_groups_fitted_in_threads_equal_one_thread(sample_series, monkeypatch):
    """predict_sums fits its groups of series (one per key of draws) on WORKERS threads: the sample's
    runs, with several groups, are bit-for-bit those of one thread."""
    targets, now, past, as_of, cut = sample_series
    runs = {}
    for workers in (1, 2):
        monkeypatch.setattr(bulk_fits, "WORKERS", workers)
        bulk_fits._draws.cache_clear()
        runs[workers] = fit_runs(targets, now, past, as_of, cut)
    keys = {(len(x), len(t), bulk_fits._x_classes(np.asarray(x, float)))
            for x, _, t, _ in [(one["x"], one["y"], one["targets"], one["base"])
                               for one in (_fit_inputs(now[c], a, d) for c, d, a in targets) if one]}
    assert len(keys) > 1 and runs[1] and runs[1] == runs[2]
