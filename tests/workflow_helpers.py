"""Driving a response through the review cycle over HTTP, for the review-cycle tests."""
from tests.helpers import overview_url, section_url

REQUIRED_ANSWERS = {
    "criminalization": {"q_crim_offence": "yes", "q_crim_law": "Act 12"},
    "protection": {"q_prot_shelter": "yes", "q_prot_shelter_places": "40"},
}


def fill_required(client, cycle, state="FRA"):
    for section, data in REQUIRED_ANSWERS.items():
        assert client.post(section_url(cycle, section, state), data=data).status_code == 302


def submit(client, cycle, state="FRA"):
    return client.post(overview_url(cycle, state) + "submit")


def review_url(cycle, state="FRA"):
    return f"/review/cycles/{cycle.id}/states/{state}"


def return_for_clarification(client, cycle, comment="Please cite the articles.", state="FRA"):
    return client.post(review_url(cycle, state) + "/return", data={"comment": comment})


def accept(client, cycle, state="FRA"):
    return client.post(review_url(cycle, state) + "/accept")


def comment(client, cycle, body, question_id=None, state="FRA"):
    data = {"body": body, "next": review_url(cycle, state)}
    if question_id:
        data["question_id"] = question_id
    return client.post(overview_url(cycle, state) + "comments/", data=data)
