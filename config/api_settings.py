"""The REST framework's settings and the OpenAPI schema's (drf-spectacular), imported by
config/settings.py: one place for how the API authenticates, parses, pages and documents.

``ENUM_NAME_OVERRIDES`` names each choice set once, so a choice used by several serializers
is one schema component; an app adding a choice set used in the API adds its line here.
"""

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Token first: an unauthenticated request then gets 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "complaints.api.authentication.ApiTokenMembershipAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # DRF's parsers, with JSON refusing a NUL byte in any field (docs/security.md, Input).
    "DEFAULT_PARSER_CLASSES": [
        "common.inputs.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # DRF's negotiation, with the plain JSON request answered without parsing its header.
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "common.negotiation.ApiContentNegotiation",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "common.api.StandardPagination",
    "EXCEPTION_HANDLER": "common.api.exception_handler",
    "DATETIME_FORMAT": "iso-8601",
    "DATE_FORMAT": "iso-8601",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "DISP complaints case manager API",
    "DESCRIPTION": "Complaints handling for UK cryptoasset firms under DISP (CP26/4).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "common.api.document_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "complaints.choices.Status",
        "ActivityEnum": "complaints.choices.Activity",
        "OutcomeEnum": "complaints.choices.Outcome",
        "RegimeEnum": "complaints.choices.Regime",
        "NationEnum": "complaints.choices.Nation",
        "ForwardPartEnum": "complaints.choices.ForwardPart",
        "LetterLanguageEnum": "complaints.choices.LetterLanguage",
        "DecisionOutcomeEnum": "complaints.action_inputs.DECISION_CHOICES",
        "CalculatorRegimeEnum": "complaints.api.deadlines.CALCULATOR_REGIME_CHOICES",
        "FosOutcomeEnum": "fos.choices.FosOutcome",
        "FosEndKindEnum": "fos.choices.EndKind",
        "FosInterestBasisEnum": "fos.choices.InterestBasis",
        "RedressInterestBasisEnum": "remediation.models.InterestBasis",
        "RedressKindEnum": "remediation.models.RedressKind",
        "UpheldBasisEnum": "reporting.choices.UpheldBasis",
        "LetterTypeEnum": "letters.choices.LetterType",
        "RepresentativeKindEnum": "complaints.choices.RepresentativeKind",
        "TaskKindEnum": "complaints.choices.TaskKind",
        "EvidenceKindEnum": "evidence.choices.Kind",
    },
}
