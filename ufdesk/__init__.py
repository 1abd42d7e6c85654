"""ufdesk — 县委统战部工作台账."""

# As in pyproject.toml (tests/test_setup.py checks they agree). Not asked of importlib.metadata:
# that scans every installed distribution and imports email, zipfile and csv, a tenth of a
# second of every start.
__version__ = "0.1.0"

APP_NAME = "ufdesk"
APP_TITLE = "统战工作台账"
