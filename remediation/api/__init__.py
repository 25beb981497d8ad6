"""REST API (``/api/remediation/...``), one module per sub-domain: ``redress`` (with the
outcome read), ``root_causes`` and ``incidents``; ``api_urls`` routes them.

Thin views: an input serializer types the request, a service acts, an output serializer renders.
Objects are fetched through ``complaints.access`` (another firm's object is a 404); errors use
the one shape of ``common.api``.
"""
