import { getEnv } from "~/env.server";

/**
 * The key pair checkout tokens are checked and signed with. The demo shop has no Shopify app, so
 * it signs with the demo secret and names itself with a fixed demo client id.
 */
export const DEMO_CLIENT_ID = "upshelf-demo-client-id";

export interface AppCredentials {
  /** The app's API key (client id): `iss` of the changeset tokens we sign, `aud` of session tokens. */
  apiKey: string;
  apiSecret: string;
}

export function appCredentials(): AppCredentials {
  const env = getEnv();
  return env.mode === "shopify" ? { apiKey: env.apiKey, apiSecret: env.apiSecret } : { apiKey: DEMO_CLIENT_ID, apiSecret: env.apiSecret };
}
