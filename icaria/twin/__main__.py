import sys

from icaria.twin import main

sys.exit(main())
