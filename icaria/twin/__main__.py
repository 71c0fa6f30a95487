"""``python -m icaria.twin``: regenerate the simulated twin's data files."""

import sys

from icaria.twin import main

sys.exit(main())
