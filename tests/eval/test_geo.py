"""The geo scorer on a tiny LGL-format file we write ourselves."""

from __future__ import annotations

import pytest

from newsgraph.eval.geo import haversine_km, read_xml, score

XML = """<?xml version="1.0" encoding="utf-8"?>
<articles>
  <article docid="1">
    <text><![CDATA[Floods hit Springfield and Lyon. Main St. closed.]]></text>
    <toponyms>
      <toponym><start>11</start><end>22</end><phrase>Springfield</phrase>
        <gaztag geonameid="4250542"><name>Springfield</name>
          <lat>39.80</lat><lon>-89.64</lon></gaztag>
      </toponym>
      <toponym><start>27</start><end>31</end><phrase>Lyon</phrase>
        <gaztag geonameid="2996944"><name>Lyon</name><lat>45.75</lat><lon>4.85</lon></gaztag>
      </toponym>
      <toponym><start>33</start><end>40</end><phrase>Main St.</phrase></toponym>
    </toponyms>
  </article>
  <article docid="2">
    <text><![CDATA[Nothing happened in Oslo.]]></text>
    <toponyms>
      <toponym><start>20</start><end>24</end><phrase>Oslo</phrase>
        <gaztag geonameid="3143244"><name>Oslo</name><lat>59.91</lat><lon>10.75</lon></gaztag>
      </toponym>
    </toponyms>
  </article>
</articles>
"""


@pytest.fixture
def gold(tmp_path):
    path = tmp_path / "tiny.xml"
    path.write_text(XML, encoding="utf-8")
    return read_xml(path)


def test_read_xml(gold):
    assert [a.id for a in gold] == ["1", "2"]
    first = gold[0]
    assert first.text[11:22] == "Springfield"
    assert [t.phrase for t in first.toponyms] == ["Springfield", "Lyon", "Main St."]
    assert first.toponyms[0].geonameid == 4250542
    assert first.toponyms[2].lat is None  # no coordinates: not counted as gold


def test_haversine():
    assert haversine_km(0, 0, 0, 1) == pytest.approx(111.2, abs=0.2)
    assert haversine_km(10, 10, 10, 10) == 0


def test_score_counts_missed_toponyms_as_wrong(gold):
    preds = [
        [
            (11, 22, 39.8, -89.6),  # Springfield, right
            (27, 31, 45.76, -0.6),  # Lyon, placed ~420 km off
            (33, 37, None, None),  # "Main": overlaps a gold toponym without coordinates
            (0, 6, 10.0, 10.0),  # "Floods": no gold toponym
        ],
        [],  # Oslo missed
    ]
    m = score(gold, preds)
    assert m["gold"] == 3
    assert m["recall"] == pytest.approx(2 / 3)
    assert m["acc@161km"] == pytest.approx(1 / 3)
    assert m["precision"] == pytest.approx(3 / 4)
    assert m["median_error_km"] == pytest.approx(
        (haversine_km(39.8, -89.64, 39.8, -89.6) + haversine_km(45.75, 4.85, 45.76, -0.6)) / 2
    )


def test_score_unplaced_prediction_is_maximal_error(gold):
    m = score(gold, [[(11, 22, None, None)], []])
    assert m["recall"] == pytest.approx(1 / 3)
    assert m["acc@161km"] == 0
    assert m["median_error_km"] == 20038.0


def test_fallback_resolves_only_uncovered_toponyms(gold):
    # A NORP-style fallback over "Lyon" (uncovered by places) and over "Springfield"
    # (covered: the place prediction wins, even though the fallback is nearer).
    preds = [[(11, 22, 30.0, -89.6)], []]
    fallback = [[(27, 31, 45.75, 4.85), (11, 22, 39.8, -89.64)], [(0, 7, 59.9, 10.7)]]
    m = score(gold, preds, fallback)
    assert m["recall"] == pytest.approx(2 / 3)
    assert m["acc@161km"] == pytest.approx(1 / 3)  # Lyon by fallback; Springfield off
    assert m["precision"] == pytest.approx(1.0)  # over place predictions only
    assert score(gold, preds)["acc@161km"] == 0
