"""Command-line commands of the subsystems, registered by ufdesk.cli."""
