# English dates as the ILO writes them ("31 December 2022"), not Django's American
# default ("Dec. 31, 2022"). French and Spanish keep Django's formats, which already
# read "31 décembre 2022" and "31 de diciembre de 2022".
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
