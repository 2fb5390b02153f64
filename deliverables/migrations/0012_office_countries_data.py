"""The countries of the 32 field offices of fixtures/offices.json, for databases
that loaded the offices before offices recorded their countries."""

from django.db import migrations

OFFICE_COUNTRIES = {
    "RO-ABIDJAN": ["CI", "BF", "ML", "NE", "SN", "TG", "BJ", "GN"],
    "DWT-PRETORIA": ["ZA", "BW", "LS", "SZ", "NA", "ZW"],
    "DWT-CAIRO": ["EG", "ER", "SD", "LY", "TN", "MA", "DZ"],
    "DWT-YAOUNDE": ["CM", "GQ", "ST", "CF", "TD", "GA", "CG", "CD"],
    "CO-ABUJA": ["NG", "GH", "LR", "SL"],
    "CO-DARESSALAAM": ["TZ", "KE", "RW", "UG"],
    "CO-LUSAKA": ["ZM", "MW", "MZ"],
    "RO-LIMA": ["PE", "MX", "CO", "EC", "BO", "VE"],
    "DWT-PORTOFSPAIN": ["TT", "JM", "BB", "BS", "GY", "SR", "BZ", "AG", "DM", "GD", "KN", "LC", "VC"],
    "DWT-LIMA": ["PE", "BO", "CO", "EC", "VE"],
    "DWT-SANTIAGO": ["CL", "PY", "UY"],
    "DWT-SANJOSE": ["CR", "SV", "GT", "HN", "NI", "PA", "HT", "DO"],
    "CO-BRASILIA": ["BR"],
    "CO-BUENOSAIRES": ["AR"],
    "RO-BEIRUT": ["LB", "JO", "SY", "IQ", "YE", "OM", "SA", "AE", "BH"],
    "DWT-BEIRUT": ["LB", "JO", "SY", "IQ", "YE", "OM", "SA", "AE", "BH"],
    "CO-KUWAIT": ["KW"],
    "CO-JERUSALEM": ["PS"],
    "CO-DOHA": ["QA"],
    "RO-BANGKOK": ["TH", "KH", "LA", "MM", "MY", "PH"],
    "DWT-BANGKOK": ["TH", "KH", "LA", "MM", "MY", "PH", "PG", "FJ"],
    "DWT-NEWDELHI": ["IN", "NP", "LK", "BT", "MV", "AF", "IR"],
    "CO-DHAKA": ["BD"],
    "CO-JAKARTA": ["ID", "TL"],
    "CO-HANOI": ["VN"],
    "CO-BEIJING": ["CN", "MN"],
    "CO-ISLAMABAD": ["PK"],
    "RO-GENEVA": ["CH", "TR", "UA", "RS", "BA", "AL"],
    "DWT-BUDAPEST": ["HU", "PL", "RO", "BG", "CZ", "SK", "AL", "BA", "ME", "MK", "RS", "MD"],
    "DWT-MOSCOW": ["RU", "AM", "AZ", "BY", "GE", "KZ", "KG", "TJ", "TM", "UZ"],
    "CO-ANKARA": ["TR"],
    "CO-ROME": ["IT", "SM"],
}


def record_countries(apps, schema_editor):
    Office = apps.get_model("deliverables", "Office")
    for office in Office.objects.filter(code__in=OFFICE_COUNTRIES, countries=""):
        office.countries = OFFICE_COUNTRIES[office.code]
        office.save(update_fields=["countries"])


def forget_countries(apps, schema_editor):
    apps.get_model("deliverables", "Office").objects.update(countries="")


class Migration(migrations.Migration):
    dependencies = [("deliverables", "0011_office_countries")]

    operations = [migrations.RunPython(record_countries, forget_countries)]
