import pytest
from django.urls import reverse

from accounts.tests.factories import NetworkMembershipFactory, UserFactory
from councils.models import Council, CouncilType, FormerGssCode, Nation
from councils.register import DEFAULT_CSV_PATH, councils_import
from councils.tests.factories import CouncilFactory, NetworkFactory

DIRECTORY = reverse("councils:directory")
NETWORKS = reverse("councils:networks")


def detail_url(gss_code: str) -> str:
    return reverse("councils:detail", args=[gss_code])


def network_url(slug: str) -> str:
    return reverse("councils:network-detail", args=[slug])


@pytest.fixture
def register(personas):
    """The whole shipped register, on top of the personas' councils (which it updates)."""
    councils_import(path=DEFAULT_CSV_PATH)
    return personas


@pytest.fixture
def officer_client(client, personas):
    client.force_login(personas.officer_a)
    return client


# Directory ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        DIRECTORY,
        detail_url("E06000001"),
        NETWORKS,
        network_url("north-east-digital"),
    ],
)
def test_anonymous_is_sent_to_sign_in(client, personas, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:sign-in')}?next={url}"


def test_officer_sees_the_directory(officer_client):
    response = officer_client.get(DIRECTORY)

    assert response.status_code == 200
    content = response.content.decode()
    assert "<title>Councils – Council Digital Maturity Portal</title>" in content
    assert "2 councils" in content
    assert "Hartlepool Borough Council" in content
    assert detail_url("E06000001") in content
    assert "Apply filters" in content
    assert "govuk-table" in content


def test_directory_shows_the_whole_register_a_page_at_a_time(register, client):
    client.force_login(register.officer_a)

    response = client.get(DIRECTORY)

    content = response.content.decode()
    assert "382 councils" in content
    assert len(response.context["page"].object_list) == 50
    assert "govuk-pagination" in content
    first = Council.objects.order_by("short_name_en").first()
    assert f"{first.population:,}" in content  # with a thousands separator


@pytest.mark.parametrize(
    ("query", "expected_count", "included", "excluded"),
    [
        ({"q": "middles"}, 1, "Middlesbrough", "Hartlepool Borough"),
        ({"q": "E06000001"}, 1, "Hartlepool Borough", "Middlesbrough"),
        ({"q": "E08000016"}, 1, "Barnsley", "Hartlepool Borough"),  # a former code
        ({"nation": "Wales"}, 22, "Cardiff", "Hartlepool Borough"),
        ({"council_type": "county"}, 21, "Derbyshire County Council", "Hartlepool Borough"),
        ({"region": "North East"}, 12, "Hartlepool Borough", "Cardiff"),
        ({"nation": "England", "council_type": "london_borough"}, 33, "Camden", "Cardiff"),
    ],
)
def test_search_and_filters_narrow_the_results(
    register, client, query, expected_count, included, excluded
):
    client.force_login(register.officer_a)

    response = client.get(DIRECTORY, query)

    assert response.status_code == 200
    assert response.context["page"].paginator.count == expected_count
    content = response.content.decode()
    assert f"{expected_count} council" in content
    assert included in content
    assert excluded not in content
    assert "Clear filters" in content


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"nation": "Atlantis"}, "Select a nation from the list"),
        ({"council_type": "parish"}, "Select a council type from the list"),
        ({"region": "Narnia"}, "Select a region from the list"),
        ({"q": "x" * 101}, "Search must be 100 characters or fewer"),
    ],
)
def test_bad_filter_value_shows_an_error_summary(officer_client, query, message):
    response = officer_client.get(DIRECTORY, query)

    assert response.status_code == 200
    content = response.content.decode()
    assert "govuk-error-summary" in content
    assert "There is a problem" in content
    assert message in content
    assert "<title>Error: Councils" in content


@pytest.mark.parametrize(
    ("page", "expected_number"), [("999", 8), ("-1", 8), ("abc", 1), ("", 1), ("2", 2)]
)
def test_bad_page_number_does_not_fail(register, client, page, expected_number):
    client.force_login(register.officer_a)

    response = client.get(DIRECTORY, {"page": page})

    assert response.status_code == 200
    assert response.context["page"].number == expected_number


def test_pagination_links_keep_the_filters(register, client):
    client.force_login(register.officer_a)

    response = client.get(DIRECTORY, {"nation": "England"})

    assert "?nation=England&amp;page=2" in response.content.decode()


