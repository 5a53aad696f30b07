"""The benchmark's one table (markdown) and the targets of issue 10 §3 beside each figure."""
from __future__ import annotations

import os
import platform
from pathlib import Path

# issue 10 §3, at 10 M measurements on this machine
TARGETS = dict(load_rows_per_s=300_000, raw_insert_rows_per_s=2_000_000, agreement_save_s=0.3,
               page_p95_s=0.100, page_floor_ratio=3.0, render_s=1.5, cold_start_s=5.0, app_rss_mb=1536,
               small_write_floor_ratio=2.0, warehouse_work_s=1.0)


def machine() -> dict:
    mem = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal:")), 0)
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.machine())
    return dict(cores=os.cpu_count(), ram_gib=round(mem / 1024 / 1024, 1), cpu=model,
                python=platform.python_version(), kind="python (/work/.library/env: 2 cores, 24 GiB)")


def _s(x) -> str:
    return "n/a" if x is None else (f"{x * 1000:.0f} ms" if x < 1 else f"{x:.2f} s")


def _spread(writes: dict, key: str) -> str:
    """' (mediana de n: min-max)' when the small writes ran several rounds (results since 2026-12-02 13:00)."""
    xs = writes.get("runs", {}).get(key, [])
    return f" (mediana de {len(xs)}: {_s(min(xs))}-{_s(max(xs))})" if len(xs) > 1 else ""


def _n(x) -> str:
    return "n/a" if x is None else f"{x:,.0f}"


def _ok(good) -> str:
    return "—" if good is None else ("sí" if good else "NO")


def rows(r: dict) -> list[tuple[str, str, str, str]]:
    """(figure, value, target, met?) for every figure of a result document."""
    t, out = TARGETS, []
    n, load, w = r["rows"], r["load"], r["small_writes"]
    out.append(("rows", f"{_n(n['measurements'])} mediciones, {_n(n['budget'])} presupuesto, "
                f"{_n(n['targets'])} metas, {_n(n['indicators'])} indicadores", "10 M y 2 M", "—"))
    stored = {}
    for f in load.get("per_file", []):
        got = stored.setdefault(f["kind"], [0, 0])
        got[0] += f.get("rows_loaded", 0)
        got[1] += f.get("quarantined", 0)
    if stored:
        out.append(("· guardadas", ", ".join(f"{label}: {_n(stored[k][0])} ({_n(stored[k][1])} en cuarentena)"
                                             for k, label in (("measurements", "mediciones"), ("budget", "presupuesto"))
                                             if k in stored), "—", "—"))
    out.append(("load_rows_per_s", f"{_n(load['rows_per_s'])} filas/s ({_n(load['rows'])} filas en "
                f"{load['seconds']:.1f} s, {load['files']} archivos)", f">= {_n(t['load_rows_per_s'])}",
                _ok(load["rows_per_s"] >= t["load_rows_per_s"])))
    files, last = load.get("per_file", [])[:-1], (load.get("per_file") or [None])[-1]
    if files and last is not None:      # the same loads split: files (read, validate, write), then the refresh
        rows_, secs = sum(f["rows_read"] for f in files), sum(f["seconds"] for f in files)
        out.append(("· sin la actualización", f"{_n(rows_ / secs)} filas/s ({_n(rows_)} filas en {secs:.1f} s: leer, "
                    f"validar y escribir {len(files)} archivos)", f">= {_n(t['load_rows_per_s'])}",
                    _ok(rows_ / secs >= t["load_rows_per_s"])))
        out.append(("· última carga", f"{last['seconds']:.1f} s ({_n(last['rows_read'])} fila(s) y la primera "
                    "actualización completa de marts y analítica)", "—", "—"))
    out.append(("raw_insert_rows_per_s", f"{_n(load['raw_insert_rows_per_s'])} filas/s",
                f">= {_n(t['raw_insert_rows_per_s'])}", _ok(load["raw_insert_rows_per_s"] >= t["raw_insert_rows_per_s"])))
    floor = w["process_floor_s"]
    out.append(("process_floor_s", _s(floor) + _spread(w, "process_floor_s")
                + " (proceso nuevo: GX + DuckDB + polars, abrir el almacén)", "—", "—"))
    for key, label in (("one_row_load_s", "carga de 1 fila (CLI)"), ("revert_s", "reversión de esa carga (CLI)")):
        work = w.get(key[:-2] + "_warehouse_s")  # results saved before 2026-12-02 06:30 lack it
        out.append((key, f"{_s(w[key])}{_spread(w, key)} {label}, {w[key] / floor:.1f}× el proceso nuevo",
                    f"<= {t['small_write_floor_ratio']:.0f}× proceso nuevo", _ok(w[key] <= t["small_write_floor_ratio"] * floor)))
        if work is not None:
            out.append(("· trabajo del almacén", f"{_s(work)}{_spread(w, key[:-2] + '_warehouse_s')} (la "
                        "transacción de escritura: bloqueo, copia del "
                        "catálogo, filas, actualización, cambio de archivo)", f"<= {_s(t['warehouse_work_s'])}",
                        _ok(work <= t["warehouse_work_s"])))
    week = r.get("week_load")             # results saved before 2026-12-02 12:00 lack it
    if week is not None:
        for key, label in (("week_load_s", f"carga de una semana ({_n(week['week_load_rows'])} filas, CLI)"),
                           ("week_revert_s", "reversión de esa carga (CLI)")):
            work = week[key[:-2] + "_warehouse_s"]
            out.append((key, f"{_s(week[key])} {label}; trabajo del almacén {_s(work)}"
                        f" ({work / max(week['week_load_rows'], 1) * 1000:.2f} ms por fila traída)",
                        "crece con las filas traídas, no con las guardadas", "—"))
    out.append(("agreement_save_s", _s(w["agreement_save_s"]) + _spread(w, "agreement_save_s") + " (API del tablero)", f"<= {_s(t['agreement_save_s'])}",
                _ok(w["agreement_save_s"] <= t["agreement_save_s"])))
    f = r["scan_floor"]
    out.append(("scan_floor", f"p50 {_s(f['p50'])}, p95 {_s(f['p95'])} (n={f['runs']}, SELECT sum(value))", "—", "—"))
    for stem, p in r["pages"].items():
        lite = (f"SQLite {_s(p['sqlite']['p50'])} ({p['sqlite']['ratio']:.2f}× DuckDB)"
                + (f", {_s(p['sqlite']['rows_p50'])} sin el marco polars" if "rows_p50" in p["sqlite"] else "")
                if p["sqlite"]
                else f"SQLite n/a: {p['sqlite_na']}")
        value = (f"{p['queries']} consultas: fría {_s(p['cold'])}, p50 {_s(p['p50'])}, p95 {_s(p['p95'])} "
                 f"(n={p['runs']}), {p['floor_ratio']:.1f}× suelo; {lite}; render 1.ª {_s(p['render_first'])}, "
                 f"después {_s(p['render_warm'])}" + (f"; ERRORES: {len(p['errors'])}" if p["errors"] else ""))
        good = (p["p95"] <= t["page_p95_s"] and p["floor_ratio"] <= t["page_floor_ratio"]
                and p["render_first"] <= t["render_s"] and (p["sqlite"] is None or p["sqlite"]["ratio"] > 1))
        out.append((f"page.{stem}", value, "p95 <= 100 ms y <= 3× suelo; < SQLite; render <= 1.5 s", _ok(good)))
    c = r["cold_start"]
    out.append(("cold_start_s", f"{_s(c['seconds'])} ({c['method']}; salud HTTP a {_s(c['health_seconds'])})",
                f"<= {_s(t['cold_start_s'])}", _ok(c["seconds"] <= t["cold_start_s"])))
    rss = r["rss"]
    out.append(("rss_loader_mb", f"{_n(rss['loader_mb'])} MB (pico de la carga completa)", "—", "—"))
    out.append(("rss_app_mb", f"{_n(rss['app_mb'])} MB (servidor tras dibujar el inicio)",
                f"<= {_n(t['app_rss_mb'])} MB", _ok(rss["app_mb"] is not None and rss["app_mb"] <= t["app_rss_mb"])))
    return out


