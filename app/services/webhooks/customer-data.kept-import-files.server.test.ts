/**
 * customers/redact and shop/redact against the files cancelled imports keep for a resume
 * (docs/decisions/0007, addendum "customers/redact and import files kept for a resume").
 */
import { describe, expect, it, vi } from "vitest";
import db from "~/db.server";
import { cancelCsvImport, findCsvImport, resumeCsvImport, startCsvImport } from "~/services/csv-import/import-jobs.server";
import { resumeJobs, runJob, waitForJob } from "~/services/jobs.server";
import { createTestShop } from "../../../tests/factories/shop";
import { webhookFixture } from "../../../tests/fixtures/webhooks/signed-request";
import { redactCustomer, redactShop } from "./customer-data.server";
import { TOPIC_HANDLERS } from "./handlers.server";

/** Shopify's orders export columns, as many as these tests need, in its order. */
const HEADER = "Name,Email,Currency,Subtotal,Total,Created at,Lineitem quantity,Lineitem name,Lineitem price,Billing Name,Billing Phone,Shipping Phone,Id,Phone";

function ordersExport(orders: ReadonlyArray<{ name: string; email?: string; id: string; billingPhone?: string; phone?: string }>): string {
  const rows = orders.map(
    (order) =>
      `${order.name},${order.email ?? ""},EUR,10.00,10.00,2025-05-11 09:55:16 -0400,1,Mug,10.00,Jo Buyer,${order.billingPhone ?? ""},,${order.id},${order.phone ?? ""}`,
  );
  return [HEADER, ...rows, ""].join("\n");
}

/** An orders import cancelled before it started: its file is kept for a resume. */
async function keptImport(shopId: string, fileName: string, text: string): Promise<number> {
  const job = await startCsvImport(shopId, "orders", { fileName, text }, { start: false });
  expect(await cancelCsvImport(shopId, job.id)).toBe("cancelled");
  await waitForJob(shopId, job.id);
  expect((await findCsvImport(shopId, job.id))?.resume).toMatchObject({ state: "available" });
  return job.id;
}

async function isKept(shopId: string, id: number): Promise<boolean> {
  const row = await db.job.findFirstOrThrow({ where: { id, shopId }, select: { input: true, inputKeptUntil: true } });
  return row.inputKeptUntil !== null && row.input.includes("Lineitem name");
}

// The customer of tests/fixtures/webhooks/customers-redact.json.
const CUSTOMER = { customerId: "191167", email: "john@example.com", phone: "555-625-1199" };

