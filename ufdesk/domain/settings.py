"""The settings that belong to the data, declared once: key, Chinese label, type, default,
scope and who may change them.

Scope ``local``: each installation sets its own. Scope ``county``: set at the county office and
carried to the townships by packages (a township cannot change it). Values are stored as text in
the ``settings`` table; ``parse`` turns what a user typed into the typed value (or raises
``InvalidSetting`` with one Chinese sentence), ``text`` turns a value into what is stored.

To add a setting, add one ``Setting(...)`` line to ``SETTINGS``; ``ufdesk setting`` and the
GUI's 设置 dialog pick it up. Read it with ``services.settings.value(store, key)``.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import InvalidSetting

SCOPE_LABELS = {"local": "本机", "county": "全县（县委统战部设定，随数据包下发）"}


@dataclass(frozen=True)
class Setting:
    key: str
    label: str
    type: str  # text / int / bool
    default: object  # the typed default; for text, "{county}" is replaced by the county's name
    scope: str = "local"  # local / county
    permission: str = "admin"  # the permission (Services.ROLE_PERMISSIONS) needed to change it
    minimum: int | None = None
    maximum: int | None = None
    max_len: int | None = None
    unit: str = ""  # shown after a number: 分钟, 日, 年
    zero_text: str = ""  # what 0 means, when it means something (idle lock: 从不)
    help: str = ""

    def parse(self, raw: object) -> object:
        """The typed value of ``raw`` (text from a command line or a field, or a typed value)."""
        if self.type == "int":
            return self._int(raw)
        if self.type == "bool":
            return self._bool(raw)
        text = "" if raw is None else str(raw).strip()
        if not text:
            raise InvalidSetting(f"设置“{self.label}”不能为空。")
        if self.max_len and len(text) > self.max_len:
            raise InvalidSetting(f"设置“{self.label}”最多 {self.max_len} 个字，现在是 {len(text)} 个字。")
        if "\n" in text or "\r" in text:
            raise InvalidSetting(f"设置“{self.label}”应写在一行内。")
        return text

    def _int(self, raw: object) -> int:
        if isinstance(raw, bool):
            raise InvalidSetting(f"设置“{self.label}”应为整数。")
        if isinstance(raw, int):
            n = raw
        else:
            text = "" if raw is None else str(raw).strip().translate({i: i - 0xFEE0 for i in range(0xFF10, 0xFF1A)})
            try:
                n = int(text)
            except ValueError:
                raise InvalidSetting(f"设置“{self.label}”应为整数，“{text}”不是整数。") from None
        if (self.minimum is not None and n < self.minimum) or (self.maximum is not None and n > self.maximum):
            raise InvalidSetting(f"设置“{self.label}”应在 {self.minimum} 到 {self.maximum}{self.unit}之间，"
                                  f"“{n}”超出范围。")
        return n

    def _bool(self, raw: object) -> bool:
        if isinstance(raw, bool):
            return raw
        text = "" if raw is None else str(raw).strip().lower()
        if text in ("true", "1", "yes", "on", "是", "开"):
            return True
        if text in ("false", "0", "no", "off", "否", "关"):
            return False
        raise InvalidSetting(f"设置“{self.label}”应为 true（是）或 false（否），“{text}”不是。")

    def text(self, value: object) -> str:
        if self.type == "bool":
            return "true" if value else "false"
        return str(value)

    def from_stored(self, stored: str | None, default: object) -> object:
        """The typed value of what the table holds; a stored value that no longer parses (written
        by hand, or by an older version with other limits) falls back to the default."""
        if stored is None:
            return default
        try:
            return self.parse(stored)
        except InvalidSetting:
            return default


SETTINGS: dict[str, Setting] = {s.key: s for s in [
    Setting("unit_name", "单位名称（报表落款）", "text", "中共{county}委统战部", scope="local", max_len=60,
            help="报表页眉和落款中的单位名称"),
    Setting("report_due_day", "月报截止日", "int", 28, scope="county", minimum=1, maximum=31, unit="日",
            help="乡镇每月应在该日前报送上月数据包（报送情况表据此判断是否逾期）"),
    Setting("idle_lock_minutes", "无操作自动锁定", "int", 15, scope="local", minimum=0, maximum=240, unit="分钟",
            zero_text="从不", help="无操作多久后锁定窗口，需重新输入密码；0 表示从不锁定"),
    Setting("retention_years", "人员记录保留期限", "int", 5, scope="local", minimum=1, maximum=50, unit="年",
            help="退出、去世或离任满该年数的人员记录可按期限清除"),
    Setting("require_enrolment", "只接收已开通安装签名的数据包", "bool", False, scope="local",
            help="打开后，没有签名（发送方未开通）的数据包一律拒收；新建的数据库默认打开，"
                 "升级来的数据库在全县开通后打开"),
]}


def setting(key: str) -> Setting:
    """The declared setting ``key``; an unknown key is refused with the list of known ones."""
    found = SETTINGS.get(key)
    if found is None:
        raise InvalidSetting(f"没有名为“{key}”的设置。可用的设置：{'、'.join(SETTINGS)}。")
    return found
