"""Typed errors of the core. The GUI and the CLI turn them into sentences for the user."""

from __future__ import annotations


class UfError(Exception):
    """Base of every error a user may see. ``str()`` is a Chinese sentence."""


class UnknownLedger(UfError):
    def __init__(self, name: str):
        super().__init__(f"没有名为“{name}”的台账（可用：representatives, chambers, sites, proposals, cadres, activities）")


class UnknownCode(UfError):
    pass


class ValidationError(UfError):
    """One or more fields are invalid. ``problems`` maps field name → message."""

    def __init__(self, problems: dict[str, str], label: str = ""):
        self.problems = dict(problems)
        text = "；".join(f"{k}：{v}" for k, v in self.problems.items())
        super().__init__(f"{label}填写有误：{text}" if label else f"填写有误：{text}")


class NotFound(UfError):
    pass


class StaleRecord(UfError):
    """Somebody else saved the record since it was read (optimistic locking)."""

    def __init__(self, label: str = "记录"):
        super().__init__(f"{label}已被其他人修改并保存，请重新打开后再修改（您的修改未保存）。")


class StoreError(UfError):
    pass


class SchemaTooNew(StoreError):
    def __init__(self, found: str, known: str):
        super().__init__(f"数据库由较新版本的 ufdesk 创建（结构版本 {found}，本程序只认识到 {known}），请先升级 ufdesk。")


class PermissionDenied(UfError):
    pass


class InvalidSetting(UfError):
    """A setting that does not exist, or a value it cannot take."""
