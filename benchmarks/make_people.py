"""Write a made-up people table for `planner batch`: varied ages, sexes, life stages, diets, deficiencies,
symptoms in words, exclusions and budgets. For load tests only: the mix is invented, not a survey.

Usage: python benchmarks/make_people.py 1000 -o people.csv [--days 7] [--seed 0]
"""

from __future__ import annotations

import argparse
import csv
import random
import sys

COLUMNS = ["id", "age", "sex", "pregnant", "lactating", "deficient", "symptoms", "diet", "exclude", "budget", "days"]
# (weight, lowest age, highest age): mostly adults, some children, teens and older people.
AGES = [(8, 2, 13), (10, 14, 18), (45, 19, 50), (25, 51, 70), (12, 71, 90)]
DIETS = [(72, "omnivore"), (10, "vegetarian"), (10, "pescatarian"), (8, "vegan")]
DEFICIENT = ["magnesium", "calcium", "potassium", "vitamin_d", "vitamin_b12"]
SYMPTOMS = ["eyelid twitching", "leg cramps at night", "muscle cramps; tired all the time", "tingling in my fingers",
            "my eye has been twitching for 3 weeks", "calf cramps after running", "feeling weak and tired"]
EXCLUDE = ["nuts", "peanuts", "fish", "dairy", "gluten", "soy", "egg"]


def _weighted(rng: random.Random, choices: list[tuple]) -> tuple:
    return rng.choices(choices, weights=[c[0] for c in choices])[0]


def person(rng: random.Random, number: int, days: int) -> dict[str, str]:
    _, low, high = _weighted(rng, AGES)
    age = rng.randint(low, high)
    sex = rng.choice(["female", "male"])
    stage = ""
    if sex == "female" and 19 <= age <= 45 and rng.random() < 0.12:
        stage = rng.choice(["pregnant", "lactating"])
    diet = _weighted(rng, DIETS)[1]
    deficient = rng.sample(DEFICIENT, rng.choice([0, 1, 1, 2, 2, 3]))
    return {
        "id": f"p{number:05d}", "age": str(age), "sex": sex,
        "pregnant": "yes" if stage == "pregnant" else "", "lactating": "yes" if stage == "lactating" else "",
        "deficient": ",".join(deficient),
        "symptoms": rng.choice(SYMPTOMS) if rng.random() < 0.25 else "",
        "diet": diet,
        "exclude": ",".join(rng.sample(EXCLUDE, rng.choice([0, 0, 0, 1, 1, 2]))),
        "budget": str(rng.choice([8, 10, 12, 15])) if rng.random() < 0.2 else "",
        "days": str(days),
    }


def write_people(path: str, count: int, days: int = 7, seed: int = 0) -> None:
    rng = random.Random(seed)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, COLUMNS)
        writer.writeheader()
        for number in range(1, count + 1):
            writer.writerow(person(rng, number, days))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("-o", "--output", required=True)
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    write_people(args.output, args.count, args.days, args.seed)
    print(f"wrote {args.count} people to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
