"""`python -m widgets COMMAND ...` is the `lowback` command line (widgets/cli.py)."""

import sys

from widgets.cli import main

sys.exit(main())
