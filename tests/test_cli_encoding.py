"""Output on a Windows code page: no command ends in UnicodeEncodeError, JSON is always UTF-8.

Every command is found from the argparse tree (so commands added later are covered too) and run
in a subprocess with PYTHONIOENCODING set to cp1252 (a Western Windows) and cp936 (Chinese Windows).
"""

from __future__ import annotations

import json

import pytest
from cli_tree import commands, run, run_each, run_many

ENCODINGS = ["cp1252", "cp936"]


def _no_crash(r, what):
    stderr = r.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr and "UnicodeEncodeError" not in stderr, f"{what}: {stderr}"


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_every_commands_help_and_usage_error_survive_the_code_page(encoding, tmp_path):
    cmds = commands()
    assert len(cmds) >= 20  # the whole tree, not just the top level
    env = {"PYTHONIOENCODING": encoding, "UFDESK_HOME": str(tmp_path / "home")}
    helps = run_each([[*c.path, "--help"] for c in cmds], env=env)
    # a usage error: an option no command has (the gui command would open a window otherwise)
    bad = run_each([[*c.path, "--no-such-option"] for c in cmds], env=env)
    for c, h, b in zip(cmds, helps, bad, strict=True):
        _no_crash(h, f"{c} --help")
        assert h.returncode == 0, f"{c} --help: {h.stderr!r}"
        text = h.stdout.decode(encoding)  # the stream's own code page, nothing else
        if encoding == "cp936":  # Chinese survives a Chinese code page intact
            assert "用法：" in text and "显示本帮助并退出" in text, f"{c}: {text}"
        else:  # what cp1252 cannot show is replaced, the rest stays
            assert "?" in text and f"ufdesk {' '.join(c.path)}" in text
        _no_crash(b, f"{c} --no-such-option")
        assert b.returncode == 2, f"{c}: {b.returncode} {b.stderr!r}"
        if encoding == "cp936":
            assert "用法错误：" in b.stderr.decode("cp936")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("enc") / "演示县.db"
    r = run(["demo", "--db", db, "--size", "60"], env={"PYTHONIOENCODING": "cp1252"})
    _no_crash(r, "demo")
    assert r.returncode == 0
    return db


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_work_that_prints_chinese_runs_on_the_code_page(encoding, demo_db, tmp_path):
    env = {"PYTHONIOENCODING": encoding, "UFDESK_HOME": str(tmp_path / "home")}
    jobs = [
        ["stats", "--db", demo_db],
        ["check", "--db", demo_db],
        ["report", "monthly", "--db", demo_db, "--out", tmp_path / "月报.pdf", "--month", "2026-10"],
        ["export-xlsx", "--db", demo_db, "--ledger", "代表人士", "--out", tmp_path / "代表人士.xlsx"],
        ["user", "list", "--db", demo_db],
        ["package", "log", "--db", demo_db],
        ["audit", "--db", demo_db, "--limit", "5"],
        ["import-xlsx", "--db", demo_db, "--ledger", "代表人士", tmp_path / "没有这个文件.xlsx"],
    ]
    results = run_many([(j, env) for j in jobs])
    for job, r in zip(jobs, results, strict=True):
        _no_crash(r, job[0])
    assert [r.returncode for r in results] == [0, 0, 0, 0, 0, 0, 0, 1]
    stats = results[0].stdout.decode(encoding)
    if encoding == "cp936":
        assert "代表人士：60" in stats and "没有这个文件.xlsx" in results[-1].stderr.decode("cp936")
    else:
        assert "?????60" in stats.replace("：", "?")
    assert (tmp_path / "月报.pdf").stat().st_size > 1000 and (tmp_path / "代表人士.xlsx").exists()


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_json_output_is_utf8_on_every_code_page(encoding, demo_db, tmp_path):
    """Every command with --json (found from the tree) writes UTF-8 JSON, whatever the code page."""
    env = {"PYTHONIOENCODING": encoding, "UFDESK_HOME": str(tmp_path / "home")}
    fill = {"--db": demo_db, "--month": "2026-10"}
    jobs = []
    for c in commands():
        opts = {o for a in c.actions() for o in a.option_strings}
        required = [a for a in c.actions() if a.required]
        if "--json" not in opts or not all(set(a.option_strings) & set(fill) for a in required):
            continue
        jobs.append([*c.path, "--json", "--db", demo_db, *(["--month", "2026-10"] if "--month" in opts else []),
                     *(["--year", "2026"] if "--year" in opts else [])])
    assert {j[0] for j in jobs} >= {"stats", "package", "conflicts", "completeness"}
    for job, r in zip(jobs, run_each(jobs, env=env), strict=True):
        _no_crash(r, job)
        assert r.returncode == 0, (job, r.stderr)
        try:  # strict UTF-8: a code page's bytes fail here (use cli.out_json for JSON)
            json.loads(r.stdout.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise AssertionError(f"{' '.join(job[:2])}: JSON is not UTF-8 ({exc})") from None
    stats = json.loads(run(["stats", "--db", demo_db, "--json"], env=env).stdout.decode("utf-8"))
    assert stats["representatives"] == 60
