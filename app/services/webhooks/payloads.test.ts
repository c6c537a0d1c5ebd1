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
