import { describe, expect, it, vi } from "vitest";
import type * as envModule from "~/env.server";
import { responseOf } from "../../tests/support/app-proxy";

// Outside demo mode, every preview route and the demo app proxy answer 404.
vi.mock("~/env.server", async (importOriginal) => {
  const actual = await importOriginal<typeof envModule>();
  return { ...actual, getEnv: () => ({ mode: "shopify", apiSecret: "real-secret" }) };
});

const routes = {
  index: () => import("./preview._index"),
  product: () => import("./preview.products.$handle"),
  cart: () => import("./preview.cart._index"),
  cartJs: () => import("./preview.cart[.js]"),
  assets: () => import("./preview.assets.$file"),
  add: () => import("./preview.cart.add[.js]"),
  addForm: () => import("./preview.cart.add"),
  change: () => import("./preview.cart.change[.js]"),
  changeForm: () => import("./preview.cart.change"),
  update: () => import("./preview.cart.update[.js]"),
  proxy: () => import("./apps.upshelf.$"),
};

describe("the preview storefront outside demo mode", () => {
  it("answers 404 on every route", async () => {
    const get = (path: string) => new Request(`http://localhost${path}`);
    const post = (path: string) => new Request(`http://localhost${path}`, { method: "POST", body: "{}", headers: { "Content-Type": "application/json" } });
    const statuses = [
      await responseOf(async () => (await routes.index()).loader({ request: get("/preview"), params: {}, context: {} })),
      await responseOf(async () => (await routes.product()).loader({ request: get("/preview/products/x"), params: { handle: "x" }, context: {} })),
      await responseOf(async () => (await routes.cart()).loader({ request: get("/preview/cart"), params: {}, context: {} })),
      await responseOf(async () => (await routes.cartJs()).loader({ request: get("/preview/cart.js"), params: {}, context: {} })),
      await responseOf(async () => (await routes.assets()).loader({ request: get("/preview/assets/upshelf.js"), params: { file: "upshelf.js" }, context: {} })),
      await responseOf(async () => (await routes.add()).action({ request: post("/preview/cart/add.js"), params: {}, context: {} })),
      await responseOf(async () => (await routes.addForm()).action({ request: post("/preview/cart/add"), params: {}, context: {} })),
      await responseOf(async () => (await routes.change()).action({ request: post("/preview/cart/change.js"), params: {}, context: {} })),
      await responseOf(async () => (await routes.changeForm()).action({ request: post("/preview/cart/change"), params: {}, context: {} })),
      await responseOf(async () => (await routes.update()).action({ request: post("/preview/cart/update.js"), params: {}, context: {} })),
      await responseOf(async () => (await routes.proxy()).loader({ request: get("/apps/upshelf/recommendations"), params: { "*": "recommendations" }, context: {} })),
      await responseOf(async () => (await routes.proxy()).action({ request: post("/apps/upshelf/events"), params: { "*": "events" }, context: {} })),
    ].map((response) => response.status);
    expect(statuses).toEqual(Array(12).fill(404));
  });
});
