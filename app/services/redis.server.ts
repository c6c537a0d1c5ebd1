/**
 * The app's Redis connection, used only when REDIS_URL is set (shared rate-limit budgets across
 * app processes, decision 11). Commands fail at once while it is disconnected (no offline queue),
 * so callers can fall back instead of waiting; it reconnects in the background.
 */
import { createClient } from "redis";
import type { RedisScriptRunner } from "./rate-limit/shared-token-buckets";

export function connectRedis(url: string): RedisScriptRunner & { close(): Promise<void> } {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: { connectTimeout: 2_000, reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 10_000) },
  });
  // Connection errors also fail the commands, and their callers report them; without a listener
  // an 'error' event would end the process.
  client.on("error", () => undefined);
  void client.connect().catch(() => undefined);
  return {
    eval: (script, options) => client.eval(script, options),
    close: async () => {
      client.destroy();
    },
  };
}
