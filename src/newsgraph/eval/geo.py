"""`newsgraph eval geo`: toponym recognition and resolution against LGL / TR-News gold.

The XML format (Gritta et al.'s "Pragmatic Guide to Geoparsing Evaluation" release):
``<article><text>…</text><toponyms><toponym><start/><end/><phrase/>
<gaztag geonameid=…><lat/><lon/>…</gaztag></toponym>…``.

Our pipeline runs end to end on each article's raw text (base model, entities, places).
A predicted place mention matches a gold toponym when their character spans overlap.
Metrics, as the geoparsing literature reports them:

- recall: gold toponyms (those with coordinates) overlapped by a predicted place mention;
- acc@161km: gold toponyms whose matched prediction lies within 161 km (100 miles) of the
  gold point, over ALL gold toponyms (a missed toponym counts as wrong);
- median error km: over the matched toponyms (a matched place without coordinates
  counts as the maximum error, 20,038 km: half the Earth's circumference);
- precision: predicted place mentions that overlap any gold toponym (with or without
  coordinates).

Gold data in these sets also tags demonyms ("Turkish" -> Turkey) as toponyms. Our contract
keeps demonyms out of `places`, but the record still resolves them: the NORP entity behind
the mention carries its country as `affiliation`. The HEADLINE figures therefore credit a
gold toponym that no place mention overlaps with a NORP entity mention overlapping it, at
its affiliation's country point (that is the system's resolution of that mention, in
another field of the same record). The places-only figures (demonyms count as missed) are
printed beside them. Precision is over place mentions in both.
"""

from __future__ import annotations

import math
import statistics
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MAX_ERROR_KM = 20038.0
THRESHOLD_KM = 161.0


@dataclass
class GoldToponym:
    start: int
    end: int
    phrase: str
    lat: float | None
    lon: float | None
    geonameid: int | None = None


@dataclass
class GoldArticle:
    id: str
    text: str
    toponyms: list[GoldToponym] = field(default_factory=list)


def read_xml(path: str | Path) -> list[GoldArticle]:
    """The articles of an LGL / TR-News XML file."""
    root = ET.parse(path).getroot()
    articles = []
    for i, node in enumerate(root.iter("article")):
        text = node.findtext("text") or ""
        toponyms = []
        for t in node.iter("toponym"):
            start, end = int(t.findtext("start")), int(t.findtext("end"))
            gaz = t.find("gaztag")
            lat = lon = None
            gid = None
            if gaz is not None and gaz.findtext("lat") is not None:
                lat, lon = float(gaz.findtext("lat")), float(gaz.findtext("lon"))
                gid = int(gaz.get("geonameid")) if (gaz.get("geonameid") or "").isdigit() else None
            toponyms.append(GoldToponym(start, end, t.findtext("phrase") or "", lat, lon, gid))
        articles.append(GoldArticle(node.get("docid") or str(i), text, toponyms))
    return articles


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


# A prediction: (start, end, lat or None, lon or None).
Prediction = tuple[int, int, float | None, float | None]


def record_predictions(record: dict[str, Any]) -> list[Prediction]:
    """Every place mention of a contract record, with its place's point."""
    return [
        (m["start"], m["end"], p.get("lat"), p.get("lon"))
        for p in record.get("places", [])
        for m in p["mentions"]
    ]


def demonym_predictions(record: dict[str, Any]) -> list[Prediction]:
    """NORP entity mentions ("Turkish", "Syrians") at their affiliation's country point."""
    from newsgraph.pipeline.gazetteer import get_gazetteer

    gaz = get_gazetteer()
    out: list[Prediction] = []
    for e in record.get("entities", []):
        code = e.get("affiliation")
        if e["type"] != "NORP" or not code:
            continue
        country = gaz.country(code)
        if country is None:
            continue
        for m in e["mentions"]:
            out.append((m["start"], m["end"], country.lat, country.lon))
    return out


