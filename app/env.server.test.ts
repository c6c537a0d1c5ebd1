import { describe, expect, it } from "vitest";
import { DEMO_SHOP_DOMAIN, EnvError, loadEnv, type EnvSource } from "./env.server";

const credentials = {
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "https://upshelf.example.com",
};

function problemsOf(env: EnvSource): string[] {
  try {
    loadEnv(env);
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
  throw new Error("expected loadEnv to reject this environment");
}

describe("loadEnv", () => {
  it("GIVEN no Shopify credentials in development THEN runs the demo shop on localhost", () => {
    const env = loadEnv({ NODE_ENV: "development" });
    expect(env).toMatchObject({ mode: "demo", host: "127.0.0.1", port: 3000, demoShop: DEMO_SHOP_DOMAIN });
    expect(env.databaseUrl).toMatch(/^file:/);
  });

  it("GIVEN UPSHELF_BUILD_DIR THEN serves that production build, in either mode; unset or empty, none is named", () => {
    expect(loadEnv({ UPSHELF_BUILD_DIR: "tmp/some-build" }).buildDirectory).toBe("tmp/some-build");
    expect(loadEnv({ NODE_ENV: "production", ...credentials, UPSHELF_BUILD_DIR: "dist" }).buildDirectory).toBe("dist");
    expect(loadEnv({ UPSHELF_BUILD_DIR: "" }).buildDirectory).toBeUndefined();
    expect(loadEnv({}).buildDirectory).toBeUndefined();
  });

  it("GIVEN all credentials THEN runs in Shopify mode with the default scopes", () => {
    const env = loadEnv({ NODE_ENV: "production", ...credentials, PORT: "8080" });
    expect(env).toMatchObject({ mode: "shopify", port: 8080, apiKey: "key", appUrl: credentials.SHOPIFY_APP_URL });
    expect(env.mode === "shopify" && env.scopes).toContain("write_discounts");
  });

  it("GIVEN production without credentials THEN refuses and names the required variables", () => {
    const [problem] = problemsOf({ NODE_ENV: "production" });
    expect(problem).toMatch(/SHOPIFY_API_KEY, SHOPIFY_API_SECRET, SHOPIFY_APP_URL/);
    expect(problem).toMatch(/demo mode never runs in production/);
  });

  it("GIVEN half-configured credentials THEN names exactly what is missing", () => {
    const [problem] = problemsOf({ SHOPIFY_API_KEY: "key", SHOPIFY_APP_URL: credentials.SHOPIFY_APP_URL });
    expect(problem).toMatch(/SHOPIFY_API_KEY, SHOPIFY_APP_URL set but SHOPIFY_API_SECRET missing/);
  });

  it("treats empty variables as unset rather than as credentials, and an empty PORT as the default", () => {
    expect(loadEnv({ SHOPIFY_API_KEY: "  ", SHOPIFY_API_SECRET: "" }).mode).toBe("demo");
    expect(loadEnv({ PORT: "" }).port).toBe(3000);
    expect(loadEnv({ PORT: " 8080 " }).port).toBe(8080);
  });

  it("takes only an https app URL (or plain http on this machine), as Shopify loads the app and sends webhooks over https", () => {
    for (const bad of ["ftp://upshelf.example.com", "http://upshelf.example.com", "http://localhost.evil.example"]) {
      expect(problemsOf({ ...credentials, SHOPIFY_APP_URL: bad }), bad).toEqual(["SHOPIFY_APP_URL must be the app's public https URL"]);
    }
    expect(loadEnv({ ...credentials, SHOPIFY_APP_URL: "http://localhost:3000" }).mode).toBe("shopify");
  });

  it("reads how many reverse proxies of the app's own stand before it (0 by default), and refuses what is not a count", () => {
    expect(loadEnv({}).reverseProxies).toBe(0);
    expect(loadEnv({ ...credentials, REVERSE_PROXIES: "1" }).reverseProxies).toBe(1);
    expect(problemsOf({ REVERSE_PROXIES: "-1" })).toEqual(["REVERSE_PROXIES must be 0 or more"]);
    expect(problemsOf({ REVERSE_PROXIES: "one" })).toEqual(["REVERSE_PROXIES must be the number of reverse proxies in front of the app"]);
  });

  it("reads REDIS_URL (unset by default) and refuses what is not a redis:// or rediss:// URL", () => {
    expect(loadEnv({}).redisUrl).toBeUndefined();
    expect(loadEnv({ REDIS_URL: " " }).redisUrl).toBeUndefined();
    expect(loadEnv({ ...credentials, REDIS_URL: "rediss://cache.internal:6380/2" }).redisUrl).toBe("rediss://cache.internal:6380/2");
    expect(problemsOf({ REDIS_URL: "https://cache.internal" })).toEqual(["REDIS_URL must be a redis:// or rediss:// URL"]);
    expect(problemsOf({ REDIS_URL: "localhost:6379" })).toEqual(["REDIS_URL must be a redis:// or rediss:// URL"]);
  });

  it("GIVEN malformed values THEN reports one clear problem per variable", () => {
    const problems = problemsOf({
      PORT: "eighty",
      DATABASE_URL: "mysql://localhost/upshelf",
      ...credentials,
      SHOPIFY_APP_URL: "not a url",
    });
    expect(problems).toHaveLength(3);
    expect(problems.join("\n")).toMatch(/PORT must be a port number/);
    expect(problems.join("\n")).toMatch(/DATABASE_URL must start with "file:" \(SQLite\) or "postgresql:\/\/"/);
    expect(problems.join("\n")).toMatch(/SHOPIFY_APP_URL must be the app's public https URL/);
  });
});
