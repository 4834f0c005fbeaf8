"""The server's Getty client, over real HTTP: its own token from the token service (a ticket,
reused, one for all threads, never logged), Getty's answers read as Getty shapes them (the
sandbox), Getty's error shapes from an API host of the tests' own, one fresh token after a 401,
and one deadline per question."""

import logging
import threading
import time

import pytest

from getty_picker import getty
from getty_picker.conf import getty_settings


def token_requests(service):
    return service.requests()[("POST", "/token")]


@pytest.fixture
def sandbox(settings, getty_service):
    """The site asks the token service's sandbox as Getty."""
    settings.GETTY_PICKER = getty_service.settings()
    return getty_service


@pytest.fixture
def api_host(settings, getty_service, delivery_host):
    """The site's token from the token service, Getty's API played by the tests' own host."""
    settings.GETTY_PICKER = getty_service.settings(API_BASE=delivery_host.origin, API_TIMEOUT=2.0)
    return delivery_host


def test_the_download_history_and_the_image_are_read_as_getty_shapes_them(sandbox):
    getty_id = sandbox.fresh_image()
    assert getty.company_downloads(getty_id) == []
    sandbox.download(getty_id, notes="For the front page")
    sandbox.download(getty_id, notes="Again")
    history = getty.company_downloads(getty_id)
    assert [d.download_notes for d in history] == ["Again", "For the front page"]
    newest, answer = history[0], sandbox.history(getty_id)[0]
    assert newest.user == answer["user"]["username"] and newest.product_type == answer["product_type"]
    assert newest.product_id == str(answer["product_id"]) and newest.date_downloaded.tzinfo is not None

    image = getty.image_details(getty_id)
    expected = sandbox.image(getty_id)
    assert (image.id, image.title, image.credit_line) == (
        getty_id,
        expected["title"],
        expected["credit_line"],
    )
    width, height = expected["max_dimensions"]["width"], expected["max_dimensions"]["height"]
    assert image.max_dimensions == (width, height) and image.sizes[0] == (width, height)
    assert len(image.download_sizes) >= 1
    # Getty's keywords, most relevant first (the import tags the file with them).
    keywords = sorted(expected["keywords"], key=lambda k: -k["relevance"])
    assert image.keywords == tuple(k["text"] for k in keywords) and image.keywords
    names = getty.product_names()
    assert names[newest.product_id]


def test_keywords_are_read_most_relevant_first_each_once_and_nothing_else(api_host):
    answer = {
        "images": [
            {
                "id": "42",
                "keywords": [
                    {"keyword_id": "1", "text": "Cat", "type": "Keyword", "relevance": 10},
                    {"keyword_id": "2", "text": "Kitten", "type": "Keyword", "relevance": 90},
                    {"keyword_id": "3", "text": "kitten", "type": "Keyword", "relevance": 5},
                    {"keyword_id": "4", "text": "  ", "relevance": 99},
                    {"keyword_id": "5", "text": 7},
                    "Dog",
                    {"keyword_id": "6", "text": "No relevance"},
                ],
            }
        ]
    }
    api_host.answers["/v3/images/42"] = ("json", 200, answer)
    assert getty.image_details("42").keywords == ("Kitten", "Cat", "No relevance")
    api_host.answers["/v3/images/42"] = ("json", 200, {"images": [{"id": "42", "keywords": "cat"}]})
    assert getty.image_details("42").keywords == ()


def test_getty_knows_no_such_image(sandbox):
    with pytest.raises(getty.ImageNotFound, match="not found"):
        getty.image_details("999999999999")
    with pytest.raises(getty.ImageNotFound):
        getty.company_downloads("999999999999")


def test_the_token_is_asked_for_once_and_reused(sandbox):
    before = token_requests(sandbox)
    getty_id = sandbox.fresh_image()
    getty.company_downloads(getty_id)
    getty.image_details(getty_id)
    getty.product_names()
    assert token_requests(sandbox) == before + 1


def test_threads_asking_at_once_share_one_new_token(sandbox):
    getty_id = sandbox.fresh_image()
    config = getty_settings()
    before = token_requests(sandbox)
    start = threading.Barrier(8)
    failures = []

    def ask():
        start.wait()
        try:
            getty.image_details(getty_id, config)
        except Exception as error:  # collected for the assertion below
            failures.append(error)

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert failures == [] and token_requests(sandbox) == before + 1


def test_a_ticket_the_token_service_refuses_says_which_setting(settings, getty_service):
    settings.GETTY_PICKER = getty_service.settings(TICKET_SECRET="f" * 64)
    with pytest.raises(getty.TokenRefused, match=r"HTTP 401.*TICKET_SECRET"):
        getty.image_details("42")


def test_the_token_never_reaches_the_log_or_a_message(sandbox, caplog, api_host):
    caplog.set_level(logging.DEBUG)
    api_host.answers["/v3/images/42"] = ("json", 401, {"message": "Unauthorized"})
    with pytest.raises(getty.GettyRefused) as refused:
        getty.image_details("42")
    token = sandbox.token()
    assert token not in caplog.text and token not in str(refused.value)
    assert "401" in caplog.text or "refused" in caplog.text


