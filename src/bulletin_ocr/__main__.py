"""``python -m bulletin_ocr`` runs the command line."""

from bulletin_ocr.cli import main

if __name__ == "__main__":
    main()
