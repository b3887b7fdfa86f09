"""HTML is gzipped for clients that accept it; static files are left to WhiteNoise."""

import gzip

import pytest
from django.conf import settings
from django.urls import reverse


@pytest.mark.django_db
def test_an_html_page_comes_back_gzipped_and_decompresses_to_the_page(client):
    address = reverse("core:accessibility")
    plain = client.get(address)

    response = client.get(address, HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert response.status_code == 200
    assert "Content-Encoding" not in plain
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert len(response.content) < len(plain.content)
    assert gzip.decompress(response.content) == plain.content


def test_static_files_do_not_pass_through_the_gzip_middleware(client):
    # In tests WhiteNoise serves the source files, which have no .gz beside them: were the
    # middleware below WhiteNoise's reply, this would come back gzipped.
    response = client.get("/static/css/app.css", HTTP_ACCEPT_ENCODING="gzip")

    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert (
        b"".join(response.streaming_content)
        == (settings.BASE_DIR / "static/css/app.css").read_bytes()
    )
