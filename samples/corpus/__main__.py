"""``python -m samples.corpus --count N --out DIR --seed S`` (from the repository root)."""

import sys

from samples.corpus.generate import main

sys.exit(main())
