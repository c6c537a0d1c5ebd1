"""EXPERIMENT (round 6 in docs/benchmarks-ranking.md), not used by the engine and not part of the tests.

Does a gradient-boosted ranker (LightGBM LambdaMART) over the round-4 pair features, plus the
engine's own rank and score, clear the product-page goal that the linear scorer only reaches?

    npx tsx scripts/experiments/learned-product-page-ranking.ts --export /tmp/product-page-features
    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install lightgbm
    /tmp/venv/bin/python scripts/experiments/gbdt_product_page.py /tmp/product-page-features

Needs Python 3 with numpy and lightgbm (from PyPI); the app itself never does.
"""
import json
import sys
from pathlib import Path

import lightgbm
import numpy as np

K = 10
SETTINGS = [  # (learning rate, leaves, rounds)
    (0.03, 7, 150),
    (0.05, 15, 200),
    (0.05, 31, 100),
]


def read(path):
    table = np.loadtxt(path, delimiter=",")
    return {"query": table[:, 0].astype(int), "relevant": table[:, 1], "ideal": table[:, 2].astype(int),
            "candidate": table[:, 3].astype(int), "x": table[:, 4:]}


def query_slices(query):
    cuts = np.flatnonzero(np.diff(query)) + 1
    return zip(np.r_[0, cuts], np.r_[cuts, len(query)])


def top_k(scores):
    return np.argsort(-scores, kind="stable")[:K]


def mean_ndcg(data, scores, query_count):
    """Queries without any candidate score 0, so the sum is divided by every test query."""
    discounts = 1 / np.log2(np.arange(2, K + 2))
    total = 0.0
    for start, end in query_slices(data["query"]):
        top = top_k(scores[start:end])
        ideal = discounts[: data["ideal"][start]].sum()
        if ideal > 0:
            total += (data["relevant"][start:end][top] * discounts[: len(top)]).sum() / ideal
    return total / query_count


def best_seller_share(pages, scores, best_sellers):
    slots = popular = 0
    for start, end in query_slices(pages["query"]):
        page = pages["candidate"][start:end][top_k(scores[start:end])]
        slots += len(page)
        popular += sum(1 for product in page if product in best_sellers)
    return popular / slots


def main(root):
    for split in sorted(Path(root).glob("split-*")):
        figures = json.loads((split / "figures.json").read_text())
        fit, test, pages = (read(split / name) for name in ("fit.csv", "test.csv", "pages.csv"))
        base = figures["cooccurrence"]
        print(f"{figures['split']}: co-occurrence {base:.4f}, upshelf {figures['upshelf']:.4f}, linear {figures['linear']:.4f}")
        for rate, leaves, rounds in SETTINGS:
            params = {"objective": "lambdarank", "learning_rate": rate, "num_leaves": leaves, "min_data_in_leaf": 50,
                      "feature_fraction": 0.8, "bagging_fraction": 0.8, "bagging_freq": 1,
                      "lambdarank_truncation_level": 20, "verbose": -1, "seed": 1}
            groups = np.unique(fit["query"], return_counts=True)[1]
            model = lightgbm.train(params, lightgbm.Dataset(fit["x"], fit["relevant"], group=groups), num_boost_round=rounds)
            ndcg = mean_ndcg(test, model.predict(test["x"]), figures["testQueries"])
            share = best_seller_share(pages, model.predict(pages["x"]), set(figures["bestSellers"]))
            print(f"  LambdaMART rate {rate}, {leaves} leaves, {rounds} rounds: NDCG@{K} {ndcg:.4f} "
                  f"({(ndcg / base - 1) * 100:+.1f}%), best-seller share {share:.3f}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/product-page-features")
