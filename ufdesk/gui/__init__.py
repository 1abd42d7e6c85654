"""The desktop GUI: PySide6 and pyqtgraph live here and nowhere else."""
