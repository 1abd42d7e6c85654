"""The command line's standard streams on any code page (a Windows console, output redirected to a
file, ``PYTHONIOENCODING``).

Text goes out as UTF-8 where the stream lets us choose (a file or a pipe without an explicit
``PYTHONIOENCODING``); where the encoding is fixed — a console's code page, or one the user set —
characters the code page cannot show become ``?`` instead of ending the command in a
``UnicodeEncodeError``. JSON is always written as UTF-8 bytes, whatever the stream's encoding, so a
program reading it never depends on the office PC's locale.
"""

from __future__ import annotations

import codecs
import os
import sys


def _is_utf8(stream) -> bool:
    try:
        return codecs.lookup(stream.encoding or "ascii").name == "utf-8"
    except LookupError:
        return False


def setup_streams() -> None:
    """Make stdout and stderr safe for Chinese text (idempotent; streams without ``reconfigure``,
    such as test captures, are left alone)."""
    explicit = bool(os.environ.get("PYTHONIOENCODING"))
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name, None)
        if stream is None or not hasattr(stream, "reconfigure"):
            continue
        try:
            if _is_utf8(stream):
                if stream.errors == "strict":  # lone surrogates from undecodable file names
                    stream.reconfigure(errors="replace")
            elif not explicit and not stream.isatty():
                stream.reconfigure(encoding="utf-8", errors="replace")
            else:
                stream.reconfigure(errors="replace")
        except (ValueError, OSError):  # a closed or detached stream: nothing to mend
            continue


def write_json(text: str) -> None:
    """One line of JSON on stdout, encoded as UTF-8 whatever the stream's code page."""
    stream = sys.stdout
    if _is_utf8(stream) or not hasattr(stream, "buffer"):
        print(text, file=stream)
        return
    stream.flush()
    stream.buffer.write(text.encode("utf-8") + b"\n")
    stream.buffer.flush()
