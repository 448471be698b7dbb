"""``python -m harness.install.preflight``: the same as ``python -m harness preflight``."""
import sys

from harness.install.preflight.cli import main

sys.exit(main())