describe("customers/redact and the import files kept for a resume", () => {
  it("GIVEN kept orders files WHEN a redact names a buyer in one THEN that file is let go at once, as if its time had passed; the others, and another shop's naming the same email, are kept", async () => {
    const shop = await createTestShop();
    const other = await createTestShop();
    // Shopify's export writes emails as the buyer typed them.
    const theirs = await keptImport(shop.id, "with-john.csv", ordersExport([{ name: "#1", email: "dana@example.com", id: "11" }, { name: "#2", email: " John@Example.com", id: "12" }]));
    const notTheirs = await keptImport(shop.id, "without-john.csv", ordersExport([{ name: "#3", email: "dana@example.com", id: "13" }, { name: "#4", email: "john@example.com.au", id: "14" }]));
    const otherShops = await keptImport(other.id, "their-john.csv", ordersExport([{ name: "#1", email: "john@example.com", id: "11" }]));
    // A products file names no buyer and is not read.
    const products = await startCsvImport(shop.id, "products", { fileName: "products.csv", text: "Handle,Title,Variant Price\nmug,Mug,10.00\n" }, { start: false });
    await cancelCsvImport(shop.id, products.id);

    const result = await redactCustomer({ shopId: shop.id, ...CUSTOMER, orderIds: [] });
    expect(result.importFilesLetGo).toBe(1);

    expect(await isKept(shop.id, theirs)).toBe(false);
    // As the sweep leaves a file whose time passed: its name stays, the report page offers an upload.
    const row = await db.job.findFirstOrThrow({ where: { id: theirs } });
    expect(row.input).not.toContain("@example.com");
    expect(JSON.parse(row.input)).toMatchObject({ fileName: "with-john.csv" });
    expect(await findCsvImport(shop.id, theirs)).toMatchObject({ status: "cancelled", fileName: "with-john.csv", resume: { state: "unavailable" } });
    expect(await resumeCsvImport(shop.id, theirs, { start: false })).toEqual({ resumed: false, reason: "file_gone" });

    expect(await isKept(shop.id, notTheirs)).toBe(true);
    expect(await isKept(other.id, otherShops)).toBe(true);
    expect(await db.job.findFirstOrThrow({ where: { id: products.id }, select: { inputKeptUntil: true } })).toMatchObject({ inputKeptUntil: expect.any(Date) });
  });

  it("finds the buyer by phone, written in any way, and by the id of an order the redact names", async () => {
    const shop = await createTestShop();
    const byBillingPhone = await keptImport(shop.id, "billing.csv", ordersExport([{ name: "#1", id: "21", billingPhone: "'+1 (555) 625-1199" }]));
    const byPhone = await keptImport(shop.id, "phone.csv", ordersExport([{ name: "#2", id: "22", phone: "+15556251199" }]));
    const byOrder = await keptImport(shop.id, "order.csv", ordersExport([{ name: "#3", id: "299938" }]));
    // Other numbers: a phone sharing only its last digits, an order id holding a named one.
    const neither = await keptImport(shop.id, "neither.csv", ordersExport([{ name: "#4", id: "2999381", phone: "+1 555-625-9911" }, { name: "#5", id: "23", billingPhone: "625-1198" }]));

    const result = await redactCustomer({ shopId: shop.id, ...CUSTOMER, orderIds: ["299938", "280263"] });
    expect(result.importFilesLetGo).toBe(3);
    for (const id of [byBillingPhone, byPhone, byOrder]) expect(await isKept(shop.id, id)).toBe(false);
    expect(await isKept(shop.id, neither)).toBe(true);
  });

  it("lets go a kept file whose rows it cannot line up with the header when a cell names the buyer", async () => {
    const shop = await createTestShop();
    // A stray comma in the name shifts the row's cells: which one is the email cannot be told.
    const text = `${HEADER}\n#1,john@example.com,EUR,10.00,10.00,2025-05-11 09:55:16 -0400,1,Mug, large,10.00,Jo,,,31,\n`;
    const shifted = await keptImport(shop.id, "shifted.csv", text);
    expect((await redactCustomer({ shopId: shop.id, ...CUSTOMER })).importFilesLetGo).toBe(1);
    expect(await isKept(shop.id, shifted)).toBe(false);
  });

  it("the customers/redact webhook passes the payload's email and phone, and logs what it did in counts, naming no one", async () => {
    const shop = await createTestShop();
    const kept = await keptImport(shop.id, "john.csv", ordersExport([{ name: "#1", email: "john@example.com", id: "41" }]));
    const info = vi.spyOn(console, "info").mockImplementation(() => {});
    try {
      await TOPIC_HANDLERS["customers/redact"]!({ shopId: shop.id, payload: JSON.parse(webhookFixture("customers-redact", shop.id)), attempt: 1, adminApiFor: () => Promise.reject(new Error("not used")) });
      expect(await isKept(shop.id, kept)).toBe(false);
      const logged = info.mock.calls.map((call) => call.join(" ")).join("\n");
      expect(logged).toContain("1 kept import file(s) let go, 0 import(s) still to end marked not to keep their file");
      for (const personal of ["john", "555", "191167"]) expect(logged).not.toContain(personal);
    } finally {
      info.mockRestore();
    }
  });

  it("GIVEN an import still waiting to start WHEN the redact finds the buyer in its file THEN cancelled after the redact, it does not keep the file; one not naming them does", async () => {
    const shop = await createTestShop();
    const theirs = await startCsvImport(shop.id, "orders", { fileName: "john.csv", text: ordersExport([{ name: "#1", email: "john@example.com", id: "61" }]) }, { start: false });
    const notTheirs = await startCsvImport(shop.id, "orders", { fileName: "dana.csv", text: ordersExport([{ name: "#2", email: "dana@example.com", id: "62" }]) }, { start: false });
    expect(await redactCustomer({ shopId: shop.id, ...CUSTOMER })).toMatchObject({ importFilesLetGo: 0, importsMarked: 1 });
    // Still its file until it ends: a running import reads it.
    expect((await db.job.findFirstOrThrow({ where: { id: theirs.id } })).input).toContain("john@example.com");

    for (const { id } of [theirs, notTheirs]) expect(await cancelCsvImport(shop.id, id)).toBe("cancelled");
    expect(await isKept(shop.id, theirs.id)).toBe(false);
    expect((await db.job.findFirstOrThrow({ where: { id: theirs.id } })).input).not.toContain("@example.com");
    expect(await findCsvImport(shop.id, theirs.id)).toMatchObject({ status: "cancelled", fileName: "john.csv", resume: { state: "unavailable" } });
    expect(await isKept(shop.id, notTheirs.id)).toBe(true);
  });

  it("GIVEN a running import WHEN the redact finds the buyer in its file THEN the import its runner then cancels does not keep the file", async () => {
    const shop = await createTestShop();
    // An earlier import, still running elsewhere: this one waits for it, as imports run one at a time.
    const earlier = await db.job.create({ data: { shopId: shop.id, kind: "import_products_csv", status: "running", leaseUntil: new Date(Date.now() + 10 * 60_000) } });
    try {
      const job = await startCsvImport(shop.id, "orders", { fileName: "john.csv", text: ordersExport([{ name: "#1", email: "john@example.com", id: "71" }]) }, { start: false });
      const run = runJob(job.id);
      await expect.poll(async () => (await db.job.findUniqueOrThrow({ where: { id: job.id } })).status).toBe("running");
      expect(await redactCustomer({ shopId: shop.id, ...CUSTOMER })).toMatchObject({ importsMarked: 1 });
      expect(await cancelCsvImport(shop.id, job.id)).toBe("cancelling");
      await run;
      expect((await waitForJob(shop.id, job.id)).status).toBe("cancelled");
      expect(await isKept(shop.id, job.id)).toBe(false);
      expect((await db.job.findFirstOrThrow({ where: { id: job.id } })).input).not.toContain("@example.com");
    } finally {
      await db.job.update({ where: { id: earlier.id }, data: { status: "done", leaseUntil: null } });
    }
  });

  it("GIVEN an import being cancelled whose process went WHEN the redact found the buyer in its file THEN the sweep ends it cancelled without keeping the file", async () => {
    const shop = await createTestShop();
    const job = await startCsvImport(shop.id, "orders", { fileName: "john.csv", text: ordersExport([{ name: "#1", email: "john@example.com", id: "81" }]) }, { start: false });
    // Its runner is gone: the lease ran out while it was being cancelled.
    await db.job.update({ where: { id: job.id }, data: { status: "cancelling", attempts: 1, leaseUntil: new Date(Date.now() - 60_000) } });
    expect(await redactCustomer({ shopId: shop.id, ...CUSTOMER })).toMatchObject({ importsMarked: 1 });
    await resumeJobs({ shopIds: [shop.id] });
    expect(await db.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: "cancelled", inputKeptUntil: null });
    expect((await db.job.findFirstOrThrow({ where: { id: job.id } })).input).not.toContain("@example.com");
  });

  it("shop/redact leaves none of the shop's kept files, and another shop's stay", async () => {
    const shop = await createTestShop();
    const other = await createTestShop();
    await keptImport(shop.id, "mine.csv", ordersExport([{ name: "#1", email: "dana@example.com", id: "51" }]));
    const theirs = await keptImport(other.id, "theirs.csv", ordersExport([{ name: "#1", email: "dana@example.com", id: "51" }]));
    await db.shop.update({ where: { id: shop.id }, data: { uninstalledAt: new Date() } });
    expect(await redactShop(shop.id)).toMatchObject({ shopDeleted: true });
    expect(await db.job.count({ where: { shopId: shop.id } })).toBe(0);
    expect(await isKept(other.id, theirs)).toBe(true);
  });
});
