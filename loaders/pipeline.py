"""Read + parse + validate a file (no warehouse writes): produces a Prepared load."""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import shutil
import tempfile
import weakref
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import polars as pl

from loaders import codes, parse, participants, period_checks, pii, read
from loaders.columns import check_columns
from loaders.kinds import ENUMS, KIND_SPECS, Kind
from loaders.periods import FREQUENCY_EXAMPLE, parse_period, to_frequency
from loaders.read import FileRejected, RawFile, open_table
from loaders.reference import Reference, allows_negative_expr
from loaders.report import Problem, describe
from loaders.validate import (PROBLEM_SCHEMA, add_unexpected, expectation_spec, merge_results, run_suite,
                              unique_expectations)

PARSE_RULES = {  # type -> (rule, Spanish text)
    "scope": ("codigo_invalido", "código de municipio mal formado (use 4 dígitos, p. ej. 0101, o 'nacional')"),
    "muni": ("codigo_invalido", "código de municipio mal formado (use 4 dígitos, p. ej. 0101)"),
    "float": ("numero_invalido", "no es un número válido"),
    "int": ("entero_invalido", "no es un número entero válido"),
    "bool": ("booleano_invalido", "no es un valor sí/no válido"),
    "period": ("periodo_invalido", "período no reconocido (2014-W20, 2014-05, 2014-Q2, 2014, 2014-05-12 o 12/05/2014)"),
    "date": ("fecha_invalida", "fecha no reconocida (2014-05-12 o 12/05/2014)"),
    "month": ("mes_invalido", "mes no reconocido (2014-05, 2014-05-01 o 01/05/2014)"),
}
RANGE_RULE = ("numero_fuera_de_rango", f"número no finito o de magnitud absurda (mayor que {parse.MAX_MAGNITUDE:.0e} "
              "en valor absoluto); revise el valor")
ENCODING_RULE = ("codificacion_invalida", "la línea tiene bytes que no son texto válido en la codificación del archivo "
                 "(se ven como �): corrija esa línea y guarde el archivo como UTF-8")
DERIVED_SOURCE = {"_period_year": "period", "_freq_ok": "period", "_before_report": "reported_at", "_value_nonneg": "value",
                  "_num_nonneg": "numerator", "_has_value": "value", "_num_le_den": "numerator",
                  "_baseline_year": "baseline_date", "_target_year": "target_date", "_dates_ok": "target_date",
                  "_type_level_ok": "type", "_rate_parts": "value", "_aggregation_ok": "aggregation"}
DERIVED_SOURCE |= {"_programs_ok": "programs", "_registration_year": "registered_at"}
GX_DERIVED = {"_row", "_pct_ok", *DERIVED_SOURCE}      # derived columns the suites check
GX_ROWS = 2_000_000          # rows validated by one Great Expectations run (stored batches grouped up to it)
TYPE_FOR_LEVEL = {"fin": ["impacto"], "proposito": ["resultado", "impacto"], "componente": ["producto"],
                  "actividad": ["proceso"]}
CODE_COLUMNS = {"indicator_code", "program_code", "objective_id", "objective_parent"}


def _load_part(part: pl.DataFrame | Path) -> pl.DataFrame:
    return part if isinstance(part, pl.DataFrame) else pl.read_parquet(part)


