"""Synthetic news articles for benchmarks: an invented crisis, written from templates.

    python benchmarks/generate_articles.py 10000 > articles.jsonl

Deterministic (seeded). Articles carry names (with occasional misspellings), places,
dates, quotes and figures that sometimes disagree, and about 5% are syndicated copies of
an earlier article, so every stage of the knowledge base has work to do.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator
from datetime import date, timedelta

FIRST = [
    "Amira",
    "Karim",
    "Leila",
    "Samir",
    "Farid",
    "Nadia",
    "Omar",
    "Youssef",
    "Ines",
    "Helena",
    "Tomas",
    "Maria",
    "Paul",
    "Anna",
    "Rami",
    "Salma",
    "Hadi",
    "Lina",
]
LAST = [
    "Haddad",
    "Nasser",
    "Aziz",
    "Karam",
    "Saleh",
    "Moreau",
    "Brandt",
    "Weber",
    "Lindqvist",
    "Girard",
    "Petrov",
    "Khalil",
    "Mansour",
    "Darwish",
    "Rahal",
    "Sabbagh",
]
ROLES = [
    "defence minister",
    "governor",
    "spokesperson",
    "aid worker",
    "doctor",
    "opposition leader",
    "teacher",
    "envoy",
    "volunteer",
    "mayor",
]
ORGS = [
    "United Nations",
    "UN",
    "UNHCR",
    "World Food Programme",
    "WFP",
    "Red Crescent",
    "International Committee of the Red Cross",
    "ICRC",
    "health ministry",
    "interior ministry",
    "civil defence",
]
PLACES = [
    "Kessa",
    "Dessin",
    "Marun",
    "Orlo",
    "Belsa",
    "Tavor",
    "Quenna",
    "Lusk",
    "Parvel",
    "Hesk",
    "Sorra",
    "Vinta",
]
OUTLETS = ["Northern Wire", "Kessa Daily", "Regional Herald", "Global Report", "Coastal Times"]
CATEGORIES = [
    ("displaced", "had been displaced in"),
    ("killed", "were killed in"),
    ("evacuated", "had been evacuated from"),
    ("injured", "were injured in"),
    ("sheltered", "were sheltering in"),
]
EVENTS = [
    "Government forces shelled {place} on {day}.",
    "Protesters marched through {place} on {day}.",
    "Talks on a ceasefire for {place} began on {day}.",
    "An aid convoy reached {place} on {day}.",
    "Police arrested dozens of people in {place} on {day}.",
]
QUOTES = [
    "We have nowhere left to go",
    "The needs are growing every hour",
    "There will be no pause",
    "Civilians must be allowed to leave",
    "The food is ready but the road is not",
    "This is a first step, not the end",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _misspell(rng: random.Random, name: str) -> str:
    if rng.random() > 0.05 or len(name) < 6:
        return name
    i = rng.randrange(1, len(name) - 1)
    return name[:i] + name[i + 1] + name[i] + name[i + 2 :]  # swap two letters


def generate(n: int, seed: int = 7) -> Iterator[dict]:
    rng = random.Random(seed)
    start = date(2026, 3, 2)
    made: list[dict] = []
    for i in range(n):
        published = start + timedelta(days=rng.randrange(60))
        if made and rng.random() < 0.05:  # a syndicated copy of an earlier story
            original = rng.choice(made[-200:])
            yield {
                "id": f"gen-{i:06d}",
                "published": original["published"],
                "source": rng.choice(OUTLETS),
                "title": original["title"],
                "text": original["text"] + "\n\nThis report was supplied by a news agency.",
            }
            continue
        place, other = rng.sample(PLACES, 2)
        person = f"{rng.choice(FIRST)} {_misspell(rng, rng.choice(LAST))}"
        second = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        role = rng.choice(ROLES)
        org = rng.choice(ORGS)
        day = rng.choice(DAYS)
        category, verb = rng.choice(CATEGORIES)
        value = rng.choice([12, 31, 40, 250, 900, 3000, 4500, 7000, 12000, 20000])
        sentences = [
            rng.choice(EVENTS).format(place=place, day=day),
            f"The {org} said on {day} that {value:,} people {verb} {place} this week.",
            f'"{rng.choice(QUOTES)}," said {person}, the {role}, in {other}.',
            f"{second} told reporters that the situation in {place} was getting worse.",
            f"Officials in {other} said {rng.randrange(2, 60)} people were injured on {day}.",
        ]
        tail = sentences[2:]
        rng.shuffle(tail)  # vary the order of the later sentences
        sentences[2:] = tail
        article = {
            "id": f"gen-{i:06d}",
            "published": published.isoformat(),
            "source": rng.choice(OUTLETS),
            "title": f"{place}: {category} figures rise",
            "text": " ".join(sentences),
        }
        made.append(article)
        yield article


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", type=int, help="number of articles")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    for article in generate(args.n, args.seed):
        sys.stdout.write(json.dumps(article) + "\n")


if __name__ == "__main__":
    main()