def table(r: dict) -> str:
    lines = [f"Escala {r['scale']} · {r['machine']['cores']} núcleos, {r['machine']['ram_gib']} GiB, "
             f"{r['machine']['cpu']}, Python {r['machine']['python']} · {r['date']}",
             "", "| figura | valor | objetivo (§3, a 10 M) | cumple |", "|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows(r)]
    return "\n".join(lines)


def _slowest_render(d: dict) -> str:
    seconds, title = max((p["render_first"], p["title"]) for p in d["pages"].values())
    return f"{_s(seconds)} ({title})"


def growth_table(docs: list[dict]) -> str:
    """One column per scale (docs/scaling.md): how each cost grows with the rows."""
    docs = sorted(docs, key=lambda d: d["rows"]["measurements"])
    head = "| figure | " + " | ".join(f"S = {d['scale']:g}" for d in docs) + " |"
    lines = [head, "|---" * (len(docs) + 1) + "|"]

    def line(label, fn):
        lines.append(f"| {label} | " + " | ".join(fn(d) for d in docs) + " |")

    line("measurement rows", lambda d: _n(d["rows"]["measurements"]))
    line("budget rows", lambda d: _n(d["rows"]["budget"]))
    line("warehouse file", lambda d: f"{d['rows']['warehouse_mb']:.0f} MB")
    line("load end to end", lambda d: f"{d['load']['seconds']:.0f} s, {_n(d['load']['rows_per_s'])} rows/s")
    line("last load (1 row + materialise)", lambda d: _s(d["load"]["per_file"][-1]["seconds"]))
    line("raw insert", lambda d: f"{_n(d['load']['raw_insert_rows_per_s'])} rows/s")
    for key in ("process_floor_s", "one_row_load_s", "one_row_load_warehouse_s", "revert_s", "revert_warehouse_s",
                "agreement_save_s"):
        line(key, lambda d, k=key: _s(d["small_writes"][k]) if k in d["small_writes"] else "—")
    for key in ("week_load_rows", "week_load_s", "week_load_warehouse_s", "week_revert_s", "week_revert_warehouse_s"):
        line(key, lambda d, k=key: "—" if "week_load" not in d else
             (_n(d["week_load"][k]) if k.endswith("rows") else _s(d["week_load"][k])))
    line("scan floor p50", lambda d: _s(d["scan_floor"]["p50"]))
    for stem in docs[-1]["pages"]:
        line(f"{stem}: cold / p50", lambda d, s=stem: f"{_s(d['pages'][s]['cold'])} / {_s(d['pages'][s]['p50'])}")
    line("slowest first render", _slowest_render)
    line("cold start to drawn home", lambda d: _s(d["cold_start"]["seconds"]))
    line("peak RSS loader / app", lambda d: f"{_n(d['rss']['loader_mb'])} / {_n(d['rss']['app_mb'])} MB")
    return "\n".join(lines)
