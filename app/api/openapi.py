"""The OpenAPI 3.1 description of the API, served at /api/v1/openapi.json. A test checks it
against the OpenAPI schema and that every route of the API is described."""

STATUSES = ["draft", "submitted", "returned", "accepted", "published"]
LANGUAGES = ["ar", "en", "es", "fr", "ru", "zh"]


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _parameter(name: str, where: str, description: str, schema: dict, required: bool = False) -> dict:
    return {"name": name, "in": where, "required": required, "description": description, "schema": schema}


PARAMETERS = {
    "cycle_id": _parameter("cycle_id", "path", "Id of the reporting cycle (see /cycles).", {"type": "integer"}, True),
    "page": _parameter("page", "query", "Page number, from 1.", {"type": "integer", "minimum": 1, "default": 1}),
    "per_page": _parameter("per_page", "query", "Items per page.",
                           {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}),
    "status": _parameter(
        "status", "query",
        "Response statuses to include (repeat, or separate with commas). Default: published without a token or "
        "with a published-data token; accepted and published with an all-data token. Statuses other than "
        "published need an all-data token.",
        {"type": "array", "items": {"type": "string", "enum": STATUSES}}),
    "state": _parameter("state", "query", "ISO 3166-1 alpha-3 codes of the States to include (repeatable).",
                        {"type": "array", "items": {"type": "string", "pattern": "^[A-Za-z]{3}$"}}),
    "region": _parameter("region", "query", "UN M49 code of a region, sub-region or intermediate region, "
                                            "e.g. 150 (Europe) or 202 (Sub-Saharan Africa).",
                         {"type": "string", "pattern": "^[0-9]{3}$"}),
    "lang": _parameter("lang", "query", "Language of names and labels.",
                       {"type": "string", "enum": LANGUAGES, "default": "en"}),
}


def _params(*names: str) -> list[dict]:
    return [{"$ref": f"#/components/parameters/{name}"} for name in names]


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict:
    return {str(code): {"$ref": f"#/components/responses/Error{code}"} for code in codes}


def _page_of(item: str) -> dict:
    return {"type": "object", "required": ["data", "meta", "links"], "properties": {
        "data": {"type": "array", "items": _ref(item)}, "meta": _ref("PageMeta"), "links": _ref("PageLinks")}}


def _get(summary: str, parameters: list, ok: dict, *errors: int, description: str = "") -> dict:
    operation = {"summary": summary, "parameters": parameters, "responses": {"200": ok, **_errors(400, 401, *errors)}}
    if description:
        operation["description"] = description
    return {"get": operation}


ANSWER_VALUE = {
    "description": "The answer as stored: a string (choices, texts, decimals as exact strings, dates as "
                   "YYYY-MM-DD), an integer (integers, years), a list of option values (multiple choice), or "
                   "an object {row: {column: count}} (tables).",
    "type": ["string", "integer", "array", "object"],
}

