import pytest

pytestmark = pytest.mark.django_db


def test_an_unmatched_api_path_is_a_json_404_in_the_api_error_shape(admin_client):
    response = admin_client.get("/api/complaints/null,null/letters/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"code": "not_found", "message": "Not found.", "fields": {}}


def test_other_unmatched_paths_keep_the_html_404(admin_client):
    response = admin_client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