def test_directory_query_count_is_bounded(register, client, django_assert_max_num_queries):
    client.force_login(register.officer_a)

    with django_assert_max_num_queries(10):
        response = client.get(DIRECTORY, {"page": "3"})
    assert response.status_code == 200
    with django_assert_max_num_queries(10):
        client.get(DIRECTORY, {"q": "borough", "nation": "England"})


# Detail -------------------------------------------------------------------------------


def test_any_signed_in_user_sees_a_council(register, client):
    # Public register data: an officer of Middlesbrough may read Hartlepool's entry.
    client.force_login(register.officer_b)

    response = client.get(detail_url("E06000001"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "<title>Hartlepool Borough Council – " in content
    assert "govuk-summary-list" in content
    assert "93,836" in content
    assert "HPL" in content
    assert "North East Digital Partnership" in content


def test_detail_shows_former_codes_and_the_parent_county(register, client):
    client.force_login(register.officer_a)

    district = client.get(detail_url("E07000032")).content.decode()  # Amber Valley
    barnsley = client.get(detail_url("E08000038")).content.decode()

    assert "Derbyshire County Council" in district
    assert detail_url("E10000007") in district
    assert "E08000016" in barnsley


def test_detail_lists_a_countys_districts(register, client, django_assert_max_num_queries):
    client.force_login(register.officer_a)

    with django_assert_max_num_queries(10):
        response = client.get(detail_url("E10000007"))

    content = response.content.decode()
    assert "District councils in Derbyshire" in content
    assert "Amber Valley Borough Council" in content
    assert detail_url("E07000032") in content


def test_detail_of_unknown_code_is_404(officer_client):
    assert officer_client.get(detail_url("E06999999")).status_code == 404
    # Not a GSS code at all: no URL of the portal matches it.
    assert officer_client.get("/councils/not-a-code/").status_code == 404


def test_former_code_redirects_permanently_to_the_current_code(officer_client, personas):
    FormerGssCode.objects.create(council=personas.council_a, gss_code="E06000099")

    response = officer_client.get(detail_url("E06000099"))

    assert response.status_code == 301
    assert response["Location"] == detail_url("E06000001")


def test_lower_case_code_redirects_to_the_current_code(officer_client):
    response = officer_client.get(detail_url("e06000001"))

    assert response.status_code == 301
    assert response["Location"] == detail_url("E06000001")


# Networks -----------------------------------------------------------------------------


def test_analyst_sees_their_networks(client, personas):
    NetworkFactory(name="Somebody Else's Network", slug="elsewhere")
    client.force_login(personas.analyst)

    response = client.get(NETWORKS)

    assert response.status_code == 200
    content = response.content.decode()
    assert "<title>Your networks – " in content
    assert "North East Digital Partnership" in content
    assert network_url("north-east-digital") in content
    assert "Somebody Else" not in content


def test_analyst_sees_their_networks_members(client, personas):
    client.force_login(personas.analyst)

    response = client.get(network_url("north-east-digital"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Hartlepool Borough Council" in content
    assert "Middlesbrough Borough Council" in content
    assert "2 councils" in content


@pytest.mark.parametrize("persona", ["officer_a", "lead_a", "executive_a", "staff"])
def test_council_people_without_a_network_get_404(client, personas, persona):
    client.force_login(getattr(personas, persona))

    assert client.get(NETWORKS).status_code == 404
    assert client.get(network_url("north-east-digital")).status_code == 404


def test_analyst_gets_404_for_a_network_they_are_not_in(client, personas):
    other = NetworkFactory(slug="south-west-digital")
    other.members.add(CouncilFactory(nation=Nation.ENGLAND, council_type=CouncilType.UNITARY))
    client.force_login(personas.analyst)

    assert client.get(network_url("south-west-digital")).status_code == 404
    assert client.get(network_url("no-such-network")).status_code == 404


def test_inactive_analyst_is_refused(client, personas):
    user = UserFactory(email="former.analyst@network.example")
    NetworkMembershipFactory(user=user, network=personas.network)
    user.is_active = False
    user.save()
    client.force_login(user)

    response = client.get(network_url("north-east-digital"))

    # An inactive user's session is not honoured: they are sent to sign in.
    assert response.status_code in {302, 404}


# About the data (core's page; its template is kept with the register) ---------------


def test_anyone_can_read_about_the_data(client, db):
    response = client.get(reverse("core:about-data"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "<title>About the data – " in content
    assert (
        "Contains data from mySociety (uk_local_authority_names_and_codes, composite_uk_imd, "
        "local-authority-similarity)"
    ) in content
    assert "https://creativecommons.org/licenses/by/4.0/" in content
    assert "https://github.com/mysociety/composite_uk_imd" in content
    assert "Open Government Licence v3.0" in content
