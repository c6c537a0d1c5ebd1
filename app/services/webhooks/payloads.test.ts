import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { orderFromPayload, orderPayloadSchema } from "./payloads";

const fixture = JSON.parse(
  fs.readFileSync(path.resolve(import.meta.dirname, "../../../tests/fixtures/webhooks/orders-create.json"), "utf8"),
) as Record<string, unknown> & { line_items: { product_id: number; properties?: unknown }[] };

describe("order payload attribution", () => {
  it("credits the line the thank-you block linked to, from the order's note attributes", () => {
    const productId = fixture.line_items[0]!.product_id;
    const payload = orderPayloadSchema.parse({
      ...fixture,
      note_attributes: [{ name: "_upshelf_source", value: `thank_you:${productId}` }],
      line_items: fixture.line_items.map((line) => ({ ...line, properties: [] })),
    });
    const order = orderFromPayload(payload);
    const credited = order.lines.filter((line) => line.properties?._upshelf_placement === "thank_you");
    expect(credited.map((line) => line.shopifyProductId)).toEqual([String(productId)]);
  });

  it("credits nothing without the attribute, and never overrides a widget's own placement", () => {
    const productId = fixture.line_items[0]!.product_id;
    const plain = orderFromPayload(orderPayloadSchema.parse({ ...fixture, note_attributes: [] }));
    expect(plain.lines.some((line) => line.properties?._upshelf_placement === "thank_you")).toBe(false);

    const widget = orderFromPayload(
      orderPayloadSchema.parse({
        ...fixture,
        note_attributes: [{ name: "_upshelf_source", value: `thank_you:${productId}` }],
        line_items: fixture.line_items.map((line) => ({ ...line, properties: [{ name: "_upshelf_placement", value: "pdp" }] })),
      }),
    );
    expect(widget.lines[0]?.properties?._upshelf_placement).toBe("pdp");
  });
});

describe("order payload amounts", () => {
  it("reads each line's refunds by line id and sums them for the order; shipping-only refunds name no line", () => {
    const [kettle, filters] = fixture.line_items as unknown as [{ id: number }, { id: number }];
    const money = (amount: string) => ({ shop_money: { amount, currency_code: "USD" } });
    const order = orderFromPayload(
      orderPayloadSchema.parse({
        ...fixture,
        refunds: [
          { refund_line_items: [{ line_item_id: filters.id, quantity: 1, subtotal: 6.5, subtotal_set: money("6.50") }] },
          { refund_line_items: [{ line_item_id: filters.id, quantity: 1, subtotal: 6.5 }] },
          { refund_line_items: [] },
        ],
      }),
    );
    expect(order.lines.map((line) => line.refunded)).toEqual([0, 1300]);
    expect(order.refunded).toBe(1300);
    expect(kettle.id).not.toBe(filters.id);
  });

  it("takes the subtotal from the lines, so a line added after checkout counts; it is Shopify's own for an unedited order", () => {
    const plain = orderFromPayload(orderPayloadSchema.parse(fixture));
    expect(plain.subtotal).toBe(4000);
    expect(fixture.subtotal_price).toBe("40.00");

    const added = { ...fixture.line_items[1], id: 1, variant_id: 1, price: "5.00", price_set: null, quantity: 1, discount_allocations: [{ amount: "0.50" }], properties: [] };
    const edited = orderFromPayload(orderPayloadSchema.parse({ ...fixture, line_items: [...fixture.line_items, added] }));
    expect(edited.subtotal).toBe(4450);
  });
});

describe("order payload: units an order edit removed", () => {
  const [kettle, filters] = fixture.line_items as unknown as [Record<string, unknown>, Record<string, unknown>];
  const parse = (lines: Record<string, unknown>[], refunds: unknown[] = []) => orderFromPayload(orderPayloadSchema.parse({ ...fixture, line_items: lines, refunds }));

  it("leaves out a line an edit removed without a refund, from the lines and the subtotal", () => {
    const order = parse([kettle, { ...filters, current_quantity: 0 }]);
    expect(order.lines.map((line) => [line.title, line.quantity])).toEqual([[kettle.title, 1]]);
    // The kettle's 30.00 less its 3.00 discount.
    expect(order.subtotal).toBe(2700);
    expect(order.refunded).toBe(0);
  });

  it("counts only the units left when an edit removed some, with their share of the line's discount", () => {
    const order = parse([kettle, { ...filters, current_quantity: 1, discount_allocations: [{ amount: "1.00" }] }]);
    expect(order.lines[1]).toMatchObject({ quantity: 1, unitPrice: 700, discount: 50 });
    expect(order.subtotal).toBe(2700 + 650);
  });

  it("keeps units a refund took back, as bought and refunded, whether or not current_quantity fell for them", () => {
    const refund = [{ refund_line_items: [{ line_item_id: filters.id, quantity: 2, subtotal: "14.00" }] }];
    for (const current of [0, 2]) {
      const order = parse([kettle, { ...filters, current_quantity: current }], refund);
      expect(order.lines[1]).toMatchObject({ quantity: 2, refunded: 1400, refundedUnits: 2 });
      // As for the order untouched: 27.00 + 14.00 less the filters' 1.00 discount.
      expect(order.subtotal).toBe(4000);
      expect(order.refunded).toBe(1400);
    }
  });

  it("adds up the units of each refund naming a line, and says none for lines no refund names", () => {
    const oneUnit = { line_item_id: filters.id, quantity: 1, subtotal: "7.00" };
    const order = parse([kettle, filters], [{ refund_line_items: [oneUnit] }, { refund_line_items: [{ ...oneUnit, subtotal: "6.00" }] }]);
    expect(order.lines.map((line) => [line.refunded, line.refundedUnits])).toEqual([[0, 0], [1300, 2]]);
  });
});

describe("order payload holdout test mark", () => {
  const withMark = (value: unknown) =>
    orderFromPayload(orderPayloadSchema.parse({ ...fixture, note_attributes: [{ name: "gift", value: "yes" }, { name: "_upshelf_exp", value }] }));

  it("reads the test key and visitor key the widget script put on the cart", () => {
    expect(withMark("k3y9x0ab:0d5c7a4e-2f1b-4c8e-9a6d-3b2e1f0a9c8d").experiment).toEqual({ key: "k3y9x0ab", visitor: "0d5c7a4e-2f1b-4c8e-9a6d-3b2e1f0a9c8d" });
  });

  it("ignores a missing or malformed mark (the order is simply not in the test)", () => {
    expect(orderFromPayload(orderPayloadSchema.parse(fixture)).experiment).toBeNull();
    for (const value of ["", "k3y9x0ab", "k3y9x0ab:short", "KEY:0d5c7a4e-2f1b-4c8e", "k3y9x0ab:0d5c7a4e 2f1b", 42]) {
      expect(withMark(value).experiment, String(value)).toBeNull();
    }
  });
});
