"""``python -m load``: see :mod:`load.run`."""
import sys

from .run import main

sys.exit(main())
