"""Entry point for ``python -m readq``."""

from readq.cli import main

raise SystemExit(main())
