"""What a failed command says: one Chinese sentence on stderr for every kind of failure, never a
traceback (that goes to the log), and argparse's own messages in Chinese.

Exit codes: 1 for an error, 2 for a usage error (argparse, or :class:`UsageError` raised by a
command that finds an option missing only once it runs).
"""

from __future__ import annotations

import argparse
import errno
import logging
import os
import re
import sys

from .domain.errors import UfError
from .store.dberrors import db_error

log = logging.getLogger("ufdesk")
log.addHandler(logging.NullHandler())  # nothing on the user's screen before the log file is set up


class UsageError(UfError):
    """The command line is wrong in a way argparse could not see; exits 2 with the command's usage."""


# argparse's messages (Python 3.11–3.13 wording) in Chinese; argparse looks ``_`` up at call time.
ARGPARSE_ZH = {
    "usage: ": "用法：",
    "positional arguments": "参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "unrecognized arguments: %s": "无法识别的参数 %s",
    "the following arguments are required: %s": "缺少必需的参数 %s",
    "one of the arguments %s is required": "参数 %s 必须给出其中一个",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "不需要值，却给了 %r",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多只能给一个值",
    "expected at least one argument": "至少需要一个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是 %(matches)s",
    "unexpected option string: %s": "多余的选项 %s",
    "invalid %(type)s value: %(value)r": "%(value)r不是有效的%(type)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的值%(value)r（可选：%(choices)s）",
    "%(prog)s: error: %(message)s\n": "%(prog)s：用法错误：%(message)s\n",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "没有命令 %(parser_name)r（可选：%(choices)s）",
}


def _zh(text: str) -> str:
    return ARGPARSE_ZH.get(text, text)


def _nzh(singular: str, plural: str, n: int) -> str:
    if singular == "expected %s argument":
        return "需要 %s 个值"
    return singular if n == 1 else plural


def install_argparse_chinese() -> None:
    argparse._ = _zh
    argparse.ngettext = _nzh


def integer(text: str) -> int:
    return int(text)


