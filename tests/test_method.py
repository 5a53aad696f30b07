"""Hand-computed cases for every rule of the method (docs/method.md)."""
import datetime as dt

import pytest

D = dt.date
B, T = D(2014, 1, 1), D(2014, 12, 31)       # baseline and target dates: 364 days apart
AS_OF = D(2014, 7, 1)                        # 181 days after the baseline
E = 181 / 364                                # expected progress = 0.49725...


def test_ascendente_stock_takes_latest_value_and_grades_by_ratio(mini):
    mini.indicator("A")
    for muni, value in (("0101", 49), ("0102", 47), ("0103", 45)):
        mini.target("A", muni, B, 40, T, 60)
        mini.measure("A", muni, D(2014, 5, 31), value=value - 3)
        mini.measure("A", muni, D(2014, 6, 30), value=value)
    p = mini.progress(AS_OF)
    assert p[("A", "0101")]["value"] == 49
    assert p[("A", "0101")]["progress"] == pytest.approx(0.45)
    assert p[("A", "0101")]["expected"] == pytest.approx(E)
    assert p[("A", "0101")]["semaforo"] == "verde"        # r = 0.45 / 0.497 = 0.905
    assert p[("A", "0102")]["semaforo"] == "amarillo"     # r = 0.35 / 0.497 = 0.704
    assert p[("A", "0103")]["semaforo"] == "rojo"         # r = 0.25 / 0.497 = 0.503
    assert p[("A", "0101")]["percent"] == 45.0


def test_descendente_progress_uses_the_same_formula(mini):
    mini.indicator("D", sentido="descendente")
    mini.target("D", "0101", B, 30, T, 20)
    mini.measure("D", "0101", D(2014, 6, 30), value=26)
    row = mini.progress(AS_OF)[("D", "0101")]
    assert row["progress"] == pytest.approx(0.4)          # (26 - 30) / (20 - 30)
    assert row["semaforo"] == "amarillo"                  # r = 0.4 / 0.497 = 0.804


def test_flujo_sums_within_the_target_year(mini):
    mini.indicator("F", accumulation="flujo")
    mini.target("F", "0101", B, 0, T, 120)
    mini.measure("F", "0101", D(2013, 12, 31), value=50)  # previous year: not counted
    for month in range(1, 7):
        mini.measure("F", "0101", D(2014, month + 1, 1) - dt.timedelta(days=1), value=10)
    row = mini.progress(AS_OF)[("F", "0101")]
    assert row["value"] == 60
    assert row["progress"] == pytest.approx(0.5)
    assert row["semaforo"] == "verde"


@pytest.mark.parametrize("cumulative", [False, True])
def test_acumulado_sums_since_baseline_unless_reports_are_cumulative(mini, cumulative):
    mini.indicator("C", accumulation="acumulado", cumulative=cumulative)
    mini.target("C", "0101", D(2013, 12, 31), 0, T, 100)
    mini.measure("C", "0101", D(2013, 11, 30), value=30)  # before the baseline
    for month in range(1, 7):
        end = D(2014, month + 1, 1) - dt.timedelta(days=1)
        mini.measure("C", "0101", end, value=5 * month if cumulative else 5)
    row = mini.progress(AS_OF)[("C", "0101")]
    assert row["value"] == 30
    assert row["progress"] == pytest.approx(0.3)


def test_rates_aggregate_as_sum_of_numerators_over_sum_of_denominators(mini):
    mini.indicator("R", denominator="niños matriculados", scale=100)
    for muni, num, den in (("0101", 9, 10), ("0102", 10, 100)):
        mini.target("R", muni, B, 0, T, 100)
        mini.measure("R", muni, D(2014, 6, 30), num=num, den=den)
    p = mini.progress(AS_OF)
    assert p[("R", "0101")]["value"] == pytest.approx(90.0)
    assert p[("R", "01")]["value"] == pytest.approx(100 * 19 / 110)   # not the mean 50 %
    assert p[("R", "national")]["value"] == pytest.approx(100 * 19 / 110)
    # the aggregated target weights each municipality by its denominator
    assert p[("R", "01")]["target_value"] == pytest.approx(100.0)


