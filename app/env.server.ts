import { z } from "zod";
import { databaseProvider, DEFAULT_DATABASE_URL } from "./db-adapter.server";

/**
 * The environment, validated once at start-up. Upshelf runs in one of two modes:
 * - "shopify": all Shopify credentials present; the embedded admin authenticates with Shopify.
 * - "demo": no Shopify credentials at all, not in production; a bundled demo shop, no OAuth,
 *   bound to localhost. Any other combination is a configuration error that names what is missing.
 */
export const SHOPIFY_CREDENTIALS = ["SHOPIFY_API_KEY", "SHOPIFY_API_SECRET", "SHOPIFY_APP_URL"] as const;

export const DEFAULT_SCOPES = "read_products,read_orders,read_inventory,write_discounts,write_app_proxy";

/** The demo shop signs its local app proxy with this secret; it is never valid for a real shop. */
export const DEMO_API_SECRET = "upshelf-demo-secret-not-for-production";
export const DEMO_SHOP_DOMAIN = "upshelf-demo.myshopify.com";

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .optional();

function isAppUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || (url.protocol === "http:" && ["localhost", "127.0.0.1"].includes(url.hostname));
  } catch {
    return false;
  }
}

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  // Empty is unset, as for every other variable here (z.coerce would read "" as 0).
  PORT: optionalText.pipe(
    z.coerce
      .number({ invalid_type_error: "must be a port number" })
      .int("must be a whole number")
      .min(1, "must be between 1 and 65535")
      .max(65535, "must be between 1 and 65535")
      .default(3000),
  ),
  HOST: optionalText,
  DATABASE_URL: optionalText.superRefine((value, ctx) => {
    try {
      databaseProvider(value ?? DEFAULT_DATABASE_URL);
    } catch (error) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: (error as Error).message.replace(/^DATABASE_URL /, "") });
    }
  }),
  SHOPIFY_API_KEY: optionalText,
  SHOPIFY_API_SECRET: optionalText,
  // Shopify loads the embedded app and sends webhooks over https; plain http only for a local tunnel-less test.
  SHOPIFY_APP_URL: optionalText.pipe(z.string().refine(isAppUrl, "must be the app's public https URL").optional()),
  SCOPES: optionalText,
  SHOP_CUSTOM_DOMAIN: optionalText,
  /** Reverse proxies of the app's own between Shopify's app proxy and the app (see rate-limit/client-address). */
  REVERSE_PROXIES: z.coerce
    .number({ invalid_type_error: "must be the number of reverse proxies in front of the app" })
    .int("must be a whole number")
    .min(0, "must be 0 or more")
    .max(10, "must be at most 10")
    .default(0),
  /**
   * A production build (`npm run build` with the same variable) to serve instead of Vite's dev
   * middleware; production always serves one, from `build` unless this names another directory.
   * The browser tests serve one build per run rather than compile every page in every server.
   */
  UPSHELF_BUILD_DIR: optionalText,
  /** Shared rate-limit budgets across app processes (decision 11); unset, each process keeps its own. */
  REDIS_URL: optionalText.pipe(
    z
      .string()
      .url("must be a redis:// or rediss:// URL")
      .refine((value) => /^rediss?:\/\//.test(value), "must be a redis:// or rediss:// URL")
      .optional(),
  ),
});

export interface DemoEnv {
  mode: "demo";
  nodeEnv: "development" | "test";
  port: number;
  host: string;
  databaseUrl: string;
  apiSecret: string;
  demoShop: string;
  reverseProxies: number;
  redisUrl?: string;
  buildDirectory?: string;
}

export interface ShopifyEnv {
  mode: "shopify";
  nodeEnv: "development" | "production" | "test";
  port: number;
  host: string;
  databaseUrl: string;
  apiKey: string;
  apiSecret: string;
  appUrl: string;
  scopes: string[];
  shopCustomDomain?: string;
  reverseProxies: number;
  redisUrl?: string;
  buildDirectory?: string;
}

export type AppEnv = DemoEnv | ShopifyEnv;

export class EnvError extends Error {
  override name = "EnvError";
  constructor(readonly problems: string[]) {
    super(`Upshelf cannot start; fix the environment:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

export type EnvSource = Record<string, string | undefined>;

export function loadEnv(source: EnvSource = process.env): AppEnv {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    throw new EnvError(parsed.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`));
  }
  const env = parsed.data;
  const databaseUrl = env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  const present = SHOPIFY_CREDENTIALS.filter((name) => env[name] !== undefined);
  const missing = SHOPIFY_CREDENTIALS.filter((name) => env[name] === undefined);

  if (present.length === 0) {
    if (env.NODE_ENV === "production") {
      throw new EnvError([
        `NODE_ENV=production requires Shopify credentials: set ${SHOPIFY_CREDENTIALS.join(", ")} ` +
          "(demo mode never runs in production).",
      ]);
    }
    return {
      mode: "demo",
      nodeEnv: env.NODE_ENV,
      port: env.PORT,
      // Demo mode has no authentication, so it is reachable from this machine only.
      host: "127.0.0.1",
      databaseUrl,
      apiSecret: DEMO_API_SECRET,
      demoShop: DEMO_SHOP_DOMAIN,
      reverseProxies: env.REVERSE_PROXIES,
      redisUrl: env.REDIS_URL,
      buildDirectory: env.UPSHELF_BUILD_DIR,
    };
  }
  if (missing.length > 0) {
    throw new EnvError([
      `Shopify credentials are half configured: ${present.join(", ")} set but ${missing.join(", ")} missing. ` +
        `Set all of ${SHOPIFY_CREDENTIALS.join(", ")} to run with Shopify, or none to run the local demo shop.`,
    ]);
  }
  return {
    mode: "shopify",
    nodeEnv: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST ?? "0.0.0.0",
    databaseUrl,
    apiKey: env.SHOPIFY_API_KEY as string,
    apiSecret: env.SHOPIFY_API_SECRET as string,
    appUrl: env.SHOPIFY_APP_URL as string,
    scopes: (env.SCOPES ?? DEFAULT_SCOPES).split(",").map((scope) => scope.trim()).filter(Boolean),
    shopCustomDomain: env.SHOP_CUSTOM_DOMAIN,
    reverseProxies: env.REVERSE_PROXIES,
    redisUrl: env.REDIS_URL,
    buildDirectory: env.UPSHELF_BUILD_DIR,
  };
}

let cached: AppEnv | undefined;

/** The validated environment of this process (validated on first use, then cached). */
export function getEnv(): AppEnv {
  cached ??= loadEnv();
  return cached;
}

/** SHOP_CUSTOM_DOMAIN in Shopify mode (shops named `<name>.<domain>`); the demo shop has none. */
export function customShopDomain(env: AppEnv = getEnv()): string | undefined {
  return env.mode === "shopify" ? env.shopCustomDomain : undefined;
}