def positive_integer(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


def number(text: str) -> float:
    return float(text)


integer.__name__ = "整数"  # argparse names the type in “'x' 不是有效的整数”
number.__name__ = "数字"
positive_integer.__name__ = "正整数"


def chinese_types(parser: argparse.ArgumentParser) -> None:
    """Every ``type=int``/``float`` in the tree (commands added later too) is named in Chinese."""
    for action in parser._actions:
        if action.type is int:
            action.type = integer
        elif action.type is float:
            action.type = number
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                child.set_defaults(_parser=child)
                chinese_types(child)


def usage_message(message: str) -> str:
    """argparse's (already Chinese) message with Chinese quotes and a full stop."""
    head, sep, choices = message.partition("（可选：")
    if sep:  # the choices as a plain list: 可选：monthly、roster …
        message = head + sep + choices.replace("'", "").replace(", ", "、")
    message = re.sub(r"'([^']*)'", r"“\1”", message)
    return message if message.endswith(("。", "）", "！")) else message + "。"


# -- errors while a command runs --------------------------------------------------------------
def _name(exc: OSError) -> str:
    name = exc.filename or ""
    return f"“{os.fspath(name)}”" if name else ""


def os_error(exc: OSError) -> str:
    name = _name(exc)
    code = exc.errno
    winerror = getattr(exc, "winerror", None)
    if code in (errno.EACCES, errno.EISDIR) and exc.filename and os.path.isdir(exc.filename):
        code = errno.EISDIR  # Windows says “access denied” when a folder is opened as a file
    if winerror in (32, 33):  # ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION
        return f"文件{name}正被其他程序使用（例如在 Excel 中打开着），请关闭后重试。"
    messages = {
        errno.ENOENT: f"找不到文件或文件夹{name}。",
        errno.EISDIR: f"{name or '这个路径'}是一个文件夹，这里需要一个文件名。",
        errno.ENOTDIR: f"路径{name}中有一段不是文件夹。",
        errno.EACCES: f"没有权限访问{name or '这个文件'}（请检查文件权限，或换一个位置）。",
        errno.EPERM: f"没有权限访问{name or '这个文件'}（请检查文件权限，或换一个位置）。",
        errno.ENOSPC: f"磁盘已满，{name or '文件'}没有保存（请腾出空间后重试）。",
        errno.EROFS: f"{name or '文件'}所在的磁盘是只读的，不能写入。",
        errno.EEXIST: f"{name or '文件'}已经存在。",
        errno.ENAMETOOLONG: f"文件名太长：{name}。",
        errno.EBUSY: f"文件{name}正被其他程序使用，请关闭后重试。",
        errno.EINVAL: f"文件名{name}无效（含有 Windows 不允许的字符？）。",
    }
    if getattr(errno, "EDQUOT", None):
        messages[errno.EDQUOT] = messages[errno.ENOSPC]
    return messages.get(code, f"文件操作失败{('：' + name) if name else ''}（错误代码 {code}）。")


def describe(exc: BaseException, db: str | None = None) -> str:
    """The one sentence printed for ``exc`` (which ``fail`` has already logged when it is a bug)."""
    if isinstance(exc, UfError):
        return f"错误：{exc}"
    if isinstance(exc, OSError):
        return f"错误：{os_error(exc)}"
    message = db_error(exc)
    if message:
        return f"错误：{message.rstrip('。')}（数据库：{db}）。" if db else f"错误：{message}"
    return "错误：程序内部错误，命令没有完成。详细情况已写入日志，请用“ufdesk diagnostics”导出后交给维护人员。"


def _silence_stdout() -> None:
    """After the reader of our output went away (``ufdesk audit | head``): no more writes, and no
    “Exception ignored … BrokenPipeError” when Python flushes stdout at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _stdout_gone(exc: BaseException) -> bool:
    """Windows reports a pipe closed by its reader as EINVAL (no file name), not EPIPE. Whether
    that EINVAL was stdout's is asked of the pipe itself: the failed write's bytes are dropped
    (flushing again succeeds), but even an empty write into a pipe nobody reads fails
    (ERROR_NO_DATA, EINVAL again), while one into a healthy file, pipe or console writes nothing."""
    if not (isinstance(exc, OSError) and exc.errno == errno.EINVAL and not exc.filename):
        return False
    try:
        sys.stdout.flush()
        os.write(sys.stdout.fileno(), b"")
        return False
    except (OSError, ValueError, AttributeError) as probe:  # ValueError: stdout closed or detached
        return not isinstance(probe, OSError) or probe.errno in (errno.EINVAL, errno.EPIPE)


def fail(exc: BaseException, db: str | None = None) -> int:
    """Report a command's failure: the exit code, after one sentence on stderr."""
    if isinstance(exc, KeyboardInterrupt):
        print("已取消。", file=sys.stderr)
        return 1
    if isinstance(exc, BrokenPipeError) or (isinstance(exc, OSError) and exc.errno == errno.EPIPE) or _stdout_gone(exc):
        _silence_stdout()
        return 1
    if isinstance(exc, UfError):
        log.info("命令失败：%s", type(exc).__name__)  # the sentence may name a person: not logged
    elif isinstance(exc, OSError) or db_error(exc):
        log.warning("命令失败", exc_info=exc)
    else:
        log.error("命令失败", exc_info=exc)
    print(describe(exc, db), file=sys.stderr)
    return 1


def quiet_unraisable(unraisable) -> None:
    """Errors Python cannot raise (a generator's clean-up after the real error, as openpyxl's are
    when saving fails) go to the log, not onto the user's screen."""
    log.debug("忽略的异常：%s", getattr(unraisable, "err_msg", ""),
              exc_info=(unraisable.exc_type, unraisable.exc_value, unraisable.exc_traceback))