def test_counts_sum_across_municipalities_with_their_targets(mini):
    mini.indicator("K")
    for muni in ("0101", "0201"):
        mini.target("K", muni, B, 10, T, 30)
        mini.measure("K", muni, D(2014, 6, 30), value=20)
    nat = mini.progress(AS_OF)[("K", "national")]
    assert (nat["value"], nat["baseline_value"], nat["target_value"]) == (40, 20, 60)
    assert nat["progress"] == pytest.approx(0.5)


def test_expected_is_clipped_before_baseline_and_after_target(mini):
    mini.indicator("A", frequency="anual")
    mini.target("A", "0101", B, 40, T, 60)
    mini.measure("A", "0101", D(2013, 12, 31), value=41)
    before = mini.progress(D(2014, 1, 1))[("A", "0101")]
    assert before["expected"] == 0 and before["semaforo"] == "en inicio"
    mini.measure("A", "0101", D(2014, 12, 31), value=57, reported=D(2015, 1, 10))
    after = mini.progress(D(2015, 3, 1))[("A", "0101")]
    assert after["expected"] == 1.0
    assert after["progress"] == pytest.approx(0.85) and after["semaforo"] == "amarillo"


def test_en_inicio_when_expected_below_one_tenth(mini):
    mini.indicator("A")
    mini.target("A", "0101", B, 40, T, 60)
    mini.measure("A", "0101", D(2014, 1, 31), value=40)
    row = mini.progress(D(2014, 2, 5))[("A", "0101")]      # e = 35 / 364 = 0.096
    assert row["expected"] == pytest.approx(35 / 364)
    assert row["semaforo"] == "en inicio"


def test_sin_meta_and_sin_dato(mini):
    mini.indicator("N")                                    # no target at all
    mini.measure("N", "0101", D(2014, 6, 30), value=1)
    mini.indicator("S")                                    # monthly, last report March
    mini.target("S", "0101", B, 40, T, 60)
    mini.measure("S", "0101", D(2014, 3, 31), value=50)
    p = mini.progress(AS_OF)
    assert p[("N", "0101")]["semaforo"] == "sin meta"
    assert p[("S", "0101")]["semaforo"] == "sin dato"     # 2014-03-31 < 2014-07-01 - 62 days
    assert mini.progress(D(2014, 5, 31))[("S", "0101")]["semaforo"] != "sin dato"


def test_nearest_future_target_is_chosen_and_both_are_kept(mini):
    mini.indicator("O", frequency="anual", scope_level="national")
    mini.target("O", "national", D(1991, 12, 31), 28, T, 16, kind="PQD-2014")
    mini.target("O", "national", D(1991, 12, 31), 28, D(2015, 12, 31), 14, kind="ODM-2015")
    mini.measure("O", "national", D(2013, 12, 31), value=17)
    in_2014 = mini.progress(AS_OF)[("O", "national")]
    assert (in_2014["target_kind"], in_2014["target_value"]) == ("PQD-2014", 16)
    in_2015 = mini.progress(D(2015, 3, 1))[("O", "national")]
    assert (in_2015["target_kind"], in_2015["target_value"]) == ("ODM-2015", 14)


def test_revision_is_seen_only_from_the_day_it_was_reported(mini):
    mini.indicator("A")
    mini.target("A", "0101", B, 40, T, 60)
    mini.measure("A", "0101", D(2014, 6, 30), value=49, reported=D(2014, 7, 1))
    mini.measure("A", "0101", D(2014, 6, 30), value=51, reported=D(2014, 7, 10))
    assert mini.progress(D(2014, 7, 5))[("A", "0101")]["value"] == 49
    assert mini.progress(D(2014, 7, 15))[("A", "0101")]["value"] == 51


def test_report_past_its_deadline_is_atrasado(mini):
    mini.indicator("A", deadline=15)
    mini.target("A", "0101", B, 40, T, 60)
    mini.measure("A", "0101", D(2014, 5, 31), value=48)
    assert mini.progress(D(2014, 7, 14))[("A", "0101")]["reporting_status"] == "al día"   # June due 07-15
    late = mini.progress(D(2014, 7, 20))[("A", "0101")]
    assert late["reporting_status"] == "atrasado"
    assert late["semaforo"] != "sin dato"                  # late, but still within two periods


