import type { Margin, RankingEvaluationReport } from "~/core/ranking/evaluation/evaluate-ranking";

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
  const { cart, pdp } = report.tasks;
  const margins = [
    marginLine(`cart HitRate@${k}`, cart.models.upshelf?.hitRate, report.margins.cart.hitRate, (name) => cart.models[name]?.hitRate),
    marginLine(`cart NDCG@${k}`, cart.models.upshelf?.ndcg, report.margins.cart.ndcg, (name) => cart.models[name]?.ndcg),
    marginLine(`pdp Recall@${k}`, pdp.models.upshelf?.recall, report.margins.pdp.recall, (name) => pdp.models[name]?.recall),
    marginLine(`pdp NDCG@${k}`, pdp.models.upshelf?.ndcg, report.margins.pdp.ndcg, (name) => pdp.models[name]?.ndcg),
  ].filter((line): line is string => line !== undefined);
  if (margins.length > 0) {
    lines.push(
      "Upshelf vs the best baseline (95% interval from resampling test orders):",
      ...margins.map((line) => `  ${line}`),
      ""
    );
  }
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

function marginLine(
  label: string,
  upshelf: number | undefined,
  margin: Margin | undefined,
  baselineValue: (name: string) => number | undefined
): string | undefined {
  if (upshelf === undefined || margin === undefined) return undefined;
  const baseline = baselineValue(margin.baseline) ?? Number.NaN;
  return `${label}: ${upshelf.toFixed(4)} vs ${margin.baseline} ${baseline.toFixed(4)} (${signedPercent(margin.relative)}; ${signedPercent(
    margin.low
  )} to ${signedPercent(margin.high)})`;
}

function signedPercent(relative: number): string {
  if (!Number.isFinite(relative)) return relative > 0 ? "+∞" : "-∞";
  const percent = relative * 100;
  return `${percent >= 0 ? "+" : ""}${percent.toFixed(1)}%`;
}
