"""``short_text``: one line of text, 500 characters unless ``max_length``."""
from app.questionnaires.types.base import TextType


class ShortText(TextType):
    name = "short_text"
    input = "text"
    display = "short_text"


TYPE = ShortText()
