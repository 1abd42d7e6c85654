"""The command tree as argparse holds it, so tests that walk every command cover commands added later,
and a helper to run ``ufdesk`` in a subprocess with a chosen environment."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from ufdesk.cli import build_parser


@dataclass
class Command:
    path: tuple[str, ...]
    parser: argparse.ArgumentParser

    @property
    def runnable(self) -> bool:  # has a function of its own (not only sub-commands)
        return self.parser.get_default("func") is not None

    def actions(self):
        return [a for a in self.parser._actions
                if not isinstance(a, (argparse._HelpAction, argparse._SubParsersAction))]

    def __str__(self) -> str:
        return " ".join(self.path)


def commands() -> list[Command]:
    """Every command and sub-command (``package export``, ``conflicts``, ``conflicts resolve`` …)."""
    found: list[Command] = []

    def walk(parser, path):
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if path:
            found.append(Command(tuple(path), parser))
        for action in subs:
            for name, child in action.choices.items():
                walk(child, [*path, name])

    walk(build_parser(), [])
    return found


def run(args, *, env: dict | None = None, cwd=None, timeout: float = 120) -> subprocess.CompletedProcess:
    """``ufdesk ARGS`` in a subprocess; output as bytes (the test decides the encoding)."""
    full = dict(os.environ)
    full.update(env or {})
    return subprocess.run([sys.executable, "-m", "ufdesk", *map(str, args)], capture_output=True,
                          env=full, cwd=cwd, timeout=timeout, stdin=subprocess.DEVNULL)


_DRIVER = r"""
import json, sys, traceback
from ufdesk.cli import main
for n, argv in enumerate(json.loads(sys.stdin.buffer.read().decode("utf-8"))):
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
        stream.buffer.write(b"\0run %d\0\n" % n)
        stream.buffer.flush()
    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code
    except BaseException:
        traceback.print_exc()
        code = "traceback"
    sys.stdout.flush()
    sys.stderr.flush()
    sys.stdout.buffer.write(b"\0code %s\0\n" % str(code).encode())
"""


@dataclass
class Result:
    returncode: object
    stdout: bytes
    stderr: bytes


def run_each(argvs: list[list], *, env: dict | None = None) -> list[Result]:
    """Each argv through ``ufdesk.cli.main`` in ONE subprocess with real pipes (so the code page and
    PYTHONIOENCODING apply as they do to ``ufdesk``) — for walks of the whole tree that would
    otherwise start Python a hundred times."""
    import json
    import re

    full = dict(os.environ)
    full.update(env or {})
    # the list through stdin: Windows caps a command line at 32,767 characters
    p = subprocess.run([sys.executable, "-c", _DRIVER], input=json.dumps([[str(a) for a in argv] for argv in argvs]).encode(),
                       capture_output=True, env=full, timeout=600)
    outs = re.split(rb"\0run \d+\0\n", p.stdout)[1:]
    errs = re.split(rb"\0run \d+\0\n", p.stderr)[1:]
    assert len(outs) == len(errs) == len(argvs), (p.returncode, p.stderr[-2000:])
    results = []
    for o, e in zip(outs, errs, strict=True):
        body, _, code = o.rpartition(b"\0code ")
        code = code.split(b"\0")[0].decode()
        results.append(Result(int(code) if code.lstrip("-").isdigit() else (0 if code == "None" else code), body, e))
    return results


def run_many(jobs: list[tuple[list, dict]], workers: int = 3) -> list[subprocess.CompletedProcess]:
    """Several independent runs at once (each ~0.15 s of start-up)."""
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(lambda job: run(job[0], env=job[1]), jobs))
