"""Django's JSON serializer, keeping every microsecond.

DjangoJSONEncoder cuts date-times and times to milliseconds (as ECMA-262
does), so a value with 1–999 microseconds would not come back as the
database holds it. Backups dump and checksum through this encoder instead;
Django's own JSON deserializer reads the full precision back."""

import datetime

from django.core.serializers.json import (
    Deserializer,  # noqa: F401 - `dumpdata --format` needs one
    DjangoJSONEncoder,
)
from django.core.serializers.json import Serializer as JSONSerializer


class ExactJSONEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time):
            if o.utcoffset() is not None:
                raise ValueError("JSON can't represent timezone-aware times.")
            return o.isoformat()
        return super().default(o)


class Serializer(JSONSerializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = ExactJSONEncoder
