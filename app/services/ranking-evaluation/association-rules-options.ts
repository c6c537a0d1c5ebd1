// Options of the association-rules baseline, apart from its module so that reading them does not
// load node-fpgrowth (a development dependency).
export interface AssociationRulesOptions {
  /**
   * Minimum relative support of mined itemsets (see also minSupportBaskets). 0.003 mines the
   * shared UCI file (9,600 training baskets) in about 20 s; lower supports explode, because
   * node-fpgrowth has no length limit and wholesale baskets hold huge numbers of long itemsets.
   */
  readonly minSupport?: number;
  /** Largest antecedent used when scoring (rules X → y with |X| ≤ this). */
  readonly maxAntecedent?: number;
  /** Floor on the support in baskets (default 30): few baskets make relative supports meaningless. */
  readonly minSupportBaskets?: number;
  /** Mining stops and retries with 25% more support past this many itemsets (bounds memory). */
  readonly maxItemsets?: number;
}

export const DEFAULT_ASSOCIATION_RULES_SUPPORT = 0.003;
export const MIN_SUPPORT_BASKETS = 30;
export const DEFAULT_MAX_ITEMSETS = 250_000;
