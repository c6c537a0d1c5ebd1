import type { RankingEvaluationReport } from "~/core/ranking/evaluation/evaluate-ranking";

const UPSHELF = "upshelf";

/** Plain-text report: one table per task, then Upshelf's margin over the best baseline per metric. */
export function formatEvaluationTable(report: RankingEvaluationReport): string {
  const { k } = report;
  const lines: string[] = [];
  lines.push(
    `Ranking evaluation: k=${k}, ${report.trainOrders} training orders, ${report.testOrders} test orders, ${report.catalogSize} products`
  );
  lines.push("");
  lines.push(`Cart (each item hidden in turn, the others as the cart): ${report.tasks.cart.queries} queries`);
  lines.push(
    ...table(
      ["model", `HitRate@${k}`, `NDCG@${k}`, "MRR"],
      Object.entries(report.tasks.cart.models).map(([name, m]) => [name, m.hitRate, m.ndcg, m.mrr])
    )
  );
  lines.push("");
  lines.push(`Product page (first item as the page, the others as targets): ${report.tasks.pdp.queries} queries`);
  lines.push(
    ...table(
      ["model", `Recall@${k}`, `NDCG@${k}`, "popular share"],
      Object.entries(report.tasks.pdp.models).map(([name, m]) => [
        name,
        m.recall,
        m.ndcg,
        report.popularShareByModel[name] ?? Number.NaN,
      ])
    )
  );
  lines.push("(popular share: product-page slots, over every catalog product, taken by the top 1% best sellers)");
  lines.push("");
  const margins = [
    margin(`cart HitRate@${k}`, report.tasks.cart.models, (m) => m.hitRate),
    margin(`cart NDCG@${k}`, report.tasks.cart.models, (m) => m.ndcg),
    margin(`pdp Recall@${k}`, report.tasks.pdp.models, (m) => m.recall),
    margin(`pdp NDCG@${k}`, report.tasks.pdp.models, (m) => m.ndcg),
  ].filter((line): line is string => line !== undefined);
  if (margins.length > 0) lines.push("Upshelf vs the best baseline:", ...margins.map((line) => `  ${line}`), "");
  lines.push(`Catalog coverage (products with ${k} recommendations): ${(report.coverage * 100).toFixed(1)}%`);
  lines.push(
    `Popular share (Upshelf product-page slots taken by the top 1% products): ${(report.popularShare * 100).toFixed(1)}%`
  );
  return lines.join("\n");
}

function table(header: string[], rows: (string | number)[][]): string[] {
  const cells = [header, ...rows.map((row) => row.map((cell) => (typeof cell === "number" ? cell.toFixed(4) : cell)))];
  const widths = header.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? "").length)));
  return cells.map((row) =>
    row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join("  ")
  );
}

function margin<M>(label: string, models: Record<string, M>, value: (metrics: M) => number): string | undefined {
  const upshelf = models[UPSHELF];
  const baselines = Object.entries(models).filter(([name]) => name !== UPSHELF);
  if (!upshelf || baselines.length === 0) return undefined;
  const [bestName, best] = baselines.reduce((a, b) => (value(b[1]) > value(a[1]) ? b : a));
  const relative = value(best) > 0 ? (value(upshelf) / value(best) - 1) * 100 : Number.POSITIVE_INFINITY;
  return `${label}: ${value(upshelf).toFixed(4)} vs ${bestName} ${value(best).toFixed(4)} (${
    relative >= 0 ? "+" : ""
  }${relative.toFixed(1)}%)`;
}
