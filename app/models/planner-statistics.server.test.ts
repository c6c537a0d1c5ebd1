import { describe, expect, it } from "vitest";
import db from "~/db.server";
import { databaseProvider, databaseUrl } from "~/db-adapter.server";
import { refreshPlannerStatistics } from "./planner-statistics.server";

describe.runIf(databaseProvider(databaseUrl()) === "postgresql")("refreshPlannerStatistics on PostgreSQL", () => {
  const lastAnalysed = async (table: string) => {
    const [row] = await db.$queryRawUnsafe<{ last_analyze: Date | null }[]>(
      `SELECT last_analyze FROM pg_stat_user_tables WHERE relname = $1`,
      table,
    );
    return row?.last_analyze ?? null;
  };

  it("analyses the named tables, and only those", async () => {
    const [{ now: before }] = await db.$queryRawUnsafe<[{ now: Date }]>(`SELECT now()`);
    const variantBefore = await lastAnalysed("Variant");
    await refreshPlannerStatistics(["Order", "OrderLine"]);
    for (const table of ["Order", "OrderLine"]) {
      expect((await lastAnalysed(table))?.getTime() ?? 0).toBeGreaterThanOrEqual(before.getTime());
    }
    expect(await lastAnalysed("Variant")).toEqual(variantBefore);
  });
});
