import { describe, expect, it } from "vitest";
import { formToObject, parseAddRequest, parseChangeRequest, readBody, RequestError } from "./cart-request";

describe("storefront cart request bodies", () => {
  it("reads an Ajax add of several items with properties and sections", () => {
    const add = parseAddRequest({
      items: [{ id: 11, quantity: 2, properties: { _upshelf_offer: "off_1", _upshelf_placement: "pdp" } }, { id: "12" }],
      sections: "cart-icon-bubble, main-cart-items",
    });
    expect(add.items).toEqual([
      { variantId: "11", quantity: 2, properties: { _upshelf_offer: "off_1", _upshelf_placement: "pdp" } },
      { variantId: "12", quantity: 1, properties: {} },
    ]);
    expect(add.sections).toEqual(["cart-icon-bubble", "main-cart-items"]);
    expect(add.single).toBe(false);
  });

  it("reads a theme's product form, properties[...] fields included", () => {
    const form = formToObject(new URLSearchParams("id=11&quantity=3&properties%5BEngraving%5D=Hi"));
    expect(parseAddRequest(form)).toEqual({ items: [{ variantId: "11", quantity: 3, properties: { Engraving: "Hi" } }], sections: undefined, single: true });
  });

  it("rejects what Shopify rejects, saying why", () => {
    expect(() => parseAddRequest({ items: [{ id: "abc" }] })).toThrow(RequestError);
    expect(() => parseAddRequest({ items: [{ id: 11, quantity: 0 }] })).toThrow(/quantity/);
    expect(() => parseChangeRequest({ quantity: 1 })).toThrow(/id or line/);
    expect(() => parseChangeRequest({ line: 1, quantity: -1 })).toThrow(RequestError);
  });

  it("names the field and the problem, for one item as for several", () => {
    expect(() => parseAddRequest({ id: 11, quantity: 0 })).toThrow("quantity: must be at least 1");
    expect(() => parseAddRequest({ id: "abc" })).toThrow("id: must be a numeric variant id");
    expect(() => parseAddRequest({ id: "gid://shopify/ProductVariant/11" })).toThrow("id: must be a numeric variant id");
    expect(() => parseAddRequest({})).toThrow("id: must be a numeric variant id");
    expect(() => parseAddRequest({ id: 11, quantity: 100_000 })).toThrow("quantity: must be at most");
    expect(() => parseAddRequest({ items: [{ id: 11 }, { id: 1.5 }] })).toThrow("items.1.id: must be a numeric variant id");
  });

  it("refuses a blank quantity instead of reading it as 0, which would remove the line", () => {
    for (const quantity of [null, "", " ", []]) {
      expect(() => parseChangeRequest({ line: 1, quantity })).toThrow(RequestError);
    }
    expect(() => parseChangeRequest(formToObject(new URLSearchParams("line=1&quantity=")))).toThrow("quantity: must be a whole number");
    expect(() => parseChangeRequest({ line: 1 })).toThrow("quantity: is required");
    expect(parseChangeRequest(formToObject(new URLSearchParams("line=1&quantity= 2 ")))).toMatchObject({ line: 1, quantity: 2 });
  });

  it("reads a product form posted as multipart FormData, as Dawn posts it", async () => {
    const form = new FormData();
    form.set("id", "11");
    form.set("quantity", "2");
    form.set("properties[Engraving]", "Hi");
    const body = await readBody(new Request("http://localhost/cart/add.js", { method: "POST", body: form }));
    expect(parseAddRequest(body)).toEqual({ items: [{ variantId: "11", quantity: 2, properties: { Engraving: "Hi" } }], sections: undefined, single: true });
    const broken = new Request("http://localhost/cart/add.js", { method: "POST", body: "--x\r\nnot a form", headers: { "Content-Type": "multipart/form-data; boundary=y" } });
    await expect(readBody(broken)).rejects.toThrow("The form could not be read.");
  });

  it("reads a change by line number from a form and by key from JSON", () => {
    expect(parseChangeRequest(formToObject(new URLSearchParams("line=2&quantity=0")))).toMatchObject({ line: 2, quantity: 0 });
    expect(parseChangeRequest({ id: "11:0a1b2c3d", quantity: 1 })).toMatchObject({ id: "11:0a1b2c3d", quantity: 1 });
  });

  it("reads a selling plan by its id, as JSON's number or a form's text, a blank one as none, and refuses a change of plan by name", () => {
    const planOf = (body: unknown) => parseAddRequest(body).items[0]?.sellingPlanId;
    expect(planOf({ items: [{ id: 11, selling_plan: 690001 }] })).toBe("690001");
    expect(planOf(formToObject(new URLSearchParams("id=11&selling_plan=690001")))).toBe("690001");
    expect(planOf(formToObject(new URLSearchParams("id=11&selling_plan=")))).toBeUndefined();
    expect(planOf({ id: 11 })).toBeUndefined();
    expect(() => parseAddRequest({ id: 11, selling_plan: "monthly" })).toThrow("selling_plan: must be a numeric selling plan id");
    expect(() => parseAddRequest({ items: [{ id: 11, selling_plan: -1 }] })).toThrow("items.0.selling_plan: must be a numeric selling plan id");
    expect(() => parseChangeRequest({ line: 1, quantity: 1, selling_plan: 690001 })).toThrow("selling_plan: changing a line's selling plan is not emulated here");
  });
});
