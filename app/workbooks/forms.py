from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileRequired, MultipleFileField
from wtforms import HiddenField
from wtforms.validators import DataRequired


class UploadForm(FlaskForm):
    files = MultipleFileField(_l("Workbooks (.xlsx), one or several"),
                              validators=[FileRequired(_l("Choose one or more workbooks to upload."))])


class ImportForm(FlaskForm):
    #: The plan of the preview, signed (app/workbooks/routes.py): what the confirm imports.
    plan = HiddenField(validators=[DataRequired()])
