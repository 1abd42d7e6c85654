"""The pages of 数据交换 (``exchange_dialog.ExchangeDialog``), one module each: 导出到U盘
(``export_page``), 导入数据包 (``import_page``), 收发记录 (``log_page``), 报送情况
(``completeness_page``), 开通 (``enrol_page``). What they share — table helpers, the passphrase box, the message
label — is in ``common``; the drive scan in ``drives``."""
