"""`python -m pos_grocery`."""

from pos_grocery.cli import main

raise SystemExit(main())
