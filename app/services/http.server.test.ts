import { describe, expect, it } from "vitest";
import { queryObject } from "./http.server";

describe("queryObject", () => {
  it("reads a repeated key as Shopify's app proxy signs it: its values joined by commas, in the order given", () => {
    const params = new URLSearchParams("variant_ids=1&placement=cart&variant_ids=2,3&variant_ids=&limit=4");
    expect(queryObject(params)).toEqual({ variant_ids: "1,2,3,", placement: "cart", limit: "4" });
  });

  it("reads keys named like Object.prototype's properties as plain parameters", () => {
    const query = queryObject(new URLSearchParams("toString=a&__proto__=b&constructor=c&constructor=d"));
    expect(Object.entries(query)).toEqual([
      ["toString", "a"],
      ["__proto__", "b"],
      ["constructor", "c,d"],
    ]);
  });
});
