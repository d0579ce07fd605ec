"""Comment threads between the secretariat and a State: started by the secretariat beside a
question (while reviewing, not only when returning), answered by the State, resolved and
reopened by either side; out of reach of other States."""
import re

import pytest
from sqlalchemy.exc import IntegrityError

from app.audit.models import AuditEvent
from app.database import utcnow
from app.extensions import db
from app.review.models import ReviewComment
from app.review.queries import open_comment_counts
from tests import factories
from tests.helpers import overview_url, section_url
from tests.workflow_helpers import comment, fill_required, return_for_clarification, review_url, submit


def _submitted(client, login, cycle):
    focal = login(factories.user("focal_point", "FRA", name="Amina Diallo", organisation="Ministry of Justice"))
    fill_required(client, cycle)
    submit(client, cycle)
    return focal


def _thread(body):
    return db.session.scalar(db.select(ReviewComment).filter_by(body=body, parent_id=None))


def _events(kind):
    return db.session.scalars(db.select(AuditEvent).filter_by(event_type=kind)).all()


def test_a_thread_from_review_to_resolution(client, login, cycle):
    focal = _submitted(client, login, cycle)
    secretariat = login(factories.user("secretariat", name="Reviewer"))
    # The reviewer comments while reading, before deciding.
    assert comment(client, cycle, "Which article of Act 12?", "crim_law").status_code == 302
    review = client.get(review_url(cycle) + "?section=criminalization").text
    assert "Which article of Act 12?" in review
    return_for_clarification(client, cycle, "Please answer the comments.")
    root = _thread("Which article of Act 12?")
    assert open_comment_counts(cycle.id) == {root.response_id: 2}  # the question's and the general one

    login(focal)
    section = client.get(section_url(cycle, "criminalization")).text
    assert f'id="thread-{root.id}"' in section and "Which article of Act 12?" in section
    assert f'data-reply-to="reply-{root.id}"' in section and f'id="reply-{root.id}"' in section
    overview = client.get(overview_url(cycle)).text
    assert "1 open comment on questions" in overview and "Please answer the comments." in overview
    reply = client.post(overview_url(cycle) + f"comments/{root.id}/replies",
                        data={"body": "Article 4.", "next": section_url(cycle, "criminalization")})
    assert reply.status_code == 302 and reply.location.endswith(f"/sections/criminalization#thread-{root.id}")
    client.post(overview_url(cycle) + f"comments/{root.id}/resolve",
                data={"next": section_url(cycle, "criminalization")})
    db.session.expire_all()
    assert root.resolved_by_id == focal.id and open_comment_counts(cycle.id) == {root.response_id: 1}
    section = client.get(section_url(cycle, "criminalization")).text
    assert re.search(r"Resolved by <bdi>Amina Diallo \(Ministry of Justice\)</bdi>", section)

    login(secretariat)
    assert "Article 4." in client.get(review_url(cycle) + "?section=criminalization").text
    client.post(overview_url(cycle) + f"comments/{root.id}/reopen", data={"next": review_url(cycle)})
    db.session.expire_all()
    assert root.resolved_at is None and root.resolved_by_id is None
    client.post(overview_url(cycle) + f"comments/{root.id}/replies", data={"body": "Please also cite the penalty."})
    replies = db.session.scalars(db.select(ReviewComment.body).filter_by(parent_id=root.id)
                                 .order_by(ReviewComment.id)).all()
    assert replies == ["Article 4.", "Please also cite the penalty."]
    assert len(_events("comment_posted")) == 2 and len(_events("comment_replied")) == 2
    assert len(_events("comment_resolved")) == 1 and len(_events("comment_reopened")) == 1


def test_only_the_secretariat_starts_threads_and_empty_comments_are_refused(client, login, cycle):
    focal = _submitted(client, login, cycle)
    assert comment(client, cycle, "A question of mine", "crim_law").status_code == 403
    login(factories.user("secretariat"))
    response = comment(client, cycle, "   ", "crim_law")
    assert response.status_code == 302 and db.session.scalar(db.select(ReviewComment)) is None
    assert "Write a comment before posting it." in client.get(response.location).text
    response = comment(client, cycle, "x" * 10001, "crim_law")
    assert "A comment can have at most 10,000 characters." in client.get(response.location).text
    assert db.session.scalar(db.select(ReviewComment)) is None
    assert comment(client, cycle, "On a question that does not exist", "no_such_question").status_code == 400
    assert comment(client, cycle, "On the whole response").status_code == 302
    assert _thread("On the whole response").question_id is None
    assert focal  # the State's focal point could read it; see the access test


def test_another_state_can_neither_see_nor_post(client, login, cycle):
    _submitted(client, login, cycle)
    login(factories.user("secretariat"))
    comment(client, cycle, "Which article?", "crim_law")
    root = _thread("Which article?")
    login(factories.user("focal_point", "DEU"))
    base = overview_url(cycle)  # France's response
    assert client.get(section_url(cycle, "criminalization")).status_code == 404
    assert client.get(review_url(cycle)).status_code == 403
    assert client.post(base + f"comments/{root.id}/replies", data={"body": "Hello"}).status_code == 404
    assert client.post(base + f"comments/{root.id}/resolve").status_code == 404
    # Nor through its own State's address with France's comment number.
    own = overview_url(cycle, "DEU")
    assert client.post(own + f"comments/{root.id}/replies", data={"body": "Hello"}).status_code == 404
    db.session.expire_all()
    assert root.is_open and db.session.scalar(db.select(db.func.count()).select_from(ReviewComment)) == 1


def test_a_contributor_replies_and_resolves(client, login, cycle):
    _submitted(client, login, cycle)
    login(factories.user("secretariat"))
    comment(client, cycle, "How many shelters?", "prot_shelter")
    return_for_clarification(client, cycle)
    root = _thread("How many shelters?")
    login(factories.user("contributor", "FRA", name="Jean", organisation="Ministry of Social Affairs"))
    client.post(overview_url(cycle) + f"comments/{root.id}/replies", data={"body": "Twelve."})
    client.post(overview_url(cycle) + f"comments/{root.id}/resolve")
    db.session.expire_all()
    assert not root.is_open
    page = client.get(section_url(cycle, "protection")).text
    assert "Jean (Ministry of Social Affairs)" in page


def test_the_database_refuses_a_resolved_reply_or_a_resolution_without_its_author(client, login, cycle):
    _submitted(client, login, cycle)
    secretariat = login(factories.user("secretariat"))
    comment(client, cycle, "Which article?", "crim_law")
    root = _thread("Which article?")
    client.post(overview_url(cycle) + f"comments/{root.id}/replies", data={"body": "And the penalty?"})
    reply = db.session.scalar(db.select(ReviewComment).filter_by(parent_id=root.id))
    for row, values in ((reply, {"resolved_at": utcnow(), "resolved_by_id": secretariat.id}),
                        (root, {"resolved_at": utcnow(), "resolved_by_id": None})):
        with pytest.raises(IntegrityError):
            db.session.execute(db.update(ReviewComment).where(ReviewComment.id == row.id).values(**values))
            db.session.flush()
        db.session.rollback()
