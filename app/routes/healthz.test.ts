import { describe, expect, it } from "vitest";
import { createDb } from "~/db.server";
import { healthResponse, loader } from "./healthz";

describe("GET /healthz", () => {
  it("answers 200 when the database is reachable", async () => {
    const response = await loader();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", database: "reachable" });
  });

  it("answers 503 when the database cannot be reached", async () => {
    // A real client pointed at a port where no database listens.
    const unreachable = createDb("postgresql://postgres@127.0.0.1:1/nowhere");
    const response = await healthResponse(unreachable);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: "unavailable", database: "unreachable" });
    await unreachable.$disconnect();
  });
});
