"""Log filters."""

import logging

from dcplan.settings_errors import DATABASE_DOWN, one_line


class OneLineDatabaseErrors(logging.Filter):
    """A request that failed because the database is unreachable logs one line, not a traceback.

    During an outage every request fails the same way; a traceback each
    (tens of lines) buries everything else in the log."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], DATABASE_DOWN):
            message = record.getMessage()
            record.msg = "%s (database unavailable: %s)"
            record.args = (message, one_line(record.exc_info[1]))
            record.exc_info = None
            record.exc_text = None
        return True
