"""A State's response to a questionnaire version in a reporting cycle, as data: responses and
their revisions (models), saving, restoring and moving through the workflow (operations,
workflow), merging concurrent edits (merge), comparing revisions (diff), who wrote what
(authorship), where a new cycle's answers came from (prefill), and who may reach which
response (access). The pages that use it are app/answering (filling in) and app/history."""
