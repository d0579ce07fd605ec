"""``long_text``: paragraphs (line breaks kept), 20,000 characters unless ``max_length``."""
from app.questionnaires.types.base import TextType


class LongText(TextType):
    name = "long_text"
    input = "long_text"
    display = "long_text"
    default_max_length = 20000

    def pdf(self, question, value, locale):
        from app.questionnaires.writing import paragraphs, writing_direction

        return {"kind": "paragraphs", "paragraphs": paragraphs(value), "dir": writing_direction(value)}


TYPE = LongText()
