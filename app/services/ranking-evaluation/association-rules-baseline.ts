import { FPGrowth, type Itemset } from "node-fpgrowth";
import type { EvaluatedModel } from "~/core/ranking/evaluation/evaluated-model";
import { popularityOrder } from "~/core/ranking/evaluation/popularity-order";
import { topIndices } from "~/core/ranking/top-n";
import type { Order, ProductId } from "~/core/ranking/types";
import {
  DEFAULT_ASSOCIATION_RULES_SUPPORT,
  DEFAULT_MAX_ITEMSETS,
  MIN_SUPPORT_BASKETS,
  type AssociationRulesOptions,
} from "./association-rules-options";

class TooManyItemsets extends Error {}

/**
 * Classic association rules as a baseline: frequent itemsets mined by FP-growth (node-fpgrowth),
 * rules X → y with X among the anchors, candidates ranked by their best rule's confidence;
 * products no rule reaches follow by popularity. Lives in services because node-fpgrowth is a
 * development dependency, not something the app serves with: import this module only on demand.
 */
export async function associationRulesBaseline(
  train: readonly Order[],
  candidateIds: readonly ProductId[],
  options: AssociationRulesOptions = {}
): Promise<EvaluatedModel & { readonly minSupport: number }> {
  const maxAntecedent = options.maxAntecedent ?? 2;
  const { ids } = popularityOrder(train, candidateIds);
  const rankOf = new Map(ids.map((id, rank) => [id, rank]));
  // Items are mined as popularity ranks (numbers hash faster than strings in the library).
  const transactions: number[][] = [];
  for (const order of train) {
    if (order.cancelled) continue;
    const ranks = new Set<number>();
    for (const line of order.lines) {
      const rank = rankOf.get(line.productId);
      if (rank !== undefined) ranks.add(rank);
    }
    if (ranks.size > 0) transactions.push([...ranks]);
  }
  let minSupport = Math.max(
    options.minSupport ?? DEFAULT_ASSOCIATION_RULES_SUPPORT,
    (options.minSupportBaskets ?? MIN_SUPPORT_BASKETS) / Math.max(1, transactions.length)
  );
  let itemsets: Itemset<number>[] = [];
  for (;;) {
    try {
      itemsets =
        transactions.length === 0
          ? []
          : await mineItemsets(transactions, minSupport, options.maxItemsets ?? DEFAULT_MAX_ITEMSETS);
      break;
    } catch (error) {
      if (!(error instanceof TooManyItemsets)) throw error;
      minSupport *= 1.25;
    }
  }
  const support = new Map<string, number>();
  for (const itemset of itemsets) {
    if (itemset.items.length <= maxAntecedent + 1) support.set(keyOf(itemset.items), itemset.support);
  }
  const rules = new Map<string, { consequent: number; confidence: number }[]>();
  for (const itemset of itemsets) {
    const items = itemset.items;
    if (items.length < 2 || items.length > maxAntecedent + 1) continue;
    for (const consequent of items) {
      const antecedent = keyOf(items.filter((item) => item !== consequent));
      const antecedentSupport = support.get(antecedent);
      if (!antecedentSupport) continue;
      const list = rules.get(antecedent) ?? [];
      list.push({ consequent, confidence: itemset.support / antecedentSupport });
      rules.set(antecedent, list);
    }
  }

  const score = new Float64Array(ids.length);
  const touched: number[] = [];
  return {
    name: "fpgrowth",
    minSupport,
    recommend(anchors, limit) {
      const anchorRanks = [...new Set(anchors.map((id) => rankOf.get(id)).filter((rank): rank is number => rank !== undefined))];
      const apply = (antecedent: number[]) => {
        for (const rule of rules.get(keyOf(antecedent)) ?? []) {
          if ((score[rule.consequent] ?? 0) === 0) touched.push(rule.consequent);
          score[rule.consequent] = Math.max(score[rule.consequent] ?? 0, rule.confidence);
        }
      };
      for (let i = 0; i < anchorRanks.length; i++) {
        apply([anchorRanks[i] ?? 0]);
        if (maxAntecedent >= 2)
          for (let j = i + 1; j < anchorRanks.length; j++) apply([anchorRanks[i] ?? 0, anchorRanks[j] ?? 0]);
      }
      const blocked = new Set(anchorRanks);
      // Ranks are popularity order and topIndices prefers lower indices on ties.
      const best = topIndices(ids.length, (rank) => (blocked.has(rank) ? Number.NaN : score[rank] ?? 0), limit);
      for (const rank of touched) score[rank] = 0;
      touched.length = 0;
      return best.map((rank) => ids[rank] ?? "");
    },
  };
}

/** FP-growth that gives up (throws TooManyItemsets) instead of exhausting the heap. */
async function mineItemsets(transactions: number[][], minSupport: number, maxItemsets: number): Promise<Itemset<number>[]> {
  const miner = new FPGrowth<number>(minSupport);
  let mined = 0;
  // The library emits each itemset synchronously while mining; throwing here unwinds the mining.
  miner.on("data", () => {
    mined += 1;
    if (mined > maxItemsets) throw new TooManyItemsets();
  });
  return miner.exec(transactions);
}

function keyOf(items: readonly number[]): string {
  return [...items].sort((a, b) => a - b).join(",");
}
