"""Notifications in the app (the bell, the list) and by e-mail, in each recipient's language:
submitted, returned, commented, accepted, and deadline reminders from a cron command that
reminds each State once per cycle and threshold."""
import re
from datetime import date, timedelta

from app.extensions import db
from app.notifications.models import DeadlineReminder, Notification
from tests import factories
from tests.helpers import overview_url, section_url
from tests.workflow_helpers import accept, comment, fill_required, return_for_clarification, review_url, submit


def _kinds(user):
    return [n.kind for n in db.session.scalars(db.select(Notification).filter_by(user_id=user.id)
                                               .order_by(Notification.id))]


def _bell(html):
    match = re.search(r'class="bell__count">(\d+)<', html)
    return int(match.group(1)) if match else 0


def test_each_step_tells_the_other_side_in_the_app_and_by_email(outbox, client, login, cycle):
    focal = factories.user("focal_point", "FRA", name="Amina", locale="fr")
    contributor = factories.user("contributor", "FRA", name="Jean")
    secretariat = factories.user("secretariat", name="Reviewer")
    german = factories.user("focal_point", "DEU")
    login(focal)
    fill_required(client, cycle)
    submit(client, cycle)
    assert _kinds(secretariat) == ["submitted"] and _kinds(focal) == [] and _kinds(contributor) == []
    assert [(m.to, m.subject) for m in outbox] == [(secretariat.email, "Response submitted: France")]
    assert "France submitted its response (reporting cycle 2026)." in outbox[0].body
    assert re.search(r"http://localhost/notifications/\d+", outbox[0].body)

    login(secretariat)
    comment(client, cycle, "Which article?", "crim_law")  # under review: told with the decision
    assert _kinds(focal) == []
    outbox.clear()
    return_for_clarification(client, cycle, "Please cite the articles.")
    assert _kinds(focal) == ["returned"] and _kinds(contributor) == ["returned"] and _kinds(german) == []
    by_recipient = {m.to: m for m in outbox}
    assert by_recipient[focal.email].subject == "Réponse renvoyée pour éclaircissements : France"  # her language
    assert "Le secrétariat a renvoyé pour éclaircissements" in by_recipient[focal.email].body
    assert by_recipient[contributor.email].subject == "Response returned for clarification: France"

    login(contributor)
    thread = re.search(r'id="thread-(\d+)"', client.get(section_url(cycle, "criminalization")).text).group(1)
    outbox.clear()
    client.post(overview_url(cycle) + f"comments/{thread}/replies", data={"body": "Article 4."})
    assert _kinds(secretariat) == ["submitted", "commented"] and _kinds(focal) == ["returned"]
    assert outbox[0].to == secretariat.email and "Jean replied to a comment on the question" in outbox[0].body
    assert "Article 4." in outbox[0].body

    login(secretariat)
    outbox.clear()
    client.post(overview_url(cycle) + f"comments/{thread}/replies", data={"body": "Thank you."})
    assert _kinds(focal) == ["returned", "commented"] and _kinds(contributor) == ["returned", "commented"]
    assert {m.to for m in outbox} == {focal.email, contributor.email}

    login(focal)
    submit(client, cycle)
    login(secretariat)
    accept(client, cycle)
    assert _kinds(focal)[-1] == "accepted" and _kinds(contributor)[-1] == "accepted"


def test_administrators_hear_what_the_secretariat_hears(outbox, client, login, cycle):
    """Administrators review too (they may return, accept and publish): submissions and what the
    State writes in threads reach them as they reach the secretariat; not the State's news."""
    focal = factories.user("focal_point", "FRA")
    secretariat, admin = factories.user("secretariat"), factories.user("admin")
    login(focal)
    fill_required(client, cycle)
    submit(client, cycle)
    assert _kinds(secretariat) == _kinds(admin) == ["submitted"]
    assert {m.to for m in outbox} == {secretariat.email, admin.email}
    login(admin)
    return_for_clarification(client, cycle, "Please cite the articles.")
    assert _kinds(admin) == _kinds(secretariat) == ["submitted"]  # a return is news for the State
    login(focal)
    thread = re.search(r'id="thread-(\d+)"', client.get(overview_url(cycle)).text)
    client.post(overview_url(cycle) + f"comments/{thread.group(1)}/replies", data={"body": "Article 4."})
    assert _kinds(secretariat) == _kinds(admin) == ["submitted", "commented"]


