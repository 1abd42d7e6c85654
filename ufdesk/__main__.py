"""``python -m ufdesk`` and the ``ufdesk`` console script."""

import sys


def main() -> int:
    from .cli import main as cli_main
    from .paths import use_private_temp

    try:
        use_private_temp()  # temporary files in the user's private folder, not the shared /tmp
    except OSError:  # an unwritable user folder: the command says so itself when it needs it
        pass

    return cli_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