@dataclass
class Prepared:
    """A read and validated file, ready to write.

    The file was read in batches (`read.BATCH_ROWS` rows); each batch was parsed and validated
    on its own and the results merged (duplicate keys are checked across batches). The parsed
    batches are kept until the write: a file read in one batch stays in memory, a larger one is
    spilled batch by batch to temporary Parquet files (`tmpdir`), so memory holds one batch at a
    time when writing, plus the problems found. Call `close()` (api does) to remove them.
    """
    kind: Kind
    file_name: str
    problems: pl.DataFrame                  # _row, column, value, rule, message, severity
    validation: list[dict] = field(default_factory=list)
    headers: dict = field(default_factory=dict)   # canonical -> file header
    file_problems: list[Problem] = field(default_factory=list)
    rows_read: int = 0
    raw_parts: list = field(default_factory=list)    # DataFrame | Path: original headers, strings, + _row
    data_parts: list = field(default_factory=list)   # DataFrame | Path: canonical typed columns + derived + _row
    tmpdir: str | None = None
    batches: int = 0
    part_rows: list = field(default_factory=list)    # rows of each stored batch

    @property
    def bad_rows(self) -> pl.Series:
        return self.problems.filter(pl.col("severity") == "error")["_row"].unique()

    def iter_valid(self, batch_rows: int | None = None) -> Iterator[pl.DataFrame]:
        """Valid rows, one stored batch (or slice of `batch_rows`) at a time, in file order."""
        bad = self.bad_rows.implode()
        for part in self.data_parts:
            frame = _load_part(part).filter(~pl.col("_row").is_in(bad))
            if frame.height:
                yield from (frame.iter_slices(batch_rows) if batch_rows else (frame,))

    def valid(self) -> pl.DataFrame:
        """All valid rows in one frame (reference kinds, which are small)."""
        bad = self.bad_rows.implode()
        return pl.concat([_load_part(p).filter(~pl.col("_row").is_in(bad)) for p in self.data_parts],
                         how="vertical_relaxed")

    @property
    def data(self) -> pl.DataFrame:
        """Every parsed row in one frame (materialises the whole file: small files and tests)."""
        return pl.concat([_load_part(p) for p in self.data_parts], how="vertical_relaxed")

    @property
    def raw(self) -> pl.DataFrame:
        return self.raw_rows(None)

    def raw_rows(self, rows: pl.Series | None) -> pl.DataFrame:
        """The original rows (strings, file headers, `_row`) for the given row numbers (None: all)."""
        out = []
        for part in self.raw_parts:
            if isinstance(part, pl.DataFrame):
                out.append(part if rows is None else part.filter(pl.col("_row").is_in(rows.implode())))
            else:
                lf = pl.scan_parquet(part)
                out.append((lf if rows is None else lf.filter(pl.col("_row").is_in(rows.implode()))).collect())
        return pl.concat(out, how="vertical_relaxed")

    def close(self) -> None:
        """Remove the spilled batches (the object is unusable for writing afterwards)."""
        if self.tmpdir:
            shutil.rmtree(self.tmpdir, ignore_errors=True)
            self.tmpdir = None

    def __enter__(self) -> Prepared:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


POLYGON_TYPES = ("Polygon", "MultiPolygon")


def _refuse_non_polygons(name: str, feats: list) -> None:
    """Boundaries are polygons: points (e.g. municipal seats) or lines refuse the file."""
    kinds = [((f or {}).get("geometry") or {}).get("type") for f in feats]
    wrong = [(i, k) for i, k in enumerate(kinds, start=1) if k and k not in POLYGON_TYPES]
    if wrong:
        i, k = wrong[0]
        raise FileRejected(f"El archivo {name}, entidad {i}: la geometría es {k}, no un polígono; {len(wrong)} de "
                           f"{len(feats)} entidades no son Polygon ni MultiPolygon. Un archivo de límites debe traer "
                           "los polígonos de los municipios (las coordenadas de las cabeceras se cargan como "
                           "municipios, con Latitud y Longitud).", "geometria_no_poligono")


def read_boundaries(path: Path) -> RawFile:
    """GeoJSON FeatureCollection -> frame(code, geometry_json, _row = 1-based feature number)."""
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise FileRejected(f"No existe el archivo {path}.", "archivo_ilegible") from None
    except Exception as exc:  # noqa: BLE001
        raise FileRejected(f"El archivo {Path(path).name} no es GeoJSON válido: {str(exc)[:120]}",
                           "archivo_ilegible") from None
    feats = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(feats, list):
        raise FileRejected(f"El archivo {Path(path).name} no es una FeatureCollection GeoJSON.", "archivo_ilegible")
    if not feats:
        raise FileRejected(f"El archivo {Path(path).name} no tiene entidades.", "archivo_vacio")
    _refuse_non_polygons(Path(path).name, feats)
    keys = ("code", "codigo", "cod_mun4", "COD_MUN4", "CODMUNI", "codmuni", "cod_mun", "COD_MUN", "CODIGO")
    codes_, geoms = [], []
    for f in feats:
        props = (f or {}).get("properties") or {}
        lowered = {str(k).lower(): v for k, v in props.items()}
        code = next((props[k] for k in keys if props.get(k) not in (None, "")), None)
        if code is None:
            code = next((lowered[k.lower()] for k in keys if lowered.get(k.lower()) not in (None, "")), None)
        geom = (f or {}).get("geometry")
        codes_.append(None if code is None else str(code))
        geoms.append(None if not geom else json.dumps(geom, separators=(",", ":")))
    frame = pl.DataFrame({"code": codes_, "geometry_json": geoms}, schema={"code": pl.String, "geometry_json": pl.String})
    frame = frame.with_row_index("_row", offset=1).with_columns(pl.col("_row").cast(pl.Int64))
    return RawFile(frame, False, "geojson")


