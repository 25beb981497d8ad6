"""The OpenAPI schema documents every remediation endpoint."""


def test_openapi_schema_documents_the_remediation_endpoints():
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    assert "/api/remediation/incidents/{id}/bulk-acknowledge/" in paths
    responses = paths["/api/remediation/redress/{id}/pay/"]["post"]["responses"]
    assert {"200", "400", "404", "409"} <= set(responses)
