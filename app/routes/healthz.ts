import db, { type Db } from "~/db.server";

/** Liveness and readiness in one: 200 when the database answers, 503 when it does not. */
export async function healthResponse(client: Pick<Db, "$queryRawUnsafe">): Promise<Response> {
  const headers = { "Cache-Control": "no-store" };
  try {
    await client.$queryRawUnsafe("SELECT 1");
    return Response.json({ status: "ok", database: "reachable" }, { headers });
  } catch {
    return Response.json({ status: "unavailable", database: "unreachable" }, { status: 503, headers });
  }
}

export const loader = () => healthResponse(db);