PERIOD_FIELDS = ("period", "period_type", "period_start", "period_end")


def _parse_expr(col, kind: Kind, decimal_comma: bool) -> pl.Expr | None:
    """The parser of one column (an expression on the column's text), None for text kept as is."""
    src, t = pl.col(col.name), col.type
    if t == "scope":
        return codes.municipality_code(src, True)
    if t == "muni":
        return codes.municipality_code(src, False)
    if t == "float":
        return parse.number(src, decimal_comma)
    if t == "int":
        return parse.integer(src, decimal_comma)
    if t == "bool":
        return parse.boolean(src)
    if t in ("period", "date", "month"):
        per = parse_period(src)
        if t == "period":
            return per
        if t == "date":
            return per.struct.field("period_end")
        return pl.when(per.struct.field("period_type").is_in(["M", "D"])).then(
            per.struct.field("period_start").dt.month_start())
    if t.startswith("enum:"):
        return parse.enum(src, ENUMS[t[5:]])
    if col.name in CODE_COLUMNS or (col.name == "code" and kind.name == "indicators"):
        return codes.plain_code(src)
    return None


def _lookup(raw: pl.DataFrame, col, expr: pl.Expr) -> pl.DataFrame:
    """The column's distinct non-null texts, parsed once each: the text, its parsed value(s) (`__v_<name>`,
    or the period fields) and `__bad_<name>` (the parse rule broken: unparseable or out of range)."""
    name = col.name
    lookup = raw.select(pl.col(name).unique()).drop_nulls().with_columns(expr.alias(f"__v_{name}"))
    parsed = pl.col(f"__v_{name}")
    if col.type == "period":
        parsed = parsed.struct.field("period")
    bad = pl.lit(None, pl.String)
    if col.type in PARSE_RULES:
        bad = pl.when(parsed.is_null()).then(pl.lit(col.type)).otherwise(bad)
    if col.type == "float":
        bad = pl.when(parse.out_of_range(parsed)).then(pl.lit("range")).otherwise(bad)
    lookup = lookup.with_columns(bad.alias(f"__bad_{name}"))
    if col.type == "period":
        lookup = lookup.with_columns(pl.col(f"__v_{name}").struct.field(f).alias(f"__f_{f}")
                                     for f in PERIOD_FIELDS).drop(f"__v_{name}")
    return lookup


def _parse_columns(raw: pl.DataFrame, kind: Kind, decimal_comma: bool) -> tuple[pl.DataFrame, list[pl.DataFrame]]:
    """Typed columns and parse problems. Every parser runs once per distinct text of its column (files
    repeat few codes, periods and numbers) and is joined back to the rows."""
    exprs, checks = [pl.col("_row")], []
    for col in kind.columns:
        expr = _parse_expr(col, kind, decimal_comma)
        if expr is None:
            exprs.append(pl.col(col.name))
            continue
        raw = raw.join(_lookup(raw, col, expr), on=col.name, how="left", maintain_order="left")
        exprs += ([pl.col(f"__f_{f}").alias(f) for f in PERIOD_FIELDS] if col.type == "period"
                  else [pl.col(f"__v_{col.name}").alias(col.name)])
        if col.type in PARSE_RULES:
            exprs.append(pl.col(f"__bad_{col.name}"))
            checks.append(col)
    frame = raw.select(exprs)
    problems = []
    for range_pass in (False, True):          # unparseable values first, then numbers out of range
        for col in checks:
            flag = pl.col(f"__bad_{col.name}")
            bad = frame.filter((flag == "range") if range_pass else (flag.is_not_null() & (flag != "range")))
            if bad.height:
                rule, text = RANGE_RULE if range_pass else PARSE_RULES[col.type]
                problems.append(bad.select("_row", column=pl.lit(col.name), rule=pl.lit(rule), text=pl.lit(text),
                                           severity=pl.lit("error")))
    return frame.drop([c for c in frame.columns if c.startswith("__bad_")]), problems


