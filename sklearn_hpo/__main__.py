"""``python -m sklearn_hpo``: the ``sklearn-hpo`` command line."""

import sys

from sklearn_hpo.cli import main

if __name__ == "__main__":
    sys.exit(main())
