"""Sections of a State's questionnaire given to its contributors by the focal point: each
person sees their sections first."""