def _indicator_flags(ref: Reference) -> pl.DataFrame:
    """The catalogue's per-indicator inputs of the derived checks, computed once per indicator (not per
    row): `_is_pct` (unit is a percentage), `_neg_ok` (unit admits negatives), `_is_rate` (has a
    denominator formula), `_is_razon` (aggregated as a ratio), with `_scale` and `_frequency`."""
    unit = pl.col("unit")
    return ref.indicators.select(
        indicator_code="code", _scale="scale", _frequency="frequency",
        _is_pct=unit.str.strip_chars().is_in(["%", "porcentaje"]), _neg_ok=allows_negative_expr(unit),
        _is_rate=pl.col("formula_denominator").is_not_null(), _is_razon=pl.col("aggregation_rule") == "razón")


def _derive(frame: pl.DataFrame, kind: Kind, ref: Reference) -> pl.DataFrame:
    """The derived columns the suites check. Catalogue flags are joined per row; a row whose indicator
    is not in the catalogue gets them null, and `_neg_ok`/`_is_rate` False (as their row-wise forms)."""
    ind = _indicator_flags(ref)
    is_pct = pl.col("_is_pct")
    if kind.name == "measurements":
        frame = to_frequency(frame.join(ind, on="indicator_code", how="left"))
        is_rate = pl.col("_is_rate").fill_null(False)
        scale = pl.col("_scale").fill_null(1.0)
        computed = pl.when(pl.col("denominator") > 0).then(scale * pl.col("numerator") / pl.col("denominator"))
        frame = frame.with_columns(value=pl.coalesce("value", computed))
        negative_ok = pl.col("_neg_ok").fill_null(False)
        frame = frame.with_columns(
            _period_year=pl.col("period_end").dt.year(),
            _before_report=pl.when(pl.col("reported_at").is_not_null() & pl.col("period_end").is_not_null())
            .then(pl.col("period_end") <= pl.col("reported_at")),
            _has_value=pl.col("value").is_not_null(),
            # a razón adds up only from its parts: a row with the value alone cannot be aggregated
            _rate_parts=pl.when(pl.col("_is_razon")).then(
                pl.col("numerator").is_not_null() & pl.col("denominator").is_not_null()),
            _value_nonneg=pl.when(pl.col("value").is_not_null()).then((pl.col("value") >= 0) | negative_ok),
            _num_nonneg=pl.when(pl.col("numerator").is_not_null()).then((pl.col("numerator") >= 0) | negative_ok),
            _pct_ok=pl.when(is_pct & pl.col("value").is_not_null()).then(
                (pl.col("value") / scale >= 0) & (pl.col("value") / scale <= 1)),
            _num_le_den=pl.when(is_rate & is_pct & pl.col("numerator").is_not_null()
                                & pl.col("denominator").is_not_null()).then(pl.col("numerator") <= pl.col("denominator")),
        )
    elif kind.name == "targets":
        frame = frame.join(ind, on="indicator_code", how="left")
        scale = pl.col("_scale").fill_null(1.0)
        in_range = lambda c: (pl.col(c) / scale >= 0) & (pl.col(c) / scale <= 1)  # noqa: E731
        frame = frame.with_columns(
            _baseline_year=pl.col("baseline_date").dt.year(), _target_year=pl.col("target_date").dt.year(),
            _dates_ok=pl.when(pl.col("baseline_date").is_not_null() & pl.col("target_date").is_not_null()).then(
                pl.col("target_date") > pl.col("baseline_date")),
            _pct_ok=pl.when(is_pct & pl.col("baseline_value").is_not_null() & pl.col("target_value").is_not_null())
            .then(in_range("baseline_value") & in_range("target_value")),
        )
    elif kind.name == "budget":
        frame = frame.with_columns(_period_year=pl.col("month").dt.year())
    elif kind.name == "participants":
        frame = participants.derive(frame, ref.programs)
    elif kind.name == "indicators":
        level = pl.coalesce("level", "objective_level")
        ok = pl.lit(None, dtype=pl.Boolean)
        for lv, types in TYPE_FOR_LEVEL.items():
            ok = pl.when(level == lv).then(pl.col("type").is_in(types)).otherwise(ok)
        frame = frame.with_columns(
            _type_level_ok=pl.when(pl.col("type").is_not_null()).then(ok),
            _aggregation_ok=pl.when(pl.col("aggregation") == "razón").then(pl.col("formula_denominator").is_not_null()))
    return frame


