"""`python -m drafting.cli`: the `determine` command line."""

from drafting.cli import main

raise SystemExit(main())
