"""Period checks that need the whole file (run after every batch is read).

- Month-first dates: a date column whose slashed values only make sense as mm/dd/aaaa (some second
  part above 12, no first part above 12) refuses the file: loading it as dd/mm would put `04/01/2014`
  in January and quarantine `04/30/2014`, half a file silently wrong.
- Improbable periods (measurements): a period more than one reporting period (of the indicator's
  frequency) beyond the warehouse's latest known period (its as-of date), or beyond the file's latest
  report date, i.e. one that starts after the end of the period following that date's period, is
  quarantined as `periodo_implausible`: one typo (`2015-04` in a 2014 file) would otherwise move the
  as-of date a year ahead.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from loaders.errors import FileRejected
from loaders.kinds import Kind
from loaders.periods import _DMY, FREQUENCY_TYPE, next_period_end

DATE_TYPES = ("period", "date", "month")


@dataclass
class SlashDates:
    """What a column's dd/mm/aaaa-looking values say about their order, over all batches."""
    month_first_row: int | None = None   # first row readable only as mm/dd/aaaa
    month_first_value: str | None = None
    day_first: bool = False              # some value readable only as dd/mm/aaaa


def slash_date_evidence(canon: pl.DataFrame, kind: Kind, seen: dict[str, SlashDates]) -> None:
    """Add one batch's evidence (canonical string columns + `_row`) to `seen`."""
    for col in kind.columns:
        if col.type not in DATE_TYPES or col.name not in canon.columns:
            continue
        # each distinct slashed value is looked at once; the first row of a month-first one is found after
        values = canon.select(pl.col(col.name).unique().alias("v")).filter(
            pl.col("v").str.contains("/", literal=True))
        parts = values.select("v", pl.col("v").str.strip_chars().str.extract(_DMY, 1).cast(pl.Int32).alias("a"),
                              pl.col("v").str.strip_chars().str.extract(_DMY, 2).cast(pl.Int32).alias("b"))
        ev = seen.setdefault(col.name, SlashDates())
        ev.day_first = ev.day_first or parts.filter(pl.col("a") > 12).height > 0
        late = parts.filter((pl.col("b") > 12) & (pl.col("a") <= 12))["v"]
        if late.len() and ev.month_first_row is None:
            first = canon.filter(pl.col(col.name).is_in(late.implode())).select("_row", col.name).row(0)
            ev.month_first_row, ev.month_first_value = first


def refuse_month_first(seen: dict[str, SlashDates], headers: dict, file_name: str) -> None:
    """FileRejected naming the first column whose dates appear to be month-first."""
    for name, ev in seen.items():
        if ev.month_first_row is not None and not ev.day_first:
            header = headers.get(name, name)
            raise FileRejected(
                f"El archivo {file_name}, columna '{header}': las fechas parecen estar en formato mes/día/año "
                f"(mm/dd/aaaa), p. ej. '{ev.month_first_value}' en la fila {ev.month_first_row}, que no existe como "
                "día/mes/año. Escriba las fechas como dd/mm/aaaa o aaaa-mm-dd y cargue de nuevo; no se cargó "
                "ninguna fila.", "fecha_mes_primero", header)


def improbable_periods(data: pl.LazyFrame, as_of: dt.date | None) -> pl.DataFrame:
    """Rows (`_row`, `text`) of measurements whose period is improbable (see the module docstring)."""
    latest_report = data.select(pl.col("reported_at").max()).collect().item()
    ptype = pl.coalesce(pl.col("_frequency").replace_strict(FREQUENCY_TYPE, default=None, return_dtype=pl.String),
                        pl.col("period_type"))
    conditions = []
    for day, what in ((as_of, "la fecha de los datos del almacén"), (latest_report, "la última fecha de reporte "
                                                                      "del archivo")):
        if day is None:
            continue
        limits = {t: next_period_end(day, t) for t in ("W", "M", "Q", "Y")}
        limit = ptype.replace_strict(limits, default=None, return_dtype=pl.Date)
        conditions.append((pl.col("period_start") > limit, pl.format(
            "período improbable: empieza después del {}, fin del período siguiente al de {} ({}); revise el año "
            "o el mes", limit.dt.strftime("%d/%m/%Y"), pl.lit(what), pl.lit(day.strftime("%d/%m/%Y")))))
    if not conditions:
        return pl.DataFrame(schema={"_row": pl.Int64, "text": pl.String})
    text = pl.when(conditions[0][0]).then(conditions[0][1])
    for cond, message in conditions[1:]:
        text = text.when(cond).then(message)
    # the rows some condition holds for, filtered before their text is formatted (the usual file has none)
    hit = pl.any_horizontal([cond.fill_null(False) for cond, _ in conditions])
    return data.filter(hit).select("_row", text.alias("text")).collect()
