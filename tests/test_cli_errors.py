"""Every CLI error is one Chinese sentence: exit 1 for an error, exit 2 for a usage error, never a
traceback or an English message. The commands are found from the argparse tree, so commands
added later are walked too, each with every kind of bad argument it can take."""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys

import pytest
from cli_tree import commands, run, run_each

ALLOWED = {  # Latin words a Chinese sentence may hold: names of things, not English prose
    "ufdesk", "json", "csv", "excel", "pdf", "word", "sqlite", "postgresql", "uuid", "gbk", "utf", "usb", "xlsx",
    "xls", "ods", "docx", "ufpkg", "check", "restore", "diagnostics", "ufdesk_user", "ufdesk_password",
    "ufdesk_passphrase", "yyyy", "gb", "representatives", "chambers", "sites", "proposals", "cadres", "activities",
}


def _tokens_of(cmd) -> set[str]:
    found = set(cmd.path) | {"db"}
    for a in cmd.actions():
        found |= {o.lstrip("-") for o in a.option_strings} | {str(c) for c in (a.choices or ())}
        found |= {str(a.metavar or ""), a.dest}
    return {t.lower() for t in found}


def assert_one_chinese_sentence(r, cmd, argv, code):
    stderr = r.stderr.decode("utf-8")
    what = f"ufdesk {' '.join(map(str, argv))}"
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, f"{what}:\n{stderr}"
    assert r.returncode == code, f"{what}: exit {r.returncode}, expected {code}:\n{stderr}"
    prefix = "用法错误：" if code == 2 else "错误："
    sentences = [line for line in stderr.splitlines() if line.startswith(prefix)]
    assert len(sentences) == 1, f"{what}: {stderr}"
    rest = sentences[0]
    for value in map(str, argv):  # what the user typed is quoted back, not judged
        rest = rest.replace(value, "")
    rest = re.sub(r"--?[\w-]+", "", rest)
    english = {w for w in re.findall(r"[A-Za-z_]{2,}", rest)  # identifiers (setting keys, PACKAGE_ID) are names
               if "_" not in w and w.lower() not in ALLOWED | _tokens_of(cmd)}
    assert not english, f"{what}: English in {sentences[0]!r}: {english}"


def _filler(action, tmp) -> str:
    """A value that parses for a required argument."""
    if action.choices:
        return str(next(iter(action.choices)))
    if action.type not in (None, str):
        return "1"
    return {"month": "2026-10", "ledger": "代表人士", "county_code": "510599", "county": "测试县",
            "role": "admin", "take": "mine"}.get(action.dest, str(tmp / f"{action.dest}.文件"))


def _valid_argv(cmd, tmp, db, without: str | None = None) -> list[str]:
    """Options first, then positionals (a sub-command's parent must not mistake one for its verb)."""
    options, positionals = [], []
    for a in cmd.actions():
        if a.option_strings and a.option_strings[0] == without:
            continue
        if a.dest == "db":
            options += ["--db", str(db)]
        elif a.required and a.option_strings:
            options += [a.option_strings[0], _filler(a, tmp)]
        elif a.required:
            positionals.append(_filler(a, tmp))
    return [*cmd.path, *options, *positionals]


def test_every_command_and_every_kind_of_bad_argument(tmp_path):
    cmds = [c for c in commands() if c.runnable]
    assert len(cmds) >= 20
    folder = tmp_path / "一个文件夹"
    folder.mkdir()
    garbage = tmp_path / "坏的.db"
    garbage.write_bytes(b"not a database at all" * 200)
    cases: list[tuple] = []  # (command, argv, expected exit code)
    for c in cmds:
        required = [a for a in c.actions() if a.required]
        if required:
            cases.append((c, list(c.path), 2))  # nothing given
        cases.append((c, [*c.path, "--no-such-option"], 2))
        valid = _valid_argv(c, tmp_path, garbage)
        for a in c.actions():
            opt = a.option_strings[0] if a.option_strings else None
            if a.type not in (None, str) and opt and a.nargs != 0:
                cases.append((c, [*_valid_argv(c, tmp_path, garbage, without=opt), opt, "abc"], 2))  # not a number
            if a.choices and opt:
                cases.append((c, [*_valid_argv(c, tmp_path, garbage, without=opt), opt, "没有这个值"], 2))
            if opt and a.nargs is None and a.type in (None, str) and not a.choices:
                cases.append((c, [*_valid_argv(c, tmp_path, garbage, without=opt), opt], 2))  # no value
        # gui opens a window; diagnostics reports a broken database inside its zip (exit 0)
        if any(a.dest == "db" for a in c.actions()) and c.path[0] not in ("gui", "diagnostics"):
            cases.append((c, valid, 1))  # garbage for a database
            cases.append((c, _valid_argv(c, tmp_path, folder), 1))  # a folder for a database
            if c.path[0] not in ("init", "demo"):  # those create it
                cases.append((c, _valid_argv(c, tmp_path, tmp_path / "没有这个库.db"), 1))
    env = {"UFDESK_HOME": str(tmp_path / "home"), "UFDESK_PASSWORD": "", "UFDESK_PASSPHRASE": ""}
    results = run_each([argv for _, argv, _ in cases], env=env)
    for (c, argv, code), r in zip(cases, results, strict=True):
        assert_one_chinese_sentence(r, c, argv, code)
    assert len(cases) > 150
    assert garbage.read_bytes() == b"not a database at all" * 200  # left as it was


