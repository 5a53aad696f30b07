"""The bulk validation path: Great Expectations over a reduced frame gives the same answer as over
every row, at a cost set by distinct values, not rows; the CSV shape check's shortcut still names rows."""
from __future__ import annotations

import json

import polars as pl
import pytest

from loaders import validate
from loaders.errors import FileRejected
from loaders.read import read_table

PARAMS = {"indicator_codes": ["I1", "I2", "I3"], "scope_codes": ["0101", "0102", "national"], "max_year": 2015}


def _measurements(n: int) -> pl.DataFrame:
    """A parsed measurements frame with every kind of failure the suite checks, spread over `n` rows."""
    i = pl.col("i")
    frame = pl.DataFrame({"i": pl.int_range(0, n, eager=True)}).select(**{
        "_row": i + 2,
        "indicator_code": pl.when(i % 97 == 5).then(pl.lit("I9")).when(i % 101 == 7).then(None)
        .otherwise(pl.lit("I") + (i % 3 + 1).cast(pl.String)),
        "scope_code": pl.when(i % 89 == 3).then(pl.lit("9999")).otherwise(pl.lit("010") + (i % 2 + 1).cast(pl.String)),
        "period": pl.lit("2014-W") + (i // 6 % 52 + 1).cast(pl.String).str.zfill(2) + pl.lit("-") + (i // 312).cast(pl.String),
        "denominator": pl.when(i % 53 == 1).then(pl.lit(-1.0)).otherwise((i % 40).cast(pl.Float64) + 1),
        "_period_year": pl.when(i % 211 == 9).then(pl.lit(2031)).otherwise(pl.lit(2014)),
        "_has_value": i % 61 != 4,
        "_pct_ok": pl.when(i % 7 == 0).then(None).otherwise(i % 71 != 2),
    })
    dup = frame.filter(pl.col("_row").is_in([10, 500])).with_columns(_row=pl.Series([n + 2, n + 3]))
    return pl.concat([frame, dup])            # keys of rows 10 and 500 repeated at the end


def _full_frame_gx(kind: str, frame: pl.DataFrame, params: dict) -> dict:
    """The suite run by Great Expectations on every row (the unreduced way): {(type, columns): rows}."""
    gx, batch_def = validate._context()
    suite = gx.ExpectationSuite(**validate.load_suite_json(kind))
    needed = {c for e in suite.expectations for c in validate._columns(e.configuration.kwargs)} - set(frame.columns)
    frame = frame.with_columns([pl.lit(None).alias(c) for c in sorted(needed)])
    result = batch_def.get_batch(batch_parameters={"dataframe": frame.to_pandas()}).validate(
        suite, result_format={"result_format": "COMPLETE", "unexpected_index_column_names": ["_row"]},
        expectation_parameters=params)
    out = {}
    for res in result.results:
        cfg = res.expectation_config
        rows = sorted(int(u["_row"]) for u in res.result.get("unexpected_index_list") or [])
        out[(cfg.type, ", ".join(validate._columns(cfg.kwargs)))] = (bool(res.success), rows)
    return out


def test_reduced_frame_gives_what_every_row_gives(monkeypatch):
    frame = _measurements(30_000)
    heights = []
    real = validate._context()[1].get_batch

    class Spy:
        def get_batch(self, batch_parameters):
            heights.append(len(batch_parameters["dataframe"]))
            return real(batch_parameters=batch_parameters)

    gx = validate._context()[0]
    monkeypatch.setattr(validate, "_context", lambda: (gx, Spy()))
    results, problems = validate.run_suite("measurements", frame, PARAMS)
    monkeypatch.undo()
    expected = _full_frame_gx("measurements", frame, PARAMS)

    # Great Expectations saw one frame, as tall as the most varied checked column (here the 5 000 periods),
    # not the 30 002 rows validated
    assert len(heights) == 1 and heights[0] == frame["period"].n_unique() == 5_000
    assert len(results) == len(expected)
    failing = 0
    for res in results:
        success, rows = expected[(res["expectation"], res["column_name"])]
        got = sorted(problems.filter((pl.col("column") == res["column_name"])
                                     & (pl.col("rule") == json.loads(res["details"])["rule"]))["_row"].to_list())
        assert res["success"] == success, res
        if not success:
            failing += 1
            assert res["unexpected_count"] == len(rows) and got == rows, res
            assert json.loads(res["details"])["rows_sample"] == rows[:20]
    assert failing >= 7          # null, unknown codes, duplicates, years, values, percentages, denominators
    dup_rows = sorted(problems.filter(pl.col("rule") == "clave_duplicada")["_row"].to_list())
    assert dup_rows == [10, 500, 30_002, 30_003]


def test_reduced_frame_height_follows_distinct_values_not_rows():
    row_level = [e for e in validate.load_suite_json("measurements")["expectations"]
                 if e["type"] not in validate.UNIQUE_TYPES]
    for n in (3_000, 60_000):
        frame = _measurements(n).with_columns(period=pl.lit("2014-W") + (pl.col("_row") % 52 + 1).cast(pl.String))
        needed = {c for e in row_level for c in validate._columns(e["kwargs"])} - set(frame.columns)
        frame = frame.with_columns(pl.lit(None).alias(c) for c in sorted(needed))     # as run_suite does
        reduced, _, _ = validate._reduce(frame, row_level)
        assert reduced.height == 52          # the 52 weeks: the most varied checked column, whatever n


@pytest.mark.parametrize("lines, row, fields", [
    (["1,2,3", "4,5,6,7", "8,9"], 3, 4),     # the separators add up, but one line is long and one short
    (["1,2,3", "8,9", "4,5,6,7"], 3, 2),
])
def test_shape_shortcut_still_names_the_row(tmp_path, lines, row, fields):
    f = tmp_path / "m.csv"
    f.write_text("a,b,c\n" + "\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(FileRejected) as exc:
        read_table(f)
    assert f"fila {row}: tiene {fields} campos y el encabezado 3" in str(exc.value)


@pytest.mark.parametrize("body, expected", [
    (b"1,2\r\n3,4\r\n", [("1", "2"), ("3", "4")]),                     # CRLF, nothing to trim: the shortcut
    (b"1, 2 \r\n3,4\r\n", [("1", "2"), ("3", "4")]),                   # spaces: trimmed
    (b"1,\t2\n3,4\n", [("1", "2"), ("3", "4")]),                       # a tab: trimmed
    ("1,\u00a02\n3,4\n".encode(), [("1", "2"), ("3", "4")]),          # a no-break space (not ASCII): trimmed
    (b'1,""\n3,4\n', [("1", None), ("3", "4")]),                       # a quoted empty value becomes null
    (b"1,\r2\n3,4\n", [("1", "2"), ("3", "4")]),                       # a CR that ends no line: trimmed
])
def test_values_are_trimmed_whatever_shortcut_the_bytes_allow(tmp_path, body, expected):
    f = tmp_path / "m.csv"
    f.write_bytes(b"a,b\n" + body)
    frame = read_table(f).frame
    assert frame.select("a", "b").rows() == expected
    assert frame["_row"].to_list() == [2, 3]


def test_plain_bytes():
    from loaders.read import _plain

    assert _plain(b"a,b\r\n1,2\r\n", 5) and _plain(b"a,b\n1,2\n", 4) and _plain(b"\xc3\xa1\n1,2\n", 3)
    assert not _plain(b"a,b\n1, 2\n", 4)               # a space
    assert not _plain(b"a,b\n1,2\r3\n", 4)             # a CR inside a line
    assert not _plain(b"a,b\n1,2\r", 4)                # a CR at the end without LF
    assert not _plain("a,b\n1,\u00e12\n".encode(), 4)  # not ASCII


def test_blank_lines_keep_the_row_numbers(tmp_path):
    one = tmp_path / "one.csv"                          # one column: the separator count cannot see them
    one.write_text("a\n1\n\n2\n", encoding="utf-8")
    assert read_table(one).frame.rows() == [(2, "1"), (4, "2")]
    two = tmp_path / "two.csv"
    two.write_text("a,b\n1,2\n\n3,4\n", encoding="utf-8")
    assert read_table(two).frame.rows() == [(2, "1", "2"), (4, "3", "4")]
