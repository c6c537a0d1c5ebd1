import http from "node:http";
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";

/**
 * A local HTTP stand-in for Shopify's Admin GraphQL endpoint. Tests give it a responder that
 * answers by operation (recorded Shopify responses, userErrors included) and read back every
 * request it received. Our own code under test talks to it over real HTTP.
 */
export interface ReceivedGraphqlRequest {
  query: string;
  variables: Record<string, unknown>;
  accessToken: string | undefined;
  path: string;
}

export type GraphqlResponder = (
  request: ReceivedGraphqlRequest,
) => { status?: number; body: unknown; headers?: Record<string, string> } | Promise<{ status?: number; body: unknown; headers?: Record<string, string> }>;

export interface AdminApiStandIn {
  endpoint: string;
  /** Extra files the stand-in serves at GET <path> (e.g. a bulk operation's JSONL result). */
  origin: string;
  requests: ReceivedGraphqlRequest[];
  serveFile(path: string, body: string): void;
  close(): Promise<void>;
}

export async function startAdminApiStandIn(responder: GraphqlResponder): Promise<AdminApiStandIn> {
  const requests: ReceivedGraphqlRequest[] = [];
  const files = new Map<string, string>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      void (async () => {
        if (req.method === "GET") {
          const file = files.get(req.url ?? "");
          res.writeHead(file === undefined ? 404 : 200, { "Content-Type": "application/jsonl" });
          res.end(file ?? "");
          return;
        }
        const parsed = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as {
          query?: string;
          variables?: Record<string, unknown>;
        };
        const received: ReceivedGraphqlRequest = {
          query: parsed.query ?? "",
          variables: parsed.variables ?? {},
          accessToken: req.headers["x-shopify-access-token"] as string | undefined,
          path: req.url ?? "",
        };
        requests.push(received);
        try {
          const answer = await responder(received);
          res.writeHead(answer.status ?? 200, { "Content-Type": "application/json", ...answer.headers });
          res.end(JSON.stringify(answer.body));
        } catch (error) {
          res.writeHead(500, { "Content-Type": "application/json" });
          res.end(JSON.stringify({ errors: [{ message: String(error) }] }));
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    endpoint: `${origin}/admin/api/2025-10/graphql.json`,
    origin,
    requests,
    serveFile(path, body) {
      files.set(path, body);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The operation a request names ("mutation UpshelfDiscountCreate(…)" → "UpshelfDiscountCreate"). */
export const operationOf = (request: ReceivedGraphqlRequest): string | undefined => /(?:query|mutation)\s+(\w+)/.exec(request.query)?.[1];

/** A recorded Admin API response from tests/fixtures/admin-api (see its README). */
export const adminApiFixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../fixtures/admin-api/${name}.json`, import.meta.url), "utf8"));

/**
 * A stand-in answering each operation with the named fixture (or a function of the request);
 * any other operation gets a 500, so a call the test did not expect shows up as a failure.
 */
export function startFixtureStandIn(answers: Record<string, string | ((request: ReceivedGraphqlRequest) => unknown)>): Promise<AdminApiStandIn> {
  return startAdminApiStandIn((request) => {
    const answer = answers[operationOf(request) ?? ""];
    if (answer === undefined) return { status: 500, body: { errors: [{ message: `unexpected ${operationOf(request)}` }] } };
    return { body: typeof answer === "string" ? adminApiFixture(answer) : answer(request) };
  });
}
