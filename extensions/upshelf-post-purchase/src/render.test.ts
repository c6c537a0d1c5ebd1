import { join } from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { WireOffer } from "../../../app/core/post-purchase/wire";
import { bundleLikeShopifyCli, loadExtension } from "../../../tests/support/shopify-cli-ui-bundle";

/**
 * The post-purchase page's Render, run from the bundle the Shopify CLI builds, with a stand-in
 * for Shopify's root and API: what the buyer's taps send to the app. Only the calls to the app
 * are checked here; what the app does with them is the endpoints' tests'.
 */
const extension = join(import.meta.dirname, "..");
const APP = "https://upshelf.example";

const offer: WireOffer = {
  productId: "501",
  variantId: "5010",
  handle: "cork-coaster",
  title: "Cork Coaster",
  image: null,
  heading: "Add to your order",
  currency: "USD",
  unitPrice: 400,
  price: 360,
  saving: 40,
  discountPercent: "10",
  cartUrl: null,
};

const usd = (amount: string) => ({ presentmentMoney: { amount, currencyCode: "USD" }, shopMoney: { amount, currencyCode: "USD" } });

interface FakeComponent {
  readonly type: string;
  readonly props: Record<string, unknown>;
  updateProps(props: Record<string, unknown>): void;
}

/** Shopify's side of the page: the root Render builds on, and the API it is given. */
function postPurchasePage(applyChangeset: () => Promise<{ status: string }>) {
  const components: FakeComponent[] = [];
  const texts: { text: string }[] = [];
  const root = {
    createComponent(type: string, props: Record<string, unknown> = {}) {
      const component: FakeComponent = { type, props: { ...props }, updateProps: (next) => Object.assign(component.props, next) };
      components.push(component);
      return component;
    },
    createText(text: string) {
      const node = { text, updateText: (next: string) => void (node.text = next) };
      texts.push(node);
      return node;
    },
    appendChild: () => undefined,
    mount: () => undefined,
  };
  const api = {
    storage: { initialData: { offer } },
    inputData: {
      token: "input-token",
      initialPurchase: { referenceId: "ref-1", lineItems: [{ product: { id: 101, variant: { id: 1010 } }, quantity: 1, totalPriceSet: usd("12.00") }] },
    },
    calculateChangeset: async () => ({
      status: "processed",
      calculatedPurchase: { totalOutstandingSet: usd("3.60"), updatedLineItems: [{ variantId: 5010, totalPriceSet: usd("3.60") }] },
    }),
    applyChangeset: vi.fn(applyChangeset),
    done: vi.fn(async () => undefined),
  };
  const button = (which: "accept" | "decline") => {
    const found = components.find((component) => component.type === "Button" && Boolean(component.props.submit) === (which === "accept"));
    if (!found) throw new Error(`No ${which} button.`);
    return { props: found.props, press: () => (found.props.onPress as () => Promise<void>)() };
  };
  return { root, api, button, says: (text: string) => texts.some((node) => node.text === text) };
}

/** The app: signs (or refuses to), and records what is reported, in the order it arrives. */
function app(signing: "signs" | "refuses") {
  const reported: string[] = [];
  const fetch = vi.fn(async (url: string, init: { body: string }) => {
    if (url === `${APP}/api/post-purchase/sign-changeset`) {
      return signing === "signs" ? Response.json({ token: "changeset-token" }) : Response.json({ error: "price_changed" }, { status: 409 });
    }
    if (url === `${APP}/api/post-purchase/event`) {
      reported.push((JSON.parse(init.body) as { kind: string }).kind);
      return Response.json({ recorded: 1 }, { status: 202 });
    }
    return Response.json({ error: "not_found" }, { status: 404 });
  });
  return { fetch, reported };
}

describe("the post-purchase page's taps, as the CLI builds it", () => {
  let render: (...args: unknown[]) => unknown;
  let code: string;
  beforeAll(() => {
    const bundle = bundleLikeShopifyCli(extension, ["./src/index.ts"]);
    expect(bundle.errors).toEqual([]);
    code = bundle.code;
  });

  async function open(signing: "signs" | "refuses", applyChangeset: () => Promise<{ status: string }>) {
    const server = app(signing);
    const targets = loadExtension(code, {
      fetch: server.fetch,
      setTimeout,
      clearTimeout,
      AbortController,
      process: { env: { UPSHELF_APP_URL: APP } },
    });
    render = targets.find((registered) => registered.target === "Checkout::PostPurchase::Render")?.run ?? (() => undefined);
    const page = postPurchasePage(applyChangeset);
    render(page.root, page.api);
    // Shopify's calculation enables the accept button.
    await vi.waitFor(() => expect(page.button("accept").props.disabled).toBe(false));
    return { ...page, server };
  }

  it("GIVEN Shopify adds the item THEN the page reports it accepted and goes on", async () => {
    const page = await open("signs", async () => ({ status: "processed" }));
    await page.button("accept").press();
    expect(page.server.reported).toEqual(["offer_accepted"]);
    expect(page.api.done).toHaveBeenCalledTimes(1);
  });

  const nothingAdded: [string, "signs" | "refuses", () => Promise<{ status: string }>, string][] = [
    ["Shopify refuses the changeset", "signs", async () => ({ status: "unprocessed" }), "The item could not be added, and you have not been charged for it."],
    ["applying the changeset fails", "signs", async () => Promise.reject(new Error("network")), "Something went wrong, and nothing was added to your order."],
    ["the app refuses to sign", "refuses", async () => ({ status: "processed" }), "Something went wrong, and nothing was added to your order."],
  ];
  it.each(nothingAdded)("GIVEN %s THEN the page reports that nothing was added, and then the buyer's decline", async (_case, signing, applyChangeset, message) => {
    const page = await open(signing, applyChangeset);
    await page.button("accept").press();
    expect(page.says(message)).toBe(true);
    expect(page.api.done).not.toHaveBeenCalled();
    expect(page.button("decline").props.disabled).toBe(false);
    await page.button("decline").press();
    expect(page.server.reported).toEqual(["offer_accept_failed", "offer_declined"]);
    expect(page.api.done).toHaveBeenCalledTimes(1);
  });
});
