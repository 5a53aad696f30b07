"""`python -m warehouse backtest`: the forecast's back-test as the method page and bench/ report it."""
from __future__ import annotations

from charts.forecast import backtest_text
from warehouse.queries.analytics import backtest_rows, backtest_summary
from warehouse.query import Viewer

CLI_VIEWER = Viewer(name="cli", role="analista", municipality=None)


def print_backtest(path) -> None:
    summary = backtest_summary(CLI_VIEWER, path)
    rows = backtest_rows(CLI_VIEWER, path)
    print(backtest_text(summary))
    print()
    print("flag         flagged happened hits precision recall")
    for r in summary.iter_rows(named=True):
        print(f"{r['flag']:<12} {r['flagged']:>7} {r['happened']:>8} {r['hits']:>4} "
              f"{'—' if r['precision'] is None else r['precision']:>9} {'—' if r['recall'] is None else r['recall']:>6}")
    if rows.height:
        print(f"\ninterval coverage: {int(rows['covered'].sum())} of {rows.height} forecasts "
              f"({summary['coverage'][0]:.3f}); nominal 0.80")
