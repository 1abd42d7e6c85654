"""ufdesk — 县委统战部工作台账."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ufdesk")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.1.0"

APP_NAME = "ufdesk"
APP_TITLE = "统战工作台账"