def _frequency_problems(data: pl.DataFrame) -> list[pl.DataFrame]:
    """Periods that are not the indicator's frequency, with a message naming it (the suite's
    `_freq_ok` expectation records the same rows in validation_results)."""
    if "_freq_ok" not in data.columns:
        return []
    bad = data.filter(pl.col("_freq_ok") == False)  # noqa: E712
    if bad.height == 0:
        return []
    example = pl.col("_frequency").replace_strict(FREQUENCY_EXAMPLE, default="", return_dtype=pl.String)
    text = pl.format("el período no corresponde a la frecuencia del indicador ({}): use un período {} (p. ej. {}) "
                     "o una fecha, que se asigna al período que la contiene", pl.col("_frequency"),
                     pl.col("_frequency"), example)
    return [bad.select("_row", column=pl.lit("period"), rule=pl.lit("periodo_no_coincide_con_frecuencia"),
                       text=text, severity=pl.lit("error"))]


def _pct_column(problems: pl.DataFrame, data: pl.DataFrame) -> pl.DataFrame:
    """A target's percentage check names the value out of range: the baseline or the target."""
    scale = pl.col("_scale").fill_null(1.0)
    out = ~((pl.col("baseline_value") / scale >= 0) & (pl.col("baseline_value") / scale <= 1))
    which = data.select("_row", _which=pl.when(out).then(pl.lit("baseline_value")).otherwise(pl.lit("target_value")))
    return (problems.join(which, on="_row", how="left")
            .with_columns(column=pl.when(pl.col("column") == "_pct_ok").then(pl.col("_which"))
                          .otherwise(pl.col("column"))).drop("_which"))


def _with_text(problems: pl.DataFrame, raw_canon: pl.DataFrame, headers: dict, file_name: str) -> pl.DataFrame:
    """Attach the user's value and a Spanish message to each problem (first problem per row+column kept)."""
    if problems.height == 0:
        return pl.DataFrame(schema={**PROBLEM_SCHEMA, "value": pl.String, "message": pl.String})
    problems = problems.with_columns(
        column=pl.col("column").replace(DERIVED_SOURCE).replace({"_pct_ok": "target_value" if "target_value" in
                                                                 raw_canon.columns else "value"}))
    problems = problems.unique(["_row", "column", "rule"], keep="first", maintain_order=True)
    problems = problems.unique(["_row", "column"], keep="first", maintain_order=True)
    out = []
    for cols, part in problems.group_by("column", maintain_order=True):
        names = [c.strip() for c in cols[0].split(",")]
        vals = raw_canon.select("_row", pl.concat_str([pl.col(n).fill_null("") if n in raw_canon.columns
                                                       else pl.lit("") for n in names], separator=" | ").alias("value"))
        shown = ", ".join(headers.get(n, n) for n in names)
        out.append(part.join(vals, on="_row", how="left").with_columns(column=pl.lit(shown)))
    res = pl.concat(out).sort("_row", maintain_order=True)
    msg = [describe(file_name, r, c, v, rule, t) for r, c, v, rule, t in
           res.select("_row", "column", "value", "rule", "text").iter_rows()] if res.height <= 200_000 else None
    return res.with_columns(message=pl.Series(msg, dtype=pl.String) if msg is not None else pl.col("text"))


def _canonical(raw: pl.DataFrame, mapping: dict, kind: Kind) -> pl.DataFrame:
    canon = raw.select(["_row"] + [pl.col(h).alias(c) for h, c in mapping.items()])
    return canon.with_columns([pl.lit(None, dtype=pl.String).alias(c.name) for c in kind.columns
                               if c.name not in canon.columns])


