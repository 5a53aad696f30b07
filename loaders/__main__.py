"""`python -m loaders ...` (see loaders.cli)."""
import sys

from loaders.cli import main

sys.exit(main())
