"""The offline workbook: a State's questionnaire as an .xlsx file holding its current answers
(``build``), read back when uploaded (``reading``), shown as a preview and imported as one
revision (``importing``); and the State's own answers as CSV (``own_copy``)."""
