"""Qt's own texts that the bundled qtbase_zh_CN.qm lacks (this Qt writes them with a mnemonic the
translation file does not know yet), in the words the rest of Qt's Chinese uses."""

from __future__ import annotations

from PySide6.QtCore import QTranslator

MISSING = {
    ("QFileDialog", "&Look in:"): "查找范围(&L)：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
}


class Supplement(QTranslator):
    """Answers only for the texts above; every other text is left to qtbase_zh_CN."""

    def translate(self, context, source, disambiguation=None, n=-1):  # noqa: D102 — Qt's virtual
        return MISSING.get((context, source), "")

    def isEmpty(self) -> bool:  # noqa: N802 — Qt's name
        return False
