"""Great Expectations suites (JSON) for the loaders; see build_suites.py."""
