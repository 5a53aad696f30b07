"""The analytics layer on hand-checked cases: Theil-Sen, the forecast and its flag, the cost per
unit of product and of result, and the CSU ranking under given weights."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from warehouse.analytics import refresh_targeting
from warehouse.analytics.forecast import forecast_series, next_period_end, refresh_forecasts
from warehouse.analytics.robust_trend import horizon_errors, predict_level, predict_sum, theil_sen
from tests.conftest import insert_facts
from warehouse.store import read_connection, write_transaction


def test_theil_sen_is_the_median_of_pairwise_slopes():
    # slopes: 1, 1, 10/3, 1, 9/2, 8 -> median (1 + 10/3) / 2; intercept median(0, -7/6, -7/3, 7/2) = -7/12
    slope, intercept = theil_sen([0, 1, 2, 3], [0, 1, 2, 10])
    assert slope == pytest.approx(13 / 6)
    assert intercept == pytest.approx(-7 / 12)


def test_an_exact_line_projects_exactly_with_a_closed_interval():
    point, low, high, slope, intercept = predict_sum([0, 1, 2, 3, 4], [1, 3, 5, 7, 9], [10])
    assert (point, low, high) == pytest.approx((21, 21, 21))
    assert (slope, intercept) == pytest.approx((2, 1))


def test_an_outlier_moves_the_interval_not_the_robust_slope():
    x, y = [0, 1, 2, 3, 4, 5, 6], [0, 1, 2, 30, 4, 5, 6]
    point, low, high, slope, _ = predict_sum(x, y, [10])
    assert slope == pytest.approx(1)
    assert low <= point <= high and high > low


def test_horizon_errors_forecast_the_series_from_each_origin():
    # origin 2: fit on x 0..2 (y = x) predicts 3 at x = 3 (error 0); origin 3 predicts 4 at x = 4 (error 6)
    assert horizon_errors([0, 1, 2, 3, 4], [0, 1, 2, 3, 10], 1.0) == pytest.approx([0, 6])


def test_a_level_interval_spans_its_own_horizon_errors():
    x = list(range(12))
    y = [v + (3 if v % 2 else -3) for v in x]           # a zigzag around y = x
    point, low, high, slope, _, method = predict_level(x, y, 13)
    errors = horizon_errors(x, y, 13 - 11)
    assert len(errors) >= 5 and "mismo horizonte" in method
    q_low, q_high = np.quantile(errors, [0.1, 0.9])
    assert low <= point + q_low + 1e-9 and high >= point + q_high - 1e-9


def test_next_period_end_per_period_type():
    assert next_period_end(dt.date(2014, 5, 31), "M") == dt.date(2014, 6, 30)
    assert next_period_end(dt.date(2014, 12, 31), "M") == dt.date(2015, 1, 31)
    assert next_period_end(dt.date(2014, 3, 31), "Q") == dt.date(2014, 6, 30)
    assert next_period_end(dt.date(2013, 12, 31), "Y") == dt.date(2014, 12, 31)
    assert next_period_end(dt.date(2014, 5, 18), "W") == dt.date(2014, 5, 25)


def test_a_flow_projects_the_years_running_value_plus_the_remaining_periods():
    ends = [dt.date(2014, m + 1, 1) - dt.timedelta(days=1) for m in range(1, 5)]     # Jan..Apr 2014
    points = [{"period_end": e, "period_type": "M", "period_value": 10.0, "value": 10.0 * (k + 1)}
              for k, e in enumerate(ends)]
    fit = forecast_series(points, "flujo", dt.date(2014, 12, 31))
    assert fit["projected_value"] == pytest.approx(40 + 8 * 10)          # May..Dec at 10 a month


def _linear_national(mini, code, target):
    """A national stock rising 1 every 50 days from 40 (baseline 0 at 2012-12-31, target at 2014-12-31)."""
    mini.indicator(code, scope_level="national")
    mini.target(code, "national", dt.date(2012, 12, 31), 0, dt.date(2014, 12, 31), target)
    for year, month in [(2013, m) for m in range(1, 13)] + [(2014, m) for m in range(1, 6)]:
        end = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
        mini.measure(code, "national", end, value=40 + (end - dt.date(2012, 12, 31)).days / 50)


def test_forecast_flags_a_verde_that_will_miss_and_backtests_it(mini):
    _linear_national(mini, "F1", 70)
    as_of = dt.date(2014, 5, 31)
    with write_transaction(mini.path) as con:
        refresh_forecasts(con, as_of)
    with read_connection(mini.path) as con:
        f = con.execute("""SELECT semaforo_now, projected_value, projected_low, projected_high, projected_progress,
                                  semaforo_projected, flag FROM analytics_forecast WHERE indicator_code = 'F1'""").fetchone()
        b = con.execute("""SELECT semaforo_cut, projected_value, actual_value, covered, semaforo_predicted, flag
                           FROM analytics_backtest WHERE indicator_code = 'F1'""").fetchone()
    # today: v = 40 + 516/50 = 50.32, p = 0.719, expected 516/730 = 0.707 -> r = 1.02 verde
    # at 2014-12-31: v = 40 + 730/50 = 54.6, p = 0.78 -> amarillo: 'se desvía'
    assert f[0] == "verde"
    assert f[1:4] == pytest.approx((54.6, 54.6, 54.6))
    assert f[4] == pytest.approx(54.6 / 70)
    assert f[5:] == ("amarillo", "se desvía")
    # cut 2013-05-31 (verde), projected to 2014-05-31: exactly what came (50.32), inside its interval
    assert b[0] == "verde" and b[1] == pytest.approx(50.32) and b[2] == pytest.approx(50.32)
    assert b[3] is True and b[4] == "verde" and b[5] is None


def test_cost_per_unit_of_product_and_of_result(mini):
    with write_transaction(mini.path) as con:
        con.execute("""INSERT INTO indicators (code, name, program_code, level, type, unit, accumulation, frequency)
                       VALUES ('P1', 'Producto', 'CSU-BONO', 'componente', 'producto', 'estudiantes', 'flujo', 'mensual'),
                              ('R1', 'Resultado', 'CSU-BONO', 'proposito', 'resultado', '%', 'stock', 'mensual')""")
        insert_facts(con, "budget", [("CSU-BONO", "national", dt.date(2014, month, 1), 0, 10000, 1000, 0, accrued,
                                      0, False, 1) for month, accrued in ((1, 1000), (2, 1000), (3, 1000), (4, 500))])
    mini.target("R1", "0101", dt.date(2012, 12, 31), 70, dt.date(2014, 12, 31), 90)
    mini.measure("P1", "0101", dt.date(2013, 12, 31), value=99)           # last year: not this year's units
    for month, value in ((1, 10), (2, 20), (3, 30)):
        mini.measure("P1", "0101", dt.date(2014, month + 1, 1) - dt.timedelta(days=1), value=value)
    mini.measure("R1", "0101", dt.date(2013, 11, 30), value=80)
    mini.measure("R1", "0101", dt.date(2014, 3, 31), value=85)
    with read_connection(mini.path) as con:
        rows = con.execute("""SELECT item_code, value, units_ytd, cost_per_unit, result_gain, cost_per_result
                              FROM analytics_value_chain_items_def(DATE '2014-03-31')
                              WHERE chain_key = 'CSU-BONO' AND link <> 'impacto' ORDER BY link""").fetchall()
    by = {r[0]: r for r in rows}
    assert by["CSU-BONO"][1] == 3000                                     # accrued Jan..Mar (April is after)
    assert by["P1"][2:4] == (60, 50)                                     # 3000 / (10 + 20 + 30)
    # window: accrued since the first budget month (3000) / gain since 2013-12-31 (85 - 80)
    assert by["R1"][4] == pytest.approx(5) and by["R1"][5] == pytest.approx(600)


def test_csu_ranking_with_given_weights(mini, tmp_path):
    csv = tmp_path / "targeting.csv"
    csv.write_text("code,pool,precarious_extreme,precarious_high,violence_index,capacity,is_sample,source_note\n"
                   "0101,CSU,4,6,50,80,true,x\n0613,CSU,10,10,100,40,true,x\n0511,CSU,10,20,75,60,true,x\n",
                   encoding="utf-8")
    with write_transaction(mini.path) as con:
        refresh_targeting(con, csv)
    # scaled: settlements 10/20/30 -> 0, .5, 1; violence 50/100/75 -> 0, 1, .5; capacity 80/40/60 -> 1, 0, .5
    with read_connection(mini.path) as con:
        ranked = con.execute("""SELECT code, round(score, 4), weighted_rank, official_rank, change
                                FROM targeting_rank(2, 1, 1, 2) ORDER BY weighted_rank""").fetchall()
        capacity_only = con.execute("SELECT code, change FROM targeting_rank(0, 0, 1, 2) ORDER BY weighted_rank").fetchall()
    assert ranked == [("0511", 0.75, 1, None, "entra"), ("0613", 0.5, 2, 2, "igual"), ("0101", 0.25, 3, 1, "sale")]
    assert capacity_only == [("0101", "igual"), ("0511", "entra"), ("0613", "sale")]


def test_a_series_known_at_a_cut_ignores_later_revisions(mini):
    """The back-test reads each series as known at its cut: a revision reported after the cut is
    unknown then and known later."""
    from warehouse.analytics.forecast import _series
    _linear_national(mini, "S1", 70)
    mini.measure("S1", "national", dt.date(2013, 3, 31), value=99, reported=dt.date(2014, 1, 15))
    with write_transaction(mini.path) as con:
        march = {d: [p["value"] for p in _series(con, d, "S1") if p["period_end"] == dt.date(2013, 3, 31)]
                 for d in (dt.date(2013, 5, 31), dt.date(2014, 5, 31))}
    assert march[dt.date(2013, 5, 31)] != [99] and march[dt.date(2014, 5, 31)] == [99]


def test_the_batched_fits_equal_the_one_at_a_time_fit_exactly():
    """The refresh fits every bootstrap resample (resampled_theil_sen) and every back-test origin
    (theil_sen_rows) in bulk: each result is bit-for-bit theil_sen on that resample or prefix,
    including resamples with repeated points, tied x and slopes, and odd and even pair counts."""
    from warehouse.analytics.robust_trend import resampled_theil_sen, theil_sen_rows

    rng = np.random.default_rng(7)
    for n in (3, 4, 9, 40):
        x = np.sort(rng.choice(np.arange(2 * n) / 12, size=n))           # some x repeat
        y = np.round(rng.normal(50, 10, n), 1)                             # some slopes tie
        draws = np.array([d for d in rng.integers(0, n, (60, n)) if np.unique(x[d]).size >= 2])
        slopes, intercepts = resampled_theil_sen(x, y, draws, max_cells=50)   # several chunks
        assert [(float(b), float(a)) for b, a in zip(slopes, intercepts)] == [theil_sen(x[d], y[d]) for d in draws]
        prefix = np.arange(n)[None, :] < np.arange(2, n + 1)[:, None]
        prefix = prefix[[np.unique(x[p]).size >= 2 for p in prefix]]
        slopes, intercepts = theil_sen_rows(np.broadcast_to(x, prefix.shape), np.broadcast_to(y, prefix.shape), prefix)
        assert [(float(b), float(a)) for b, a in zip(slopes, intercepts)] == [theil_sen(x[p], y[p]) for p in prefix]


def test_all_series_in_one_query_equal_each_series_alone(mini):
    """The refresh reads every indicator's national series in one query (mart_series_many_asof); it
    equals mart_series_asof, indicator by indicator, for a stock, a flow and a revised series."""
    from warehouse.analytics.forecast import _series, _series_many
    _linear_national(mini, "S1", 70)
    mini.measure("S1", "national", dt.date(2013, 3, 31), value=99, reported=dt.date(2014, 1, 15))
    mini.indicator("S2", accumulation="flujo", scope_level="municipal")
    for month in range(1, 6):
        end = dt.date(2014, month + 1, 1) - dt.timedelta(days=1)
        mini.measure("S2", "0101", end, value=month)
        mini.measure("S2", "0102", end, value=10 * month)
    with write_transaction(mini.path) as con:
        for day in (dt.date(2013, 5, 31), dt.date(2014, 5, 31)):
            together = _series_many(con, day, ["S1", "S2", "NOPE"])
            assert together == {code: _series(con, day, code) for code in ("S1", "S2", "NOPE")}
            assert len(together["S1"]) > 3 and len(together["S2"]) == (5 if day.year == 2014 else 0)
            assert together["NOPE"] == []


def test_refitting_some_indicators_rewrites_only_theirs_equal_to_a_full_refresh(sample_warehouse, tmp_path):
    """After a load touching a few indicators, the forecast and back-test rows are rewritten for those
    only (the method filter-first); the tables then equal a full refresh's, row for row."""
    from warehouse.analytics import as_of_date, last_complete_week_end
    from warehouse.analytics.forecast import refresh_forecasts
    from warehouse.store import clone_warehouse, write_transaction

    path = clone_warehouse(sample_warehouse, tmp_path / "w.duckdb")
    tables = ("analytics_forecast", "analytics_backtest")
    with write_transaction(path) as con:
        as_of = last_complete_week_end(as_of_date(con))
        refresh_forecasts(con, as_of)
        full = {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables}
        some = [r[0] for r in con.execute("SELECT DISTINCT indicator_code FROM analytics_backtest "
                                          "ORDER BY 1 LIMIT 3").fetchall()]
        con.execute("UPDATE analytics_forecast SET flag = 'x' WHERE list_contains(?, indicator_code)", [some])
        refresh_forecasts(con, as_of, some)
        again = {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables}
    assert len(some) == 3 and all(full[t] for t in tables)
    assert again == full


