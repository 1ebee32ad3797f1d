"""Allow ``python -m generator`` as well as the ``draftgen`` console script."""

from generator.cli import main

raise SystemExit(main())
