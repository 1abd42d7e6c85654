"""What the home page shows, gathered in one worker job from the statistics services."""

from __future__ import annotations

import datetime as dt

from ..services import stats

LIST_LIMIT = 8  # names listed on a card before "等 N 个"


def this_month(today: dt.date | None = None) -> str:
    return (today or dt.date.today()).strftime("%Y-%m")


def unreported(svc, month: str) -> list[tuple[str, str]]:
    """Townships whose data for the month has not arrived (the transfer engineer's report)."""
    from ..exchange.completeness import missing

    return missing(svc, month)


def gather(svc, today: dt.date | None = None) -> dict:
    """Every figure of the home page (runs on the worker); the statistics read through ``svc``."""
    store = svc  # the read-only statistics take a Services where they take a store
    today = today or dt.date.today()
    present_filter = stats.present_filter(store, today)  # 在册 as at today (DOMAIN.md), not 状态 alone
    present = stats.present_reps(present_filter)
    months = stats.last_months(12, stats.add_months(today, 1))  # the last 12 months, this one included
    cov = stats.coverage(store, today, township=svc.township)  # a township PC: its own gaps
    return {
        "today": today,
        "present_filter": present_filter,
        "totals": stats.totals(store),
        "kinds": stats.group_count(store, "representatives", "kinds", present),
        "party": stats.group_count(store, "representatives", "party", present),
        "ages": stats.age_bands(store, "representatives", present, today),
        "proposal_status": stats.group_count(store, "proposals", "status"),
        "overdue": len(stats.overdue_proposals(store, today)),
        "issues": stats.open_issues(store, overdue_only=True, today=today),
        "open_issues": len(stats.open_issues(store, today=today)),
        "no_committee": cov["townships_without_committee"],
        "no_liaison": cov["villages_without_liaison"],
        "townships": cov["townships"],
        "villages": cov["villages"],
        "month": this_month(today),
        "unreported": unreported(store, this_month(today)) if store.township is None else None,
        "activities": stats.per_month(store, "activities", months),
        "tasks": task_figures(store, stats.last_months(1, today)[0]),
    }


def task_figures(svc, month: str) -> dict:
    """重点任务 as at the last reported month's end (services.tasks)."""
    from ..services.tasks import month_figures

    return month_figures(svc, month)
