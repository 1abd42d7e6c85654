"""Exchange with the outside world: Excel import and export, USB transfer packages."""
