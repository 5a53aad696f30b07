"""The query layer: every page and every export asks these functions, passing a Viewer."""
from warehouse.queries.reference import (  # noqa: F401
    departments, indicators_catalog, municipalities, programs, programs_export, status, targets_table)
from warehouse.queries.progress import progress, progress_export  # noqa: F401
from warehouse.queries.quality import quarantine_rows  # noqa: F401
from warehouse.queries.logframe import logframe_export  # noqa: F401
from warehouse.queries import analytics  # noqa: F401,E402  (issue 13: value chain, forecast, focalización)
from warehouse.queries.coverage import coverage_export  # noqa: F401