def _encoding_problems(raw: pl.DataFrame, mapping: dict) -> list[pl.DataFrame]:
    """Rows holding U+FFFD, where the reader replaced bytes it could not decode (first such column)."""
    cols = [c for c in raw.columns if c != "_row"]
    if not cols:
        return []
    hit = [pl.col(c).str.contains("\ufffd", literal=True).fill_null(False) for c in cols]
    first = pl.coalesce([pl.when(h).then(pl.lit(mapping.get(c, c))) for h, c in zip(hit, cols)])
    bad = raw.filter(pl.any_horizontal(hit)).select("_row", column=first)
    if bad.height == 0:
        return []
    return [bad.with_columns(rule=pl.lit(ENCODING_RULE[0]), text=pl.lit(ENCODING_RULE[1]), severity=pl.lit("error"))]


def _prepare_batch(raw: pl.DataFrame, kind: Kind, ref: Reference, mapping: dict, decimal_comma: bool,
                   replaced: bool = False) -> tuple[pl.DataFrame, list[pl.DataFrame]]:
    """Parse and derive one batch: (data, its parse problems without text). Great Expectations runs
    later on whole chunks of the file (`_validate`). `replaced`: the reader replaced undecodable bytes
    (their rows are quarantined)."""
    canon = _canonical(raw, mapping, kind)
    data, parse_problems = _parse_columns(canon, kind, decimal_comma)
    if replaced:
        parse_problems = _encoding_problems(raw, mapping) + parse_problems
    data = _derive(data, kind, ref)
    return data, parse_problems + _frequency_problems(data)


def _gx_chunks(prep: Prepared) -> list[list[int]]:
    """Consecutive stored batches grouped into chunks of at most GX_ROWS rows (at least one batch each)."""
    chunks, rows = [], GX_ROWS
    for i, n in enumerate(prep.part_rows):
        if rows + n > GX_ROWS:
            chunks.append([])
            rows = 0
        chunks[-1].append(i)
        rows += n
    return chunks


def _validate(prep: Prepared, params: dict) -> tuple[list[list[dict]], list[pl.DataFrame]]:
    """The kind's suite over each chunk of the file in one Great Expectations run (columns in bulk)."""
    validations, problems = [], []
    for chunk in _gx_chunks(prep):
        data = pl.concat([_load_part(prep.data_parts[i]) for i in chunk], how="vertical_relaxed")
        data = data.select([c for c in data.columns if not c.startswith("_") or c in GX_DERIVED] +
                           (["_scale"] if "_scale" in data.columns else []))
        validation, gx_problems = run_suite(prep.kind.name, data.drop("_scale", strict=False), params)
        if prep.kind.name == "targets" and gx_problems.height:
            gx_problems = _pct_column(gx_problems, data)
        validations.append(validation)
        problems.append(gx_problems)
    return validations, problems


def _spill(frame: pl.DataFrame, tmpdir: str, name: str) -> Path:
    out = Path(tmpdir) / f"{name}.parquet"
    frame.write_parquet(out, compression="lz4", statistics=True)
    return out


def _cross_batch_duplicates(prep: Prepared, mapping: dict, inv: dict) -> pl.DataFrame | None:
    """Keys repeated in different GX chunks (GX saw each chunk alone): problems for those rows.

    Rows whose key is repeated inside their own chunk were already reported by GX; the others
    get the same rule and text, and the merged validation result counts them.
    """
    extra = []
    for spec in unique_expectations(prep.kind.name):
        cols, compound = spec["columns"], spec["compound"]
        chunk_of = {i: c for c, chunk in enumerate(_gx_chunks(prep)) for i in chunk}
        keys = pl.concat([(pl.scan_parquet(p) if isinstance(p, Path) else p.lazy()).select(["_row", *cols])
                          .with_columns(_batch=pl.lit(chunk_of[i], dtype=pl.Int32)) for i, p in enumerate(prep.data_parts)],
                         how="vertical_relaxed")
        if not compound or spec["ignore_row_if"] == "any_value_is_missing":   # GX: nulls are not values
            keys = keys.filter(pl.all_horizontal(pl.col(cols).is_not_null()))
        elif spec["ignore_row_if"] == "all_values_are_missing":
            keys = keys.filter(pl.any_horizontal(pl.col(cols).is_not_null()))
        rows = keys.filter((pl.len().over(cols) > 1) & (pl.len().over([*cols, "_batch"]) == 1)).select("_row").collect()
        if rows.height == 0:
            continue
        add_unexpected(prep.validation, spec, rows["_row"].to_list())
        extra.append(rows.with_columns(column=pl.lit(", ".join(cols)), rule=pl.lit(spec["rule"]),
                                       text=pl.lit(spec["text"]), severity=pl.lit(spec["severity"])))
    if not extra:
        return None
    return _text_for(prep, pl.concat(extra), mapping, inv)


