"""``census_coord.middleware.CSPMiddleware``: the header built once is the one django-csp
builds, and any response with a policy of its own, or a nonce, still gets the library's."""

from __future__ import annotations

import pytest
from csp.constants import HEADER, HEADER_REPORT_ONLY, NONCE, SELF
from csp.middleware import CSPMiddleware as LibraryCSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory

from census_coord.middleware import CSPMiddleware


def _both(request_for, response_for):
    ours, library = CSPMiddleware(lambda r: None), LibraryCSPMiddleware(lambda r: None)
    answers = []
    for middleware in (ours, library):
        request, response = request_for(), response_for()
        middleware.process_request(request)
        answers.append((middleware.process_response(request, response), request))
    return answers


def _get():
    return RequestFactory().get("/reminders/notifications/")


@pytest.mark.parametrize("status", [200, 404, 302])
def test_the_header_is_the_librarys(status):
    (ours, request), (library, _r) = _both(_get, lambda: HttpResponse(status=status))
    assert ours[HEADER] == library[HEADER]
    assert "script-src 'self'" in ours[HEADER]
    assert HEADER_REPORT_ONLY not in ours
    # A nonce asked after the header is written is refused, as by the library.
    with pytest.raises(Exception, match="not available after the CSP header"):
        str(request.csp_nonce)


def _directives(header: str) -> set[str]:
    return set(header.split("; "))


def test_the_header_follows_the_settings(settings):
    first = CSPMiddleware(lambda r: None).process_response(_get(), HttpResponse())[HEADER]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": [SELF, "example.org"]}}
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"img-src": [SELF]}}
    (ours, _r), (library, _l) = _both(_get, HttpResponse)
    assert _directives(ours[HEADER]) == {"default-src 'self' example.org"} != _directives(first)
    assert "img-src 'self'" in _directives(ours[HEADER_REPORT_ONLY])
    assert ours[HEADER_REPORT_ONLY] == library[HEADER_REPORT_ONLY]


def test_a_header_already_set_is_kept():
    response = HttpResponse()
    response[HEADER] = "default-src 'none'"
    assert CSPMiddleware(lambda r: None).process_response(_get(), response)[HEADER] == (
        "default-src 'none'"
    )


@pytest.mark.parametrize(
    ("attribute", "value"),
    [
        ("_csp_update", {"img-src": ["example.org"]}),
        ("_csp_replace", {"script-src": ["example.org"]}),
        ("_csp_exempt", True),
    ],
)
def test_a_responses_own_policy_goes_through_the_library(attribute, value):
    def response():
        made = HttpResponse()
        setattr(made, attribute, value)
        return made

    (ours, _r), (library, _l) = _both(_get, response)
    assert ours.get(HEADER) == library.get(HEADER)
    if attribute == "_csp_exempt":
        assert HEADER not in ours
    else:
        assert "example.org" in ours[HEADER]


def test_a_nonce_asked_while_rendering_is_in_the_header(settings):
    directives = dict(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"])
    directives["script-src"] = [SELF, NONCE]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": directives}
    middleware = CSPMiddleware(lambda r: None)
    request = _get()
    middleware.process_request(request)
    nonce = str(request.csp_nonce)
    response = middleware.process_response(request, HttpResponse())
    assert f"'nonce-{nonce}'" in response[HEADER]
