"""``single_choice``: one of the definition's options (radio buttons); stored as its value."""
from app.questionnaires.types.base import OptionsType


class SingleChoice(OptionsType):
    name = "single_choice"

    def sample(self, question, index, variant=0):
        return question.option_values[(index + variant) % len(question.option_values)]


TYPE = SingleChoice()
