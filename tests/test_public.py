"""Publishing: the focal point marks answers confidential, the secretariat publishes an accepted
response, anyone downloads its profile without logging in, confidential answers withheld."""
import pytest

from app.extensions import db
from app.responses.models import Response
from app.responses.operations import confidential_at
from tests import factories
from tests.conftest import count_queries
from tests.helpers import checked_values, made_by_job, overview_url, page_form, pdf_text, section_url


def review_url(cycle, state="FRA"):
    return f"/review/cycles/{cycle.id}/states/{state}"


@pytest.fixture
def france(client, login, cycle):
    """France answers (the law marked confidential) and submits; the focal point logs out."""
    focal = login(factories.user("focal_point", "FRA"))
    client.post(section_url(cycle, "criminalization"), data={
        "q_crim_offence": "yes", "q_crim_law": "SECRET-LAW art. 4", "c_crim_law": "y"})
    client.post(section_url(cycle, "protection"), data={"q_prot_shelter": "no"})
    client.post(section_url(cycle, "data"), data={"q_data_body": "Statistics office"})
    assert client.post(overview_url(cycle) + "submit").status_code == 302
    client.post("/logout")
    return focal


def test_a_focal_point_marks_and_unmarks_an_answer_confidential(client, login, cycle):
    login(factories.user("focal_point", "FRA"))
    client.post(section_url(cycle, "data"), data={"q_data_body": "Police unit", "c_data_body": "y"})
    assert checked_values(client.get(section_url(cycle, "data")).text, "c_data_body") == ["y"]
    page = client.get(section_url(cycle, "data")).text
    unticked = page_form(page)  # the page as the browser sends it, the box unticked
    unticked.pop("c_data_body")
    client.post(section_url(cycle, "data"), data=unticked)
    assert checked_values(client.get(section_url(cycle, "data")).text, "c_data_body") == []
    response = db.session.scalar(db.select(Response))
    assert confidential_at(response.id, 1) == {"data_body"} and confidential_at(response.id, 2) == set()


def test_the_secretariat_sees_the_mark_then_publishes_and_the_public_profile_withholds(client, login, cycle, france):
    login(factories.user("secretariat"))
    page = client.get(review_url(cycle) + "?section=criminalization").text
    assert "SECRET-LAW art. 4" in page and "Marked confidential by the State" in page
    assert "Publish the country profile" not in page  # only once accepted
    client.post(review_url(cycle) + "/accept")
    assert "Publish the country profile" in client.get(review_url(cycle)).text
    internal = pdf_text(made_by_job(client, overview_url(cycle) + "profile.pdf?lang=en").data)
    assert "SECRET-LAW art. 4" in internal and "Marked confidential by the State" in internal
    response = client.post(review_url(cycle) + "/publish", follow_redirects=True)
    assert "The country profile was published." in response.text
    client.post("/logout")

    listing = client.get("/profiles/")
    assert listing.status_code == 200 and "France" in listing.text
    assert listing.text.count(f"/profiles/{cycle.id}/FRA/") == 6
    public = made_by_job(client, f"/profiles/{cycle.id}/FRA/en.pdf")
    assert public.status_code == 200 and public.mimetype == "application/pdf"
    text = " ".join(pdf_text(public.data).split())
    assert "SECRET-LAW" not in text and "Statistics office" in text and "Published" in text
    assert "Not published at the State's request." in text
    assert "1 answer is not published at the State's request." in text
    french = " ".join(pdf_text(made_by_job(client, f"/profiles/{cycle.id}/FRA/fr.pdf").data).split())
    assert "Non publiée à la demande de l'État." in french and "SECRET-LAW" not in french


@pytest.mark.parametrize("status", ["draft", "submitted", "accepted"])
def test_unpublished_responses_are_never_public(client, cycle, status):
    factories.response("FRA", cycle, {"data_body": "UNPUBLISHED-OFFICE"}, status)
    assert "France" not in client.get("/profiles/").text
    for url in (f"/profiles/{cycle.id}/FRA/en.pdf", f"/profiles/{cycle.id}/FRA/en.pdf?revision=1",
                f"/profiles/{cycle.id}/fra/fr.pdf"):
        response = client.get(url)
        assert response.status_code == 404 and b"UNPUBLISHED-OFFICE" not in response.data


def test_only_an_accepted_response_can_be_published(client, login, cycle, france):
    login(factories.user("secretariat"))
    response = client.post(review_url(cycle) + "/publish", follow_redirects=True)
    assert "Only an accepted response can be published." in response.text
    assert made_by_job(client, f"/profiles/{cycle.id}/FRA/en.pdf").status_code == 404


def test_the_public_list_queries_do_not_grow_with_the_number_of_profiles(client, cycle):
    factories.response("FRA", cycle, {}, "published")
    with count_queries() as one:
        client.get("/profiles/")
    for state in ("DEU", "KEN", "ARG"):
        factories.response(state, cycle, {}, "published")
    with count_queries() as four:
        page = client.get("/profiles/").text
    assert len(one) == len(four) and all(name in page for name in ("Kenya", "Argentina", "Germany"))
