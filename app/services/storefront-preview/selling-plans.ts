/**
 * The preview storefront's selling plans: one group with one plan ("Delivery every month"),
 * offered on every variant of the demo shop and never required, so a cart line can be a
 * subscription as on a shop running a subscriptions app. Shapes as Shopify's Ajax API gives them:
 * a product's `selling_plan_groups` and each variant's `selling_plan_allocations`
 * (`/products/<handle>.js`), and a cart line's `selling_plan_allocation` (`/cart.js`), present only
 * on a line bought with a plan. The plan adjusts no price, so a line on it costs what its variant
 * costs, at the checkout function as everywhere else in the preview: price adjustments are not
 * emulated (the app prices a cart line at its variant's price; docs/decisions/0005).
 */
export const DEMO_SELLING_PLAN_ID = "690001";
const GROUP_ID = "upshelf-demo-subscription";
const OPTION = { name: "Delivery every", position: 1, value: "Month" };

/** Whether a variant can be bought with this plan (an add naming any other is refused). */
export function offersSellingPlan(sellingPlanId: string): boolean {
  return sellingPlanId === DEMO_SELLING_PLAN_ID;
}

const plan = {
  id: Number(DEMO_SELLING_PLAN_ID),
  name: "Delivery every month",
  description: null,
  options: [OPTION],
  recurring_deliveries: true,
  price_adjustments: [],
};

/** `selling_plan_groups` of a product's JSON. */
export function sellingPlanGroupsJson() {
  return [{ id: GROUP_ID, name: "Subscribe", options: [{ name: OPTION.name, position: OPTION.position, values: [OPTION.value] }], selling_plans: [plan], app_id: null }];
}

// No price adjustment: `compare_at_price` (the price without one) is null, as Shopify gives it then.

/** `selling_plan_allocations` of a variant's JSON (`price` in the Ajax API's hundredths). */
export function sellingPlanAllocationsJson(price: number) {
  return [{ price_adjustments: [], price, compare_at_price: null, per_delivery_price: price, selling_plan_id: plan.id, selling_plan_group_id: GROUP_ID }];
}

/** A cart line's `selling_plan_allocation` (`price`: the line's unit price, in hundredths). */
export function cartLineSellingPlanJson(price: number) {
  return { price_adjustments: [], price, compare_at_price: null, per_delivery_price: price, selling_plan: { ...plan, fixed_selling_plan: false } };
}