def test_argparse_speaks_chinese():
    r = run(["--help"])
    text = r.stdout.decode()
    assert "用法：" in text and "选项" in text and "usage" not in text and "options" not in text
    r = run(["audit", "--db", "x.db", "--limit", "x"])
    assert r.returncode == 2 and "参数 --limit：“x”不是有效的整数。" in r.stderr.decode()
    r = run(["report", "foo", "--db", "x.db", "--out", "x.pdf"])
    assert "无效的值“foo”（可选：monthly、roster、" in r.stderr.decode() and "choose" not in r.stderr.decode()


# -- the cases the issue names -----------------------------------------------------------------
def test_init_on_a_path_that_cannot_be_created(tmp_path):
    (tmp_path / "places.csv").write_text("代码,名称\n510599100,城关镇\n", encoding="utf-8")
    blocker = tmp_path / "是个文件.txt"
    blocker.write_text("x")
    for db in [blocker / "county.db", *(["/proc/ufdesk-no/county.db"] if sys.platform.startswith("linux") else [])]:
        r = run(["init", "--db", db, "--county", "测试县", "--county-code", "510599", "--townships",
                 tmp_path / "places.csv"], env={"UFDESK_HOME": str(tmp_path / "home")})
        stderr = r.stderr.decode()
        assert r.returncode == 1 and "Traceback" not in stderr and stderr.startswith("错误："), stderr
        assert len(stderr.strip().splitlines()) == 1 and str(db) in stderr


def test_demo_with_a_negative_size_is_a_usage_error(tmp_path):
    r = run(["demo", "--db", tmp_path / "d.db", "--size", "-5"])
    assert r.returncode == 2 and "参数 --size：“-5”不是有效的正整数。" in r.stderr.decode()
    assert not (tmp_path / "d.db").exists()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("err") / "demo.db"
    assert run(["demo", "--db", db, "--size", "30"]).returncode == 0
    return db


def test_export_to_a_folder_says_so_once(demo_db, tmp_path):
    r = run(["export-xlsx", "--db", demo_db, "--ledger", "代表人士", "--out", tmp_path])
    stderr = r.stderr.decode().replace("\r\n", "\n")
    assert r.returncode == 1 and stderr == f"错误：“{tmp_path}”是一个文件夹，这里需要一个文件名。\n", stderr


def test_output_into_a_closed_pipe_ends_quietly(demo_db):
    """``ufdesk stats | head -0``: the reader is gone before we write."""
    read, write = os.pipe()
    os.close(read)
    p = subprocess.run([sys.executable, "-m", "ufdesk", "stats", "--db", str(demo_db)], stdout=write,
                       stderr=subprocess.PIPE)
    os.close(write)
    assert p.returncode == 1 and p.stderr == b"", p.stderr.decode()


def test_conflicts_without_db_shows_the_conflicts_usage():
    for argv in (["conflicts"], ["conflicts", "resolve", "3", "--take", "mine"]):
        r = run(argv)
        lines = r.stderr.decode().splitlines()
        assert r.returncode == 2 and lines[0].startswith(f"用法：ufdesk {' '.join(argv[:2 if len(argv) > 1 else 1])} ")
        assert lines[-1] == "用法错误：缺少必需的参数 --db。"


def test_types_in_the_tree_are_named_in_chinese():
    for c in commands():
        for a in c.actions():
            assert a.type not in (int, float), f"{c} {a.dest}: type={a.type.__name__} is shown in English"
    assert isinstance(argparse._("usage: "), str) and argparse._("usage: ") == "用法："