def _text_for(prep: Prepared, problems: pl.DataFrame, mapping: dict, inv: dict) -> pl.DataFrame:
    canon = _canonical(prep.raw_rows(problems["_row"].unique()), mapping, prep.kind)
    return _with_text(problems, canon, inv, prep.file_name)


def _scan_parts(parts: list) -> pl.LazyFrame:
    return pl.concat([pl.scan_parquet(p) if isinstance(p, Path) else p.lazy() for p in parts], how="vertical_relaxed")


def file_max_year(prep: Prepared) -> int:
    """Latest plausible period year of a load into a warehouse without data: the year of the file's
    latest report date + 1 (today's year + 1 when the file gives no report dates)."""
    if prep.kind.name == "measurements":
        latest = _scan_parts(prep.data_parts).select(pl.col("reported_at").max()).collect().item()
        if latest is not None:
            return latest.year + 1
    return dt.date.today().year + 1


def _period_problems(prep: Prepared, mapping: dict, inv: dict, rows: pl.DataFrame,
                     already: pl.DataFrame) -> pl.DataFrame | None:
    """`rows` (`_row`, `text`) as `periodo_implausible` problems on the period, counted into the suite's
    plausible-year expectation; rows already reported with that rule are left out."""
    rows = rows.filter(~pl.col("_row").is_in(already["_row"].implode()))
    if rows.height == 0:
        return None
    spec = expectation_spec(prep.kind.name, "_period_year", "expect_column_values_to_be_between")
    add_unexpected(prep.validation, spec, rows["_row"].to_list())
    problems = rows.select("_row", column=pl.lit("period"), rule=pl.lit(spec["rule"]), text="text",
                           severity=pl.lit(spec["severity"]))
    return _text_for(prep, problems, mapping, inv)


def _late_period_rows(prep: Prepared, max_year: int | None, as_of) -> pl.DataFrame:
    """Rows with an implausible year (`max_year`, when the bound came from the file) or an improbable
    period (loaders.period_checks)."""
    data = _scan_parts(prep.data_parts)
    parts = [period_checks.improbable_periods(data, as_of)]
    if max_year is not None:
        spec = expectation_spec(prep.kind.name, "_period_year", "expect_column_values_to_be_between")
        parts.insert(0, data.filter(pl.col("_period_year") > max_year).select("_row", text=pl.lit(spec["text"]))
                     .collect())
    return pl.concat(parts).unique("_row", keep="first", maintain_order=True)


