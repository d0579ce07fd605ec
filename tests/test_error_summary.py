"""Errors everyone can find: after a refused save or submission an error summary at the top links
to each field, each field with an error is marked invalid and described by its message, and a
table's message names the cell's row and column. Read as a browser's parser reads the page."""
from html.parser import HTMLParser

from tests import factories
from tests.helpers import overview_url, section_url


class Page(HTMLParser):
    """Every element's attributes by id and by name, and the error summary's links."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.by_id, self.by_name, self.summary_links, self.texts = {}, {}, [], {}
        self.in_summary, self.link, self.open_ids = False, None, []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.by_id[attrs["id"]] = {"tag": tag, **attrs}
        if "name" in attrs:
            self.by_name.setdefault(attrs["name"], []).append(attrs)
        if "data-error-summary" in attrs:
            self.in_summary = True
        if tag == "a" and self.in_summary:
            self.link = [attrs["href"], ""]
        if tag == "p" and "id" in attrs:
            self.open_ids.append(attrs["id"])
            self.texts[attrs["id"]] = ""

    def handle_data(self, data):
        if self.link is not None:
            self.link[1] += data
        for element_id in self.open_ids:
            self.texts[element_id] += data

    def handle_endtag(self, tag):
        if tag == "a" and self.link is not None:
            self.summary_links.append(tuple(self.link))
            self.link = None
        if tag == "div" and self.in_summary and self.link is None:
            self.in_summary = False
        if tag == "p" and self.open_ids:
            self.open_ids.pop()


def test_a_refused_save_lists_each_problem_at_the_top_linked_to_its_field(client, login, cycle):
    login(factories.user("focal_point", "FRA"))
    response = client.post(section_url(cycle, "criminalization"),
                           data={"q_crim_offence": "yes", "q_crim_max_penalty": "twelve"})
    assert response.status_code == 422
    page = Page(response.text)
    assert page.summary_links == [("#q_crim_max_penalty", "2.6 What is the maximum term of imprisonment for the basic offence, in years?: "
                                                        "Enter a whole number, such as 12.")]
    field = page.by_id["q_crim_max_penalty"]
    assert field["aria-invalid"] == "true"
    assert page.texts[field["aria-describedby"]] == "Enter a whole number, such as 12."
    assert "aria-invalid" not in page.by_id["q_crim_law"]  # the saved answers are not marked


def test_a_table_error_names_the_row_and_the_column_of_each_wrong_cell(client, login, cycle):
    login(factories.user("focal_point", "FRA"))
    response = client.post(section_url(cycle, "data"), data={"q_data_victims-2023-girls": "7 or 8",
                                                             "q_data_victims-2021-boys": "-2",
                                                             "q_data_victims-2022-men": "3"})
    assert response.status_code == 422
    page = Page(response.text)
    messages = ["2021, Boys: enter a whole number of 0 or more, not “-2”.",
                "2023, Girls: enter a whole number of 0 or more, not “7 or 8”."]
    assert [text for _, text in page.summary_links] == [f"4.1 Number of victims of trafficking identified, by year, sex "
                                                        f"and age group: {message}" for message in messages]
    assert page.summary_links[0][0] == "#q_data_victims-2021-women"
    cell = page.by_id["q_data_victims-2023-girls"]
    assert cell["aria-invalid"] == "true"
    assert [page.texts[i] for i in cell["aria-describedby"].split()] == messages


def test_a_page_without_errors_has_no_summary(client, login, cycle):
    login(factories.user("focal_point", "FRA"))
    page = Page(client.get(section_url(cycle, "criminalization")).text)
    assert page.summary_links == [] and "aria-invalid" not in page.by_id["q_crim_max_penalty"]


def test_a_refused_submission_stays_on_the_overview_and_lists_why_at_the_top(client, login, cycle):
    login(factories.user("focal_point", "FRA"))
    client.post(section_url(cycle, "criminalization"), data={"q_crim_offence": "yes"})
    submit = client.post(overview_url(cycle) + "submit")
    assert submit.status_code == 303 and submit.location == overview_url(cycle) + "?submit=refused"
    page = Page(client.get(submit.location).text)
    assert page.summary_links == [(section_url(cycle, "protection") + "#q-prot_shelter",
                                   "3.1 Does your State provide appropriate housing to victims of trafficking?: "
                                   "this required question has no answer.")]
    # The address alone does not claim a refusal: the overview lists nothing at the top.
    client.post(section_url(cycle, "protection"), data={"q_prot_shelter": "no"})
    assert Page(client.get(submit.location).text).summary_links == []