def test_thresholds_can_be_overridden_per_indicator(mini):
    mini.indicator("A")
    mini.target("A", "0101", B, 40, T, 60)
    mini.measure("A", "0101", D(2014, 6, 30), value=47)   # r = 0.704
    assert mini.progress(AS_OF)[("A", "0101")]["semaforo"] == "amarillo"
    from warehouse.store import write_transaction
    with write_transaction(mini.path) as con:
        con.execute("INSERT INTO semaforo_thresholds VALUES ('A', 0.6, 0.5, 0.1)")
    assert mini.progress(AS_OF)[("A", "0101")]["semaforo"] == "verde"


def test_aggregate_progress_uses_the_municipalities_that_carry_a_target(mini):
    mini.indicator("K")
    mini.target("K", "0101", B, 10, T, 30)
    mini.measure("K", "0101", D(2014, 6, 30), value=20)
    mini.measure("K", "0102", D(2014, 6, 30), value=50)    # reports, but has no target
    dep = mini.progress(AS_OF)[("K", "01")]
    assert dep["value"] == 70                              # the department's total
    assert dep["progress"] == pytest.approx(0.5)           # (20 - 10) / (30 - 10), not (70 - 10) / 20


def test_no_target_means_no_expected_progress(mini):
    mini.indicator("N")
    mini.measure("N", "0101", D(2014, 6, 30), value=1)
    row = mini.progress(AS_OF)[("N", "0101")]
    assert row["expected"] is None and row["semaforo"] == "sin meta"


def test_aggregates_report_late_units_as_con_atrasos(mini):
    mini.indicator("A", deadline=15)
    for muni in ("0101", "0102"):
        mini.target("A", muni, B, 40, T, 60)
    mini.measure("A", "0101", D(2014, 5, 31), value=48)
    mini.measure("A", "0102", D(2014, 6, 30), value=48)
    p = mini.progress(D(2014, 7, 20))
    assert p[("A", "0101")]["reporting_status"] == "atrasado"
    assert p[("A", "0102")]["reporting_status"] == "al día"
    dep = p[("A", "01")]
    assert (dep["reporting_status"], dep["units_late"], dep["units"]) == ("con atrasos", 1, 2)


# --- aggregation declared per indicator (suma, razón, no agregable) -----------------------------
def test_no_agregable_has_no_aggregate_value_without_its_parts(mini):
    mini.indicator("U", aggregation="no agregable")                # e.g. a monthly cost per participant
    for muni, value in (("0101", 100.0), ("0102", 120.0)):
        mini.target("U", muni, B, 90, T, 130)
        mini.measure("U", muni, D(2014, 6, 30), value=value)
    p = mini.progress(AS_OF)
    assert p[("U", "0101")]["value"] == 100.0                       # municipal rows are kept
    assert ("U", "01") not in p and ("U", "national") not in p     # never the sum 220 of two costs


def test_no_agregable_aggregates_from_its_parts_when_loaded(mini):
    mini.indicator("U", aggregation="no agregable", denominator="participantes")
    mini.measure("U", "0101", D(2014, 6, 30), value=100.0, num=1000, den=10)
    mini.measure("U", "0102", D(2014, 6, 30), value=150.0, num=3000, den=20)
    p = mini.progress(AS_OF)
    assert p[("U", "national")]["value"] == pytest.approx(4000 / 30)   # 133.33, not 250 nor the mean 125


def test_a_rate_row_with_only_a_value_is_sin_dato_never_rojo(mini):
    mini.indicator("R", denominator="hogares", scale=100)
    mini.target("R", "0101", B, 40, T, 60)
    mini.measure("R", "0101", D(2014, 6, 30), value=55.0)          # no numerator, no denominator
    p = mini.progress(AS_OF)
    assert p[("R", "0101")]["value"] is None
    assert p[("R", "0101")]["semaforo"] == "sin dato"
    assert p[("R", "national")]["semaforo"] == "sin dato"


