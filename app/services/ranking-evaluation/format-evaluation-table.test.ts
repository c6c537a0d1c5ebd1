import { describe, expect, it } from "vitest";
import type { RankingEvaluationReport } from "~/core/ranking/evaluation/evaluate-ranking";
import { formatEvaluationTable } from "./format-evaluation-table";

const report: RankingEvaluationReport = {
  k: 10,
  tasks: {
    cart: {
      queries: 100,
      models: { upshelf: { hitRate: 0.2, ndcg: 0.1, mrr: 0.09 }, cosine: { hitRate: 0.16, ndcg: 0.08, mrr: 0.07 } },
    },
    pdp: { queries: 20, models: { upshelf: { recall: 0.12, ndcg: 0.2 }, cosine: { recall: 0.1, ndcg: 0.21 } } },
  },
  margins: {
    cart: { hitRate: { baseline: "cosine", relative: 0.25, low: 0.182, high: 0.319 } },
    pdp: { ndcg: { baseline: "cosine", relative: 0.2 / 0.21 - 1, low: -0.12, high: 0.031 } },
  },
  coverage: 1,
  popularShare: 0.17,
  popularShareByModel: { upshelf: 0.17, cosine: 0.02 },
  trainOrders: 50,
  testOrders: 10,
  catalogSize: 30,
};

describe("formatEvaluationTable", () => {
  it("prints each model's metrics and Upshelf's margin over the best baseline", () => {
    const text = formatEvaluationTable(report);
    expect(text).toMatch(/upshelf\s+0\.2000\s+0\.1000\s+0\.0900/);
    expect(text).toContain("cart HitRate@10: 0.2000 vs cosine 0.1600 (+25.0%; +18.2% to +31.9%)");
    expect(text).toContain("pdp NDCG@10: 0.2000 vs cosine 0.2100 (-4.8%; -12.0% to +3.1%)");
    // A metric without a margin (no other model, or one that scored nothing) gets no line.
    expect(text).not.toContain("cart NDCG@10:");
    expect(text).toContain("Catalog coverage (products with 10 recommendations): 100.0%");
  });
});
