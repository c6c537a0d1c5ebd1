import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { OrderFileError } from "./order-file-types";
import { parseOrderFile, readOrderFile } from "./parse-order-file";

const dir = mkdtempSync(path.join(tmpdir(), "order-files-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("readOrderFile", () => {
  it("GIVEN a directory THEN fails with an OrderFileError naming it", async () => {
    const error = await readOrderFile(dir, { format: "generic" }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OrderFileError);
    expect(error).toMatchObject({ code: "unreadable", message: `${dir} is a directory, not a file.` });
  });

  it("GIVEN a missing file THEN fails with an OrderFileError naming it", async () => {
    const missing = path.join(dir, "missing.csv");
    await expect(readOrderFile(missing, { format: "generic" })).rejects.toMatchObject({
      code: "unreadable",
      message: `${missing} cannot be read: there is no such file.`,
    });
  });

  it("GIVEN a bad value THEN the error names the file before the line", async () => {
    const file = path.join(dir, "bad-date.csv");
    writeFileSync(file, "order_id,product_id,created_at\n1,a,yesterday\n");
    await expect(readOrderFile(file, { format: "generic" })).rejects.toMatchObject({
      code: "bad_value",
      message: `${file}: Line 2, column "created_at": "yesterday" is not an ISO 8601 timestamp.`,
    });
  });

  it("reads a file", async () => {
    const file = path.join(dir, "good.csv");
    writeFileSync(file, "order_id,product_id\n1,a\n1,b\n");
    const parsed = await readOrderFile(file, { format: "generic" });
    expect(parsed.orders).toHaveLength(1);
  });
});

describe("parseOrderFile", () => {
  it("GIVEN a stream that fails while being read THEN rejects with an OrderFileError instead of crashing", async () => {
    const failing = new Readable({
      read() {
        this.push("order_id,product_id\n1,a\n");
        this.destroy(Object.assign(new Error("EIO: i/o error, read"), { code: "EIO" }));
      },
    });
    await expect(parseOrderFile(failing, { format: "generic" })).rejects.toMatchObject({
      code: "unreadable",
      message: "The file could not be read to the end: EIO: i/o error, read",
    });
  });
});
