"""The sample generator: deterministic, every loader kind, ministry-style formats, a story that
holds in the generated numbers (the warehouse method itself is tested elsewhere)."""
import csv
import io
import re
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from sample import budget, story
from sample.catalog import SPECS
from sample.generate import build, write_sample
from sample.reference import REFERENCE_DIR
from sample.series import semaforo

KINDS = ("indicators", "targets", "measurements", "budget", "participants")


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample_a")
    return out, write_sample(out)


@pytest.fixture(scope="module")
def data():
    return build()


def _csv_rows(path: Path):
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
        enc = "utf-8"
    except UnicodeDecodeError:
        text, enc = raw.decode("cp1252"), "cp1252"
    sep = ";" if text.splitlines()[0].count(";") > text.splitlines()[0].count(",") else ","
    return enc, sep, list(csv.reader(io.StringIO(text), delimiter=sep))


def _xlsx_header(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("xl/worksheets/sheet1.xml").decode("utf-8")


def test_deterministic_byte_identical(written, tmp_path):
    out_a, files_a = written
    files_b = write_sample(tmp_path)
    assert [(p.relative_to(out_a), k) for p, k in files_a] == [(p.relative_to(tmp_path), k) for p, k in files_b]
    for (a, _), (b, _) in zip(files_a, files_b):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_load_order_and_kinds(written):
    _, files = written
    kinds = [k for _, k in files]
    assert set(kinds) == set(KINDS)
    first = {k: kinds.index(k) for k in KINDS}
    assert first["indicators"] < first["targets"] < first["measurements"] < first["budget"]
    assert kinds[-1] == "measurements" and "correccion" in files[-1][0].name
    assert max(i for i, k in enumerate(kinds) if k == "budget") == len(kinds) - 3
    assert kinds.index("participants") == len(kinds) - 2                 # the RUP extract, issue 14
    assert all(p.exists() and p.stat().st_size > 0 for p, _ in files)
    assert sum(k == "measurements" for k in kinds) >= 5          # several files per kind, by institution


def test_formats_headers_and_encodings(written):
    _, files = written
    suffixes = Counter(p.suffix for p, _ in files)
    assert suffixes[".csv"] >= 5 and suffixes[".xlsx"] >= 5
    seen_cp1252 = seen_bom = decimal_comma = False
    for path, kind in files:
        if path.suffix == ".xlsx":
            assert "Muestra" in _xlsx_header(path)
            continue
        raw = path.read_bytes()
        seen_bom |= raw.startswith(b"\xef\xbb\xbf")
        enc, sep, rows = _csv_rows(path)
        header = rows[0]
        assert "Muestra" in header
        if enc == "cp1252":
            seen_cp1252 = True
            assert sep == ";"
            assert not any(re.fullmatch(r"-?\d+\.\d+", c) for r in rows[1:] for c in r), path.name
            decimal_comma |= any(re.fullmatch(r"-?\d+,\d+", c) for r in rows[1:] for c in r)
        if kind == "measurements":
            assert header[:3] == ["Código Municipio", "Indicador", "Período"]
            assert "Fecha de reporte" in header
        elif kind == "budget":
            assert header[:3] == ["Programa", "Código Municipio", "Mes"]
        elif kind == "targets":
            assert {"Indicador", "Tipo de meta", "Fecha línea base", "Línea base", "Fecha meta", "Meta"} <= set(header)
        idx = header.index("Muestra")
        assert {r[idx] for r in rows[1:]} <= {"sí", "true"}
    assert seen_cp1252 and seen_bom and decimal_comma


def test_headers_are_accepted_by_the_loaders(written):
    kinds_mod = pytest.importorskip("loaders.kinds")
    headers_mod = pytest.importorskip("loaders.headers")
    _, files = written
    for path, kind in files:
        if path.suffix != ".csv":
            continue
        header = _csv_rows(path)[2][0]
        mapping, unknown, dupes = headers_mod.map_headers(header, kinds_mod.KIND_SPECS[kind])
        assert not unknown and not dupes, (path.name, unknown, dupes)
        assert set(kinds_mod.KIND_SPECS[kind].required) <= set(mapping.values()), path.name


def test_row_counts(data):
    n_meas = len(data["measurements"]) + len(data["odm"])
    assert 200_000 <= n_meas <= 400_000
    program_inds = [r for r in data["indicators"] if r["program_code"] not in ("CS", "ODM1")]
    assert 35 <= len(program_inds) <= 50
    odm = [r for r in data["indicators"] if r["program_code"] == "ODM1"]
    assert [r["odm_indicator"] for r in odm] == [f"1.{i}" for i in range(1, 10)]
    assert all(r["is_sample"] for r in data["indicators"])
    assert 20_000 <= len(data["budget"]) <= 40_000


def test_targets_cover_every_pair_and_nation(data):
    tg = {(r["indicator_code"], r["scope_code"], r["target_kind"]) for r in data["targets"]}
    for p in data["pairs"]:
        assert (p.spec.code, p.muni.code, "PQD-2014") in tg
    for s in SPECS:      # a national target is the sum (or weighted mean) of municipal ones
        assert ((s.code, "nacional", "PQD-2014") in tg) == (s.aggregation != "no agregable")
    odm = {(i, k) for i, sc, k in tg if i.startswith("ODM-")}
    assert odm == {("ODM-1.1", "ODM-2015"), ("ODM-1.1", "PQD-2014"), ("ODM-1.8", "ODM-2015"),
                   ("ODM-1.9", "ODM-2015")}
    for r in data["targets"]:
        if r["target_kind"] == "ODM-2015":
            assert r["target_value"] == pytest.approx(r["baseline_value"] / 2, abs=0.01)


def test_no_period_after_as_of_and_reports_by_extract(data):
    from sample.periods import periods
    latest = max(r["reported_at"] for r in data["measurements"])
    assert latest <= story.EXTRACT_DATE
    assert any(r["period"] == story.LAST_WEEK for r in data["measurements"])
    assert not any(r["period"] in ("2014-05", "2014-Q2", "2014") for r in data["measurements"])
    assert periods("semanal", story.AS_OF)[-1][0] == story.LAST_WEEK


def test_budget_ordering_and_under_execution(data):
    for r in data["budget"]:
        assert 0 <= r["paid"] <= r["accrued"] <= r["committed"] <= r["modified"], r
        assert r["approved"] > 0 and r["scheduled"] > 0
    months = {r["month"] for r in data["budget"]}
    assert (min(months), max(months)) == story.BUDGET_MONTHS
    # the year's programming is there; nothing is executed after the extract's month
    later = [r for r in data["budget"] if r["month"] > story.EXECUTION_LAST_MONTH]
    assert later and all(r["committed"] == r["accrued"] == r["paid"] == 0 and r["modified"] > 0 for r in later)
    sched = {}
    for r in data["budget"]:
        if r["month"].startswith("2013"):
            sched[int(r["month"][5:])] = sched.get(int(r["month"][5:]), 0) + r["scheduled"]
    assert max(sched[m] for m in (1, 2, 3)) < min(sched[m] for m in range(5, 13))   # not flat
    ex = budget.execution(data["budget"])
    assert all(ex[k] < story.UNDER_EXECUTION_MAX_PERCENT for k in story.UNDER_EXECUTING)
    assert all(v > story.OTHERS_MIN_PERCENT for k, v in ex.items() if k not in story.UNDER_EXECUTING)
    assert min(ex, key=ex.get) == story.UNDER_EXECUTING_PROGRAM


def test_story_municipalities_exist():
    with open(REFERENCE_DIR / "interventions.csv", encoding="utf-8", newline="") as f:
        iv = {r["code"]: r["intervention"] for r in csv.DictReader(f)}
    for code in story.LAGGING_MUNICIPALITIES:
        assert iv[code] == story.LAGGING_INTERVENTION
    for code in story.LATE_MUNICIPALITIES + [story.REVISION["scope"]]:
        assert code in iv
    assert not set(story.LAGGING_MUNICIPALITIES) & set(story.LATE_MUNICIPALITIES)


def test_story_holds_in_the_designed_numbers(data):
    """Each pair's ratio (from the numbers actually written) is in its intended band."""
    counts = Counter()
    for p in data["pairs"]:
        got = semaforo(p.ratio) if p.r else "rojo"
        assert got == p.want, (p.spec.code, p.muni.code, p.ratio)
        counts[got] += 1
        lagging = (p.spec.eje == story.LAGGING_EJE and p.spec.scope_intervention == "CSR"
                   and p.muni.code in story.LAGGING_MUNICIPALITIES)
        if lagging:
            assert got == "rojo"
    total = sum(counts.values())
    assert 0.02 < counts["rojo"] / total < 0.12          # rojo is news, not the wallpaper
    assert 0.10 < counts["amarillo"] / total < 0.35


def test_late_municipalities_miss_their_latest_reports(data):
    from sample.catalog import DEADLINE
    from sample.periods import due_end, sin_dato_before
    from sample.periods import periods
    freq = {s.code: s.frequency for s in SPECS}
    for p in data["pairs"]:
        end_of = dict(periods(p.spec.frequency, p.muni.start))
        last_end = max(end_of[r["period"]] for r in p.rows)
        due = due_end(freq[p.spec.code], DEADLINE[freq[p.spec.code]])
        if p.muni.code in story.LATE_MUNICIPALITIES:
            assert last_end < due
            assert last_end >= sin_dato_before(p.spec.frequency)


def test_revision(data, written):
    rev = story.REVISION
    assert rev["new"] - rev["old"] == story.REVISION_DELTA
    (row,) = data["revision"]
    assert (row["indicator_code"], row["scope_code"], row["period"], row["value"]) == \
        (rev["indicator"], rev["scope"], rev["period"], rev["new"])
    assert row["reported_at"] > next(m["reported_at"] for m in data["measurements"]
                                     if (m["indicator_code"], m["scope_code"], m["period"])
                                     == (rev["indicator"], rev["scope"], rev["period"]))
    iso = row["reported_at"].isocalendar()
    assert f"{iso.year}-W{iso.week:02d}" == rev["week"] == story.LAST_WEEK
    _, files = written
    assert files[-1][1] == "measurements"
    _, _, rows = _csv_rows(files[-1][0])
    assert len(rows) == 2 and rows[1][1] == rev["indicator"]