def test_a_load_known_after_the_cut_keeps_the_backtest_fits(sample_warehouse, tmp_path, monkeypatch):
    """When nothing a load wrote is known by the back-test's cut (a year before the week under review),
    the series at the cut cannot have changed: the stored back-test fits of its indicators are kept and
    only their value at the week is taken anew (here spoilt first), their semáforo at the cut is the
    stored one; a load known before the cut refits them. Both leave the tables equal to a full
    refresh's."""
    import warehouse.analytics.forecast as forecast
    from warehouse.analytics import as_of_date, last_complete_week_end
    from warehouse.store import clone_warehouse, write_transaction

    path = clone_warehouse(sample_warehouse, tmp_path / "w.duckdb")
    tables = ("analytics_forecast_runs", "analytics_forecast", "analytics_backtest")
    asked = []
    real = forecast._series_many
    monkeypatch.setattr(forecast, "_series_many", lambda con, day, codes: asked.append((day, list(codes)))
                        or real(con, day, codes))
    with write_transaction(path) as con:
        as_of = last_complete_week_end(as_of_date(con))
        cut = forecast.year_earlier(as_of)
        forecast.refresh_forecasts(con, as_of)
        full = {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables}
        some = [r[0] for r in con.execute("SELECT DISTINCT indicator_code FROM analytics_backtest "
                                          "ORDER BY 1 LIMIT 3").fetchall()]
        for known_after, refit in ((as_of, []), (cut, some)):
            con.execute("UPDATE analytics_forecast_runs SET actual_value = -1 WHERE list_contains(?, indicator_code)",
                        [some])
            asked.clear()
            forecast.refresh_forecasts(con, as_of, some, known_after)
            assert [codes for day, codes in asked if day == cut] == [refit]      # the cut's series: only to refit
            assert {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables} == full
        # kept: their semáforo at the cut is the stored one, not the method evaluated again
        keys = con.execute("SELECT count(*), count(DISTINCT indicator_code) FROM analytics_backtest_cut").fetchone()
        con.execute("UPDATE analytics_backtest_cut SET semaforo = 'guardado' WHERE list_contains(?, indicator_code)",
                    [some])
        forecast.refresh_forecasts(con, as_of, some, as_of)
        cut_rows = con.execute("SELECT DISTINCT semaforo_cut FROM analytics_backtest "
                               "WHERE list_contains(?, indicator_code)", [some]).fetchall()
    assert len(some) == 3 and all(full[t] for t in tables)
    assert keys[0] == keys[1] > 0 and cut_rows == [("guardado",)]
