from assessments.lineage import question_lineage


def test_question_lineage_follows_chains_and_stops_at_a_cycle():
    links = [(20, 10), (30, 20), (11, None), (40, 41), (41, 40)]
    found = question_lineage(links)
    assert found[10] == 30 and found[20] == 30
    assert 11 not in found
    assert found[40] in (40, 41) and found[41] in (40, 41)