SCHEMAS = {
    "Error": {"type": "object", "required": ["error"], "properties": {"error": {
        "type": "object", "required": ["status", "code", "message"], "properties": {
            "status": {"type": "integer"}, "code": {"type": "string"}, "message": {"type": "string"}}}}},
    "PageMeta": {"type": "object", "properties": {
        "page": {"type": "integer"}, "per_page": {"type": "integer"}, "total": {"type": "integer"},
        "pages": {"type": "integer"}}},
    "PageLinks": {"type": "object", "properties": {
        "self": {"type": "string", "format": "uri"}, "next": {"type": ["string", "null"], "format": "uri"},
        "prev": {"type": ["string", "null"], "format": "uri"}}},
    "Cycle": {"type": "object", "properties": {
        "id": {"type": "integer"}, "name": {"type": "string"},
        "questionnaire": {"type": "object", "properties": {"id": {"type": "string"}, "version": {"type": "integer"}}},
        "opens_on": {"type": "string", "format": "date"}, "closes_on": {"type": "string", "format": "date"},
        "is_open": {"type": "boolean"},
        "reference_period": {"type": "object", "properties": {"first_year": {"type": "integer"},
                                                              "last_year": {"type": "integer"}}},
        "question_set": {"type": "string", "enum": ["full", "core"]}}},
    "Question": {"type": "object", "properties": {
        "id": {"type": "string"}, "section": {"type": "string"}, "type": {"type": "string"},
        "text": {"type": "string"}, "required": {"type": "boolean"},
        "options": {"type": "array", "items": {"type": "object", "properties": {
            "value": {"type": "string"}, "label": {"type": "string"}}}},
        "rows": {"type": "array", "items": {"type": "object"}}, "columns": {"type": "array", "items": {"type": "object"}},
        "show_if": {"type": "object", "properties": {"question": {"type": "string"},
                                                     "in": {"type": "array", "items": {"type": "string"}}}}}},
    "CycleWithQuestionnaire": {"allOf": [_ref("Cycle"), {"type": "object", "properties": {"questionnaire": {
        "type": "object", "properties": {
            "id": {"type": "string"}, "version": {"type": "integer"}, "title": {"type": "string"},
            "sections": {"type": "array", "items": {"type": "object", "properties": {
                "id": {"type": "string"}, "title": {"type": "string"},
                "questions": {"type": "array", "items": _ref("Question")}}}}}}}}]},
    "Answer": {"type": "object", "properties": {
        "value": ANSWER_VALUE,
        "revision": {"type": "integer", "description": "The revision that last changed this answer."},
        "confidential": {"type": "boolean", "description": "Marked confidential by the State; such answers "
                                                            "appear only with an all-data token."}}},
    "StateResponse": {"type": "object", "properties": {
        "state": {"type": "string"}, "state_name": {"type": "string"},
        "regions": {"type": "array", "items": {"type": "string"}, "description": "UN M49 codes, largest first."},
        "status": {"type": "string", "enum": STATUSES}, "revision": {"type": "integer"},
        "updated_at": {"type": "string", "format": "date-time"},
        "answers": {"type": "object", "additionalProperties": _ref("Answer"),
                    "description": "By question id; only answered questions that apply."},
        "derived": {"type": "object", "additionalProperties": {"type": "string"},
                    "description": "By classification id: the State's class, computed from the answers shown "
                                   "by the questionnaire's rule (docs/questionnaire-format.md §13)."}}},
    "KeyFact": {"type": "object", "properties": {
        "id": {"type": "string", "enum": ["ratification", "criminalization", "victims", "convictions",
                                          "coordination", "action_plan"]},
        "label": {"type": "string"},
        "answers": {"type": "array", "description": "The answered questions the fact is drawn from.", "items": {
            "type": "object", "properties": {
                "question": {"type": "string"}, "number": {"type": "string"}, "text": {"type": "string"},
                "kind": {"type": "string", "description": "text, paragraphs, list, laws or years"},
                "answer": {"type": "string"}, "items": {"type": "array", "items": {"type": "string"}},
                "years": {"type": "array", "items": {"type": "object", "properties": {
                    "year": {"type": "string"}, "total": {"type": ["integer", "null"]}}}}}}}}},
    "StateProfile": {"allOf": [_ref("StateResponse"), {"type": "object", "properties": {"key_facts": {
        "type": "array", "items": _ref("KeyFact"),
        "description": "The facts that open the State's country profile, as its public page and its "
                       "PDF's \"At a glance\" page show them."}}}]},
    "DerivedDistribution": {"type": "object", "properties": {
        "classification_id": {"type": "string"}, "title": {"type": "string"},
        "statuses": {"type": "array", "items": {"type": "string"}},
        "states_counted": {"type": "integer", "description": "States whose responses were counted."},
        "classes": {"type": "array", "description": "Every class, the unclassifiable last.",
                    "items": {"type": "object", "properties": {
                        "id": {"type": "string"}, "label": {"type": "string"}, "count": {"type": "integer"},
                        "share": {"type": "number", "description": "count / states_counted"},
                        "states": {"type": "array", "items": {"type": "string"}}}}}}},
    "Distribution": {"type": "object", "properties": {
        "question_id": {"type": "string"}, "type": {"type": "string"},
        "statuses": {"type": "array", "items": {"type": "string"}},
        "states_counted": {"type": "integer", "description": "States whose responses were counted."},
        "states_answered": {"type": "integer"},
        "bars": {"type": "array", "description": "Per option (choices) or per year (years, dates).",
                 "items": {"type": "object", "properties": {
                     "value": {"type": "string"}, "label": {"type": "string"}, "count": {"type": "integer"},
                     "share": {"type": "number", "description": "count / states_answered"},
                     "states": {"type": "array", "items": {"type": "string"}}}}},
        "numbers": {"type": "object", "description": "Integers and decimals: figures as exact strings."},
        "table": {"type": "object", "description": "Tables: sums across States per row and column."}}},
}