def test_a_401_gets_one_fresh_token_then_the_question_is_given_up(getty_service, api_host):
    api_host.answers["/v3/images/42"] = ("json", 401, {"message": "Unauthorized"})
    before = token_requests(getty_service)
    with pytest.raises(getty.GettyRefused, match=r"HTTP 401: Unauthorized"):
        getty.image_details("42")
    assert api_host.hits["/v3/images/42"] == 2 and token_requests(getty_service) == before + 2


def test_a_401_then_an_answer_succeeds_with_the_fresh_token(getty_service, api_host):
    image = {"id": "42", "title": "A cat", "max_dimensions": {"width": 300, "height": 200}}
    api_host.answers["/v3/images/42"] = (
        "sequence",
        [
            ("json", 401, {"message": "Unauthorized"}),
            ("json", 200, {"images": [image], "images_not_found": []}),
        ],
    )
    details = getty.image_details("42")
    assert details.title == "A cat" and details.max_dimensions == (300, 200)
    assert api_host.hits["/v3/images/42"] == 2


@pytest.mark.parametrize(
    ("answer", "error", "message"),
    [
        (
            ("json", 404, {"code": "ImageNotFound", "message": "image 42 not found"}),
            getty.ImageNotFound,
            "image 42 not found",
        ),
        (
            ("json", 400, {"ErrorCode": "InvalidParameterValue", "ErrorMessage": "bad fields"}),
            getty.GettyRefused,
            "bad fields",
        ),
        (("json", 403, {"message": "Forbidden"}), getty.GettyRefused, "HTTP 403: Forbidden"),
        (
            ("json", 403, {"error": "x", "error_description": "Account not enabled"}),
            getty.GettyRefused,
            "Account not enabled",
        ),
        (("status", 403), getty.GettyRefused, "HTTP 403: Forbidden"),
        (
            ("json", 429, {"message": "Account Over Queries Per Second Limit"}),
            getty.GettyUnavailable,
            "Over Queries",
        ),
        (("status", 502), getty.GettyUnavailable, "HTTP 502: Bad Gateway"),
        (("file", b"<html>", "text/html"), getty.BadAnswer, "not JSON"),
        (
            ("json", 200, {"images": [{"id": "43"}], "images_not_found": []}),
            getty.ImageNotFound,
            "no image 42",
        ),
        (("json", 200, {"id": "43", "title": "Another"}), getty.BadAnswer, "another image"),
    ],
    ids=[
        "404",
        "400",
        "403-message",
        "403-oauth",
        "403-empty",
        "429",
        "502",
        "html",
        "other-in-list",
        "other",
    ],
)
def test_gettys_errors_are_read_in_each_of_their_shapes(api_host, answer, error, message):
    api_host.answers["/v3/images/42"] = answer
    with pytest.raises(error, match=message):
        getty.image_details("42")


def test_an_api_host_trickling_its_answer_is_given_up_at_the_deadline(api_host):
    api_host.answers["/v3/images/42"] = ("trickle", 0.3)
    started = time.monotonic()
    with pytest.raises(getty.GettyUnavailable, match="no answer within 2 s"):
        getty.image_details("42")
    assert time.monotonic() - started < 2 + 1.5


def test_an_unreachable_getty_is_unavailable(settings, getty_service):
    settings.GETTY_PICKER = getty_service.settings(API_BASE="http://127.0.0.1:9")
    with pytest.raises(getty.GettyUnavailable, match="could not be reached"):
        getty.company_downloads("42")


def test_the_ticket_is_the_token_services_format():
    # printf %s 'editor@example.com.1700000600' | openssl dgst -sha256 -hmac 0123456789abcdef0123456789abcdef
    assert getty.ticket("0123456789abcdef0123456789abcdef", "editor@example.com", 1_700_000_600) == (
        "editor@example.com.1700000600.d03ac6e6e52ad32cf879cc2d68093b5acf0289230368f3b05261484bd7da9c0a"
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"TICKET_SECRET": None}, "TICKET_SECRET'] is required"),
        ({"TICKET_USER": "two words"}, "TICKET_USER'] must be"),
        ({"API_TIMEOUT": 0}, "API_TIMEOUT'] must be a positive number"),
        ({"SERVER_TOKEN_URL": "ftp://tokens.example"}, "is not an http(s) origin"),
    ],
)
def test_settings_the_server_cannot_ask_getty_with_are_named(settings, getty_service, change, message):
    from django.core import checks
    from django.core.exceptions import ImproperlyConfigured

    settings.GETTY_PICKER = getty_service.settings(**change)
    with pytest.raises(ImproperlyConfigured, match=message.replace("(", r"\(").replace(")", r"\)")):
        getty_settings()
    [warning] = [w for w in checks.run_checks() if w.id == "getty_picker.W002"]
    assert "every import of a licensed image is refused" in warning.msg
