"""Numbered schema migrations, applied in order by a writer that opens the warehouse (warehouse.schema).

Each migration `N` brings a warehouse from version N-1 to N. It runs on the writer's private copy of
the catalog with the side files (`facts`, `ops`) attached read-write, and must be idempotent: a
migration killed half-way leaves the live catalog at the old version (its copy is discarded), so the
next writer runs it again from the start over whatever the side files hold.
"""
from warehouse.migrations import m002_side_files, m003_audit_log

MIGRATIONS = {2: m002_side_files.migrate, 3: m003_audit_log.migrate}
LATEST = max(MIGRATIONS)