def _error(status: int, description: str) -> dict:
    return _json(_ref("Error"), description)


def openapi_document(server: str) -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "TIP Protocol self-assessment: open data API",
            "version": "1",
            "description": "Read-only. Without a token, published responses only and never answers a State "
                           "marked confidential. Tokens are created by the secretariat, scoped to published data "
                           "or to all data; send one as `Authorization: Bearer <token>`.",
        },
        "servers": [{"url": server}],
        "security": [{}, {"bearerToken": []}],
        "paths": {
            "/": _get("Links to the cycles and to this description", [],
                      _json({"type": "object", "additionalProperties": {"type": "string"}}, "Links")),
            "/openapi.json": _get("This description", [], _json({"type": "object"}, "OpenAPI 3.1 document")),
            "/cycles": _get("Reporting cycles, newest first", _params("page", "per_page"),
                            _json(_page_of("Cycle"), "A page of cycles")),
            "/cycles/{cycle_id}": _get("A cycle and its questionnaire", _params("cycle_id", "lang"),
                                       _json(_ref("CycleWithQuestionnaire"), "The cycle"), 404),
            "/cycles/{cycle_id}/responses": _get(
                "Responses of the cycle with their answers, by State code", _params(
                    "cycle_id", "status", "state", "region", "lang", "page", "per_page"),
                _json(_page_of("StateResponse"), "A page of responses"), 403, 404),
            "/cycles/{cycle_id}/responses/{state_code}": _get(
                "One State's response", _params("cycle_id", "status", "lang") + [
                    _parameter("state_code", "path", "ISO 3166-1 alpha-3 code.", {"type": "string"}, True)],
                _json(_ref("StateProfile"), "The response and its key facts"), 403, 404),
            "/cycles/{cycle_id}/questions/{question_id}/distribution": _get(
                "How States answered a question: counts and shares", _params(
                    "cycle_id", "status", "state", "region", "lang") + [
                    _parameter("question_id", "path", "The question's stable id.", {"type": "string"}, True)],
                _json(_ref("Distribution"), "The distribution"), 403, 404),
            "/cycles/{cycle_id}/classifications/{classification_id}/distribution": _get(
                "How many States fall in each class of a derived classification", _params(
                    "cycle_id", "status", "state", "region", "lang") + [
                    _parameter("classification_id", "path", "The classification's id, e.g. offence_coverage.",
                               {"type": "string"}, True)],
                _json(_ref("DerivedDistribution"), "The distribution"), 403, 404),
            "/cycles/{cycle_id}/sdg-16-2-2.csv": _get(
                "Detected victims by year, sex, age and form of exploitation (SDG indicator 16.2.2, CSV)",
                _params("cycle_id", "state", "region"),
                {"description": "Published responses only, without confidential answers, whatever the token. One "
                                "line per figure: state, year, sex (female, male, unknown, total), age (adult, "
                                "child, unknown, total), form (total, sexual_exploitation, forced_labour, "
                                "other_purposes, unknown), value, source (the data sources, separated by "
                                "semicolons).",
                 "content": {"text/csv": {"schema": {"type": "string"}}}}, 404),
            "/cycles/{cycle_id}/answers.csv": _get(
                "Every answer in long format (CSV)", _params("cycle_id", "status", "state", "region", "lang"),
                {"description": "One line per chosen option, table cell or text: state, state_name, cycle, "
                                "questionnaire, questionnaire_version, question_id, table_row, table_column, "
                                "value, revision, changed_in_revision, status, confidential. Each derived "
                                "classification adds a line per State: its id as question_id, the class as value.",
                 "content": {"text/csv": {"schema": {"type": "string"}}}}, 403, 404),
        },
        "components": {
            "securitySchemes": {"bearerToken": {"type": "http", "scheme": "bearer",
                                                "description": "A token created by the secretariat."}},
            "parameters": PARAMETERS,
            "schemas": SCHEMAS,
            "responses": {
                "Error400": _error(400, "A parameter is not valid."),
                "Error401": _error(401, "The token is missing its Bearer prefix, unknown or revoked."),
                "Error403": _error(403, "The data asked for needs a token scoped to all data."),
                "Error404": _error(404, "No such cycle, State response or question."),
            },
        },
    }