def test_the_bell_the_list_and_reading(client, login, cycle):
    focal = factories.user("focal_point", "FRA")
    secretariat = factories.user("secretariat")
    login(focal)
    fill_required(client, cycle)
    submit(client, cycle)
    assert _bell(client.get("/").text) == 0
    login(secretariat)
    return_for_clarification(client, cycle)
    login(focal)
    overview = client.get(overview_url(cycle)).text
    assert _bell(overview) == 1 and "1 unread" in overview
    page = client.get("/notifications/").text
    assert "The secretariat returned the response of France (reporting cycle 2026) for clarification." in page
    notification = db.session.scalar(db.select(Notification).filter_by(user_id=focal.id))
    # The e-mail's link leads there without marking it read (mail scanners follow links too).
    assert client.get(f"/notifications/{notification.id}").location == overview_url(cycle)
    assert _bell(client.get("/").text) == 1
    # Opened from the list, a POST, it is read.
    assert f'action="/notifications/{notification.id}"' in page
    opened = client.post(f"/notifications/{notification.id}")
    assert opened.location == overview_url(cycle)
    assert _bell(client.get("/").text) == 0
    # Someone else's notification is not found.
    login(factories.user("focal_point", "FRA"))
    assert client.get(f"/notifications/{notification.id}").status_code == 404
    login(secretariat)
    comment(client, cycle, "Which article?", "crim_law")
    login(focal)
    target = db.session.scalars(db.select(Notification).filter_by(user_id=focal.id, kind="commented")).one()
    assert client.get(f"/notifications/{target.id}").location.startswith(
        section_url(cycle, "criminalization") + "#thread-")
    login(secretariat)
    submitted = db.session.scalar(db.select(Notification.id).filter_by(user_id=secretariat.id, kind="submitted"))
    assert client.get(f"/notifications/{submitted}").location == review_url(cycle)
    client.post("/notifications/read")
    assert db.session.scalar(db.select(db.func.count()).select_from(Notification).filter_by(
        user_id=secretariat.id, read_at=None)) == 0


def test_deadline_reminders_once_per_cycle_state_and_threshold(outbox, runner, login, client, cycle):
    cycle.closes_on = date(2030, 6, 30)
    db.session.commit()
    french = factories.user("focal_point", "FRA")
    french_contributor = factories.user("contributor", "FRA")
    kenyan = factories.user("focal_point", "KEN")
    german = factories.user("focal_point", "DEU")
    login(german)
    fill_required(client, cycle, "DEU")
    submit(client, cycle, "DEU")  # handed in: no reminder
    outbox.clear()

    def run(today):
        result = runner.invoke(args=["notifications", "deadlines", "--days", "14,7,1", "--today", today])
        assert result.exit_code == 0, result.output
        return result.output

    assert "No cycle is within a reminder threshold" in run("2030-06-01")
    output = run("2030-06-20")  # 10 days left: the 14-day reminder
    assert "10 days left (threshold 14); reminded 2 States FRA KEN" in output
    assert sorted(m.to for m in outbox) == sorted([french.email, french_contributor.email, kenyan.email])
    assert "is due in 10 days, on June 30, 2030" in outbox[0].body
    run("2030-06-20")
    run("2030-06-21")  # still within 14 days: already reminded at that threshold
    assert len(outbox) == 3
    run("2030-06-25")  # 5 days left: the 7-day reminder, once
    run("2030-06-25")
    assert len(outbox) == 6
    assert _kinds(french) == ["deadline", "deadline"] and _kinds(german) == []
    reminders = db.session.execute(db.select(DeadlineReminder.state_code, DeadlineReminder.days_before))
    assert {tuple(row) for row in reminders} == {("FRA", 14), ("KEN", 14), ("FRA", 7), ("KEN", 7)}
    run("2030-07-01")  # after the deadline
    assert len(outbox) == 6


def test_a_closed_cycle_sends_no_reminder(outbox, runner, cycle):
    cycle.is_open = False
    cycle.closes_on = date.today() + timedelta(days=3)
    db.session.commit()
    factories.user("focal_point", "FRA")
    runner.invoke(args=["notifications", "deadlines"])
    assert outbox == []
