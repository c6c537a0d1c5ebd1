import { describe, expect, it } from "vitest";
import { emptyDraft } from "~/components/offers/offer-draft";
import { isDirty, isNewSuccessfulSave, sameFormState, shouldAskBeforeLeaving } from "./form-state";

describe("isDirty", () => {
  const saved = { "placements.pdp.heading": "Frequently bought together", "placements.pdp.enabled": "on", "placements.pdp.limit": "4" };

  it("is clean for what was loaded, even as a fresh copy from a reload of the page's data", () => {
    expect(isDirty(saved, { ...saved })).toBe(false);
    expect(isDirty({ "placements.pdp.limit": "4", "placements.pdp.enabled": "on", "placements.pdp.heading": "Frequently bought together" }, saved)).toBe(false);
  });

  it("is dirty once a field differs, and clean again when it is typed back", () => {
    expect(isDirty({ ...saved, "placements.pdp.heading": "Goes well with" }, saved)).toBe(true);
    expect(isDirty({ ...saved, "placements.pdp.enabled": "" }, saved)).toBe(true);
    expect(isDirty({ ...saved, "placements.pdp.heading": "Frequently bought together" }, saved)).toBe(false);
  });

  it("compares an offer draft deeply: picked items, tiers and combinations", () => {
    const draft = { ...emptyDraft("quantityBreaks"), title: "Buy more" };
    expect(isDirty(structuredClone(draft), draft)).toBe(false);
    expect(isDirty({ ...draft, tiers: [...draft.tiers, { threshold: "", value: "" }] }, draft)).toBe(true);
    expect(isDirty({ ...draft, tiers: draft.tiers.map((tier, index) => (index === 0 ? { ...tier, value: "11" } : tier)) }, draft)).toBe(true);
    expect(isDirty({ ...draft, combinesWith: { ...draft.combinesWith, orderDiscounts: true } }, draft)).toBe(true);
    const item = { kind: "product" as const, id: "gid://shopify/Product/1", productId: "gid://shopify/Product/1", variantId: null, title: "Teapot", price: 1250, lowestPrice: 1250 };
    expect(isDirty({ ...draft, eligible: [item] }, draft)).toBe(true);
    expect(isDirty({ ...draft, eligible: [{ ...item }] }, { ...draft, eligible: [item] })).toBe(false);
  });

  it("tells arrays, objects and scalars apart", () => {
    expect(sameFormState([], {})).toBe(false);
    expect(sameFormState({ a: "1" }, { a: 1 })).toBe(false);
    expect(sameFormState(null, {})).toBe(false);
    expect(sameFormState(["a", "b"], ["b", "a"])).toBe(false);
    expect(sameFormState({ a: "1", b: undefined }, { a: "1" })).toBe(true);
  });
});

describe("shouldAskBeforeLeaving", () => {
  const leave = { dirty: true, leavingOnPurpose: false, fromPathname: "/app/settings", toPathname: "/app" };

  it("asks only when a dirty form would be left for another page", () => {
    expect(shouldAskBeforeLeaving(leave)).toBe(true);
    expect(shouldAskBeforeLeaving({ ...leave, dirty: false })).toBe(false);
  });

  it("lets the form's own Save (a submission to the page itself) and a change of the page's query through", () => {
    expect(shouldAskBeforeLeaving({ ...leave, toPathname: "/app/settings" })).toBe(false);
  });

  it("lets the form's own navigation after a save or a delete through", () => {
    expect(shouldAskBeforeLeaving({ ...leave, leavingOnPurpose: true, fromPathname: "/app/tiers/new", toPathname: "/app/tiers/off_1" })).toBe(false);
  });
});

describe("isNewSuccessfulSave", () => {
  it("counts a successful save once, not again while its outcome stays on the page through later reloads", () => {
    const saved = { ok: true };
    expect(isNewSuccessfulSave(saved, undefined)).toBe(true);
    expect(isNewSuccessfulSave(saved, saved)).toBe(false);
    expect(isNewSuccessfulSave({ ok: true }, saved)).toBe(true);
  });

  it("never counts a refused save or no outcome", () => {
    expect(isNewSuccessfulSave({ ok: false }, undefined)).toBe(false);
    expect(isNewSuccessfulSave(undefined, { ok: true })).toBe(false);
  });
});
