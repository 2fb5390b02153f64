#!/usr/bin/env python
"""Keep the French and Spanish catalogues in step with the code.

    .venv/bin/python locale/translate.py update            # makemessages for every language
    .venv/bin/python locale/translate.py todo > todo.json  # untranslated and fuzzy messages, as JSON
    .venv/bin/python locale/translate.py merge done.json   # write the filled-in JSON back
    .venv/bin/python locale/translate.py status            # counts per language; exit 1 if anything is left

`todo` gives {"fr": [{"msgid": …, "msgstr": ""}, …], "es": […]}; a fuzzy item
(the English changed) carries "previous_msgid" and the old translation to
start from; a plural item has "msgid_plural" and "msgstr_plural"
{"0": …, "1": …}. Fill in the translations and `merge` the same file: an item is
refused (nothing written) if a form is empty or its placeholders differ from
the English. Then `manage.py compilemessages` (or `make install`) and the tests.
"""

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dcplan.settings")


def main(argv: list[str] | None = None) -> int:
    import django

    django.setup()
    from dcplan import catalogues

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("update", help="extract the messages from the code into every catalogue")
    todo = sub.add_parser("todo", help="print the untranslated and fuzzy messages as JSON")
    todo.add_argument("--language", action="append", help="only this language (repeatable)")
    merge = sub.add_parser("merge", help="write translations from a JSON file into the catalogues")
    merge.add_argument("file", type=Path)
    sub.add_parser("status", help="how many messages are left per language")
    args = parser.parse_args(argv)

    if args.command == "update":
        catalogues.update()
        args.command = "status"
    if args.command == "todo":
        json.dump(catalogues.todo(args.language), sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    if args.command == "merge":
        try:
            taken = catalogues.merge(json.loads(args.file.read_text(encoding="utf-8")))
        except ValueError as error:
            print(f"Nothing written:\n{error}", file=sys.stderr)
            return 1
        for language, count in taken.items():
            print(f"{language}: {count} translations written")
        return 0
    left = 0
    for language, items in catalogues.todo().items():
        fuzzy = sum(1 for item in items if item["fuzzy"])
        print(f"{language}: {len(items) - fuzzy} untranslated, {fuzzy} fuzzy")
        left += len(items)
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main())