# --- expected progress from each municipality's own trajectory ----------------------------------
def test_expected_uses_each_municipality_own_baseline_and_aggregates_like_targets(mini):
    mini.indicator("K")
    as_of = D(2013, 12, 31)
    mini.target("K", "0101", D(2010, 1, 1), 0, T, 100)             # e = 1460 / 1825 = 0.8
    mini.target("K", "0102", D(2012, 1, 1), 0, T, 100)             # entered 2012: e = 730 / 1095
    mini.measure("K", "0101", as_of, value=80)
    mini.measure("K", "0102", as_of, value=61)
    p = mini.progress(as_of)
    assert p[("K", "0101")]["expected"] == pytest.approx(0.8)
    assert p[("K", "0102")]["expected"] == pytest.approx(730 / 1095)
    assert p[("K", "0102")]["semaforo"] == "verde"                  # r = 0.61 / 0.667 = 0.915 (0.76 with 2010)
    nat = p[("K", "national")]
    # combined as the targets are: Σ e_i (t_i - b_i) / Σ (t_i - b_i) = (80 + 66.67) / 200
    assert nat["expected"] == pytest.approx((0.8 * 100 + 730 / 1095 * 100) / 200)
    assert nat["progress"] == pytest.approx(141 / 200)
    assert nat["semaforo"] == "verde"                               # r = 0.705 / 0.733 = 0.96


def test_aggregate_expected_of_a_rate_weights_by_denominator(mini):
    mini.indicator("R", denominator="hogares", scale=100)
    as_of = D(2013, 12, 31)
    mini.target("R", "0101", D(2010, 1, 1), 0, T, 50)              # e = 0.8, weight 30
    mini.target("R", "0102", D(2012, 1, 1), 0, T, 50)              # e = 2/3, weight 10
    mini.measure("R", "0101", as_of, num=12, den=30)
    mini.measure("R", "0102", as_of, num=3, den=10)
    nat = mini.progress(as_of)[("R", "national")]
    assert nat["expected"] == pytest.approx((30 * 0.8 * 50 + 10 * (730 / 1095) * 50) / (30 * 50 + 10 * 50))
    assert nat["target_value"] == pytest.approx(50.0)


# --- a municipality's overall state ---------------------------------------------------------------
def _state(mini, as_of, code="0101"):
    from warehouse.store import read_connection
    with read_connection(mini.path) as con:
        return con.execute("SELECT state, late, indicators FROM mart_municipality_state_asof(?, NULL, NULL, NULL) "
                           "WHERE code = ?", [as_of, code]).fetchone()


def test_a_municipality_late_on_most_indicators_is_atrasado_not_verde(mini):
    for code in ("A", "B"):
        mini.indicator(code, deadline=15)
        mini.target(code, "0101", B, 40, T, 60)
        mini.measure(code, "0101", D(2014, 5, 31), value=50)       # p = 0.5
    assert _state(mini, D(2014, 7, 14)) == ("verde", 0, 2)         # June is due on 15 July
    assert _state(mini, D(2014, 7, 20)) == ("atrasado", 2, 2)      # both verde, both late


@pytest.mark.parametrize("verdes, state", [(1, "rojo"), (8, "rojo"), (9, "amarillo"), (20, "amarillo")])
def test_rojo_beyond_a_tenth_is_rojo_and_a_single_rojo_never_hides(mini, verdes, state):
    """One rojo (p = 0.05, r = 0.10) and n verdes (p = 0.5, r = 1.01): rojo while 1 > 0.1 (n + 1),
    i.e. up to 8 verdes; from 9 on, amarillo (a rojo never leaves the municipality verde)."""
    codes = ["R"] + [f"V{k}" for k in range(verdes)]
    for code in codes:
        mini.indicator(code)
        mini.target(code, "0101", B, 40, T, 60)
        mini.measure(code, "0101", D(2014, 6, 30), value=41 if code == "R" else 50)
    assert _state(mini, AS_OF)[0] == state
