"""Entry point of the PyInstaller bundle (installer.spec): the ``ufdesk`` command line, which
opens the GUI when given no command. Not for use from a source checkout (use ``python -m ufdesk``)."""

import multiprocessing
import os
import sys

# A large import checks rows in a helper process (ufdesk/exchange/parallel_check.py), which
# starts this program again with multiprocessing's own arguments: hand those over first.
multiprocessing.freeze_support()

if sys.stdout is None or sys.stderr is None:  # ufdesk-gui.exe on Windows has no console
    _devnull = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 — lives as long as the program
    sys.stdout = sys.stdout or _devnull
    sys.stderr = sys.stderr or _devnull

from ufdesk.__main__ import main  # noqa: E402

sys.exit(main())