def score(
    gold: Iterable[GoldArticle],
    predicted: Iterable[list[Prediction]],
    fallback: Iterable[list[Prediction]] | None = None,
) -> dict[str, float | int]:
    """Recall, acc@161km over all gold toponyms, median error and precision.

    `fallback` (per article, e.g. NORP affiliations) resolves a gold toponym that no
    prediction overlaps; precision stays over `predicted` alone.
    """
    n_gold = n_found = n_close = n_pred = n_pred_ok = 0
    errors: list[float] = []
    gold = list(gold)
    predicted = list(predicted)
    backup = list(fallback) if fallback is not None else [[] for _ in gold]
    for article, preds, extra in zip(gold, predicted, backup, strict=True):
        for ps, pe, _, _ in preds:
            n_pred += 1
            if any(ps < t.end and t.start < pe for t in article.toponyms):
                n_pred_ok += 1
        for t in article.toponyms:
            if t.lat is None:
                continue
            n_gold += 1
            hits = [p for p in preds if p[0] < t.end and t.start < p[1]]
            if not hits:
                hits = [p for p in extra if p[0] < t.end and t.start < p[1]]
            if not hits:
                continue
            n_found += 1
            # The overlapping prediction closest in extent to the gold span.
            ps, pe, lat, lon = min(hits, key=lambda p: abs(p[0] - t.start) + abs(p[1] - t.end))
            err = MAX_ERROR_KM if lat is None else haversine_km(t.lat, t.lon, lat, lon)
            errors.append(err)
            if err <= THRESHOLD_KM:
                n_close += 1
    return {
        "gold": n_gold,
        "predicted": n_pred,
        "recall": n_found / n_gold if n_gold else 0.0,
        "acc@161km": n_close / n_gold if n_gold else 0.0,
        "median_error_km": statistics.median(errors) if errors else 0.0,
        "precision": n_pred_ok / n_pred if n_pred else 0.0,
    }


def run_pipeline(texts: list[str], cache_dir: Path | None = None) -> list[dict[str, Any]]:
    """Contract records for raw texts: base model, entities, places.

    With `cache_dir`, the base model's parses are kept there and reused, so iterating on
    our components skips the parser (`newsgraph.eval.parses`); results are identical
    either way.
    """
    from newsgraph.eval.parses import base_parses, run_ours
    from newsgraph.ingest import read_text_article
    from newsgraph.pipeline import build_pipeline
    from newsgraph.record import build_record

    nlp = build_pipeline(components=("newsgraph_entities", "newsgraph_places"))
    docs = base_parses(nlp, texts, cache_dir, "geo-parses")
    return [
        build_record(run_ours(nlp, doc), read_text_article(text, "<eval>", None))
        for text, doc in zip(texts, docs, strict=True)
    ]


def evaluate(xml_path: str | Path, cache_dir: Path | None = None) -> dict[str, Any]:
    """Run the pipeline on every article of `xml_path` and score its places."""
    gold = read_xml(xml_path)
    records = run_pipeline([a.text for a in gold], cache_dir)
    preds = [record_predictions(r) for r in records]
    metrics: dict[str, Any] = score(gold, preds, [demonym_predictions(r) for r in records])
    metrics["places_only"] = score(gold, preds)
    metrics["articles"] = len(gold)
    return metrics


def format_metrics(name: str, m: dict[str, Any]) -> str:
    p = m.get("places_only") or m
    lines = [
        f"{name}: {m['articles']} articles, {m['gold']} gold toponyms with coordinates, "
        f"{m['predicted']} predicted place mentions",
        "                     headline  places only",
        f"  toponym recall     {m['recall']:.3f}     {p['recall']:.3f}",
        f"  acc@161km (all)    {m['acc@161km']:.3f}     {p['acc@161km']:.3f}",
        f"  median error km    {m['median_error_km']:<8.1f}  {p['median_error_km']:.1f}",
        f"  precision          {m['precision']:.3f}     {p['precision']:.3f}",
        "  (headline: a gold toponym no place mention covers is resolved by an overlapping",
        "   NORP entity's affiliation, e.g. 'Turkish' -> Turkey; places only: it is missed)",
    ]
    return "\n".join(lines)