def prepare(path: str | Path, kind_name: str, ref: Reference, sheet: str | None = None,
            batch_rows: int | None = None) -> Prepared:
    """Read and validate in batches of `batch_rows` rows (default `read.BATCH_ROWS`); no writes.

    The file's columns are checked before any data is read. Each batch is parsed on its own; then
    Great Expectations validates chunks of up to `GX_ROWS` rows (the whole file, below that) in one
    run each; validation results are merged into one row per expectation (unexpected counts
    summed) and keys repeated across batches are reported like keys repeated inside one. Raises
    FileRejected when the whole file is unusable. Close the result (`with prep:`) when done.
    """
    kind = KIND_SPECS[kind_name]
    path = Path(path)
    if kind.name == "boundaries":
        rawfile = read_boundaries(path)
        table = contextlib.nullcontext(SimpleNamespace(
            columns=[c for c in rawfile.frame.columns if c != "_row"], decimal_comma=False, fmt="geojson",
            batches=iter([rawfile.frame])))
    else:
        table = open_table(path, sheet, batch_rows or read.BATCH_ROWS)
    with table as tb:
        if kind.name == "participants":             # personal data refuses the file before anything else
            pii.check_headers(tb.columns, path.name)
        mapping, file_problems = check_columns(path, tb.columns, kind, sheet)
        inv = {c: h for h, c in mapping.items()}
        prep = Prepared(kind, path.name, pl.DataFrame(), [], inv, file_problems)
        params = ref.params()
        # plausible-period bound: the warehouse's as-of year + 1; without data yet, measurements take it
        # from the file's report dates (checked once all batches are read), other kinds from today
        deferred_max_year = params["max_year"] is None and kind.name == "measurements"
        if params["max_year"] is None and not deferred_max_year:
            params["max_year"] = dt.date.today().year + 1
        problems, slash_dates = [], {}
        try:
            for raw in (tb.batches if kind.name == "boundaries" else tb):
                if raw.height == 0:
                    continue
                if kind.name == "participants":
                    pii.check_content(raw, path.name)
                data, batch_problems = _prepare_batch(raw, kind, ref, mapping, tb.decimal_comma,
                                                      getattr(tb, "replaced", False))
                period_checks.slash_date_evidence(_canonical(raw, mapping, kind), kind, slash_dates)
                raw = raw.select(["_row"] + tb.columns)
                rows = data.height
                if prep.batches == 1:                      # a second batch: spill from now on
                    prep.tmpdir = tempfile.mkdtemp(prefix="spsu_load_")
                    weakref.finalize(prep, shutil.rmtree, prep.tmpdir, True)
                    prep.raw_parts[0] = _spill(prep.raw_parts[0], prep.tmpdir, "raw_0")
                    prep.data_parts[0] = _spill(prep.data_parts[0], prep.tmpdir, "data_0")
                if prep.tmpdir:
                    raw = _spill(raw, prep.tmpdir, f"raw_{prep.batches}")
                    data = _spill(data, prep.tmpdir, f"data_{prep.batches}")
                prep.raw_parts.append(raw)
                prep.data_parts.append(data)
                prep.batches += 1
                prep.rows_read += rows
                prep.part_rows.append(rows)
                problems.extend(batch_problems)
        except BaseException:
            prep.close()
            raise
    if prep.rows_read == 0:
        prep.close()
        raise FileRejected(f"El archivo {path.name} no tiene filas de datos.", "archivo_vacio")
    try:
        _validate_read(prep, ref, params, problems, mapping, inv, slash_dates, deferred_max_year)
    except BaseException:
        prep.close()
        raise
    return prep


def _validate_read(prep: Prepared, ref: Reference, params: dict, problems: list, mapping: dict, inv: dict,
                   slash_dates: dict, deferred_max_year: bool) -> None:
    """Everything after reading: the suite (Great Expectations), keys repeated across chunks, dates
    written month first, late periods; sets `prep.validation` and `prep.problems`."""
    kind, path = prep.kind, Path(prep.file_name)
    late_period_rows = lambda: (  # noqa: E731
        _late_period_rows(prep, file_max_year(prep) if deferred_max_year else None, ref.as_of)
        if kind.name == "measurements" else None)
    # Great Expectations (mostly Python, holding the GIL) runs in a thread while this one computes
    # the late-period rows, which do not depend on it (polars releases the GIL): a second core works
    with ThreadPoolExecutor(1, thread_name_prefix="spsu-gx") as pool:
        gx_run = pool.submit(_validate, prep, params)
        late_rows = late_period_rows()
        validations, gx_problems = gx_run.result()
    found = pl.concat([*problems, *gx_problems], how="diagonal_relaxed")
    problems = [_text_for(prep, found, mapping, inv) if found.height else
                _with_text(found, pl.DataFrame({"_row": []}, schema={"_row": pl.Int64}), inv, path.name)]
    prep.validation = merge_results(validations)
    if len(_gx_chunks(prep)) > 1:
        extra = _cross_batch_duplicates(prep, mapping, inv)
        if extra is not None:
            problems.append(extra)
    period_checks.refuse_month_first(slash_dates, inv, path.name)
    if kind.name == "measurements":
        so_far = pl.concat(problems, how="diagonal_relaxed").filter(pl.col("rule") == "periodo_implausible")
        late = _period_problems(prep, mapping, inv, late_rows, so_far)
        if late is not None:
            problems.append(late)
    prep.problems = pl.concat(problems, how="diagonal_relaxed").sort("_row", maintain_order=True)
