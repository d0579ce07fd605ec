"""`flask reports build` from the command line: `--public` builds what the public page serves, for
one State as for all, and refuses a State that has published nothing."""
from tests import factories
from tests.helpers import pdf_text

ANSWERS = {"crim_offence": "yes", "crim_law": "SECRET-LAW art. 4", "data_body": "Statistics office"}


def _build(runner, *args):
    return runner.invoke(args=["reports", "build", "--lang", "en", *args])


def test_a_public_build_of_one_state_withholds_its_confidential_answers(runner, cycle, tmp_path):
    factories.response("FRA", cycle, ANSWERS, status="published", confidential=frozenset({"crim_law"}))
    internal, public = tmp_path / "internal.pdf", tmp_path / "public.pdf"
    assert _build(runner, "--state", "FRA", "--out", str(internal)).exit_code == 0
    result = _build(runner, "--state", "fra", "--public", "--out", str(public))
    assert result.exit_code == 0, result.output
    text = " ".join(pdf_text(public.read_bytes()).split())
    assert "SECRET-LAW" not in text and "Statistics office" in text
    assert "1 answer is not published at the State's request." in text
    assert "Marked confidential by the State" not in text
    assert "SECRET-LAW art. 4" in pdf_text(internal.read_bytes())  # for the secretariat and the State


def test_a_public_build_refuses_a_state_that_published_nothing(runner, cycle, tmp_path):
    factories.response("DEU", cycle, ANSWERS, status="accepted", confidential=frozenset({"crim_law"}))
    out = tmp_path / "deu.pdf"
    result = _build(runner, "--state", "DEU", "--public", "--out", str(out))
    assert result.exit_code == 1 and "DEU has published nothing in cycle 2026" in result.output
    assert not out.exists()


def test_a_public_build_of_all_states_takes_the_published_ones_only(runner, cycle, tmp_path):
    factories.response("FRA", cycle, ANSWERS, status="published", confidential=frozenset({"crim_law"}))
    factories.response("DEU", cycle, ANSWERS, status="accepted")
    result = _build(runner, "--all", "--public", "--workers", "1", "--out", str(tmp_path / "all"))
    assert result.exit_code == 0, result.output
    built = list((tmp_path / "all").glob("*.pdf"))
    assert [path.name[:11] for path in built] == ["profile-FRA"]
    assert "SECRET-LAW" not in pdf_text(built[0].read_bytes())


def test_the_bulk_build_takes_the_longest_documents_first(app, cycle):
    """So that no worker renders a long profile alone at the end while the others idle."""
    from app.reports.bulk import jobs_for_cycle

    factories.response("DEU", cycle, {"data_body": "short"})
    factories.response("FRA", cycle, {"data_body": "A long answer. " * 200})
    factories.response("KEN", cycle, {"data_body": "medium " * 20})
    jobs = [(job.state_code, job.locale) for job in jobs_for_cycle(cycle.id, ["en", "ar"])]
    assert jobs == [("FRA", "ar"), ("FRA", "en"), ("KEN", "ar"), ("KEN", "en"), ("DEU", "ar"), ("DEU", "en")]
