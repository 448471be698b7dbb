"""``python -m harness.diagnose LOGFILE [--json]``."""
from harness.diagnose.cli import main

raise SystemExit(main())
