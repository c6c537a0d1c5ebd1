/**
 * Upshelf's HTTP server: `npm start` runs this file.
 *
 * 1. Validates the environment (app/env.server.ts) and exits with a message naming what is wrong.
 *    Takes its port, or exits saying it is taken; requests wait until step 4 is done.
 * 2. Applies database migrations.
 * 3. In demo mode, seeds the demo shop once; then starts waiting background jobs and sweeps for
 *    interrupted ones.
 * 4. Serves the Remix app: the production build under NODE_ENV=production (or the one
 *    UPSHELF_BUILD_DIR names), otherwise through Vite's dev middleware (no build step, so a fresh
 *    clone is up in seconds).
 */
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { EnvError, loadEnv, type AppEnv } from "./app/env.server";
import { deployMigrations } from "./scripts/prisma";

function readEnvOrExit(): AppEnv {
  try {
    return loadEnv();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

async function prepareDemoShop(env: AppEnv): Promise<void> {
  if (env.mode !== "demo") return;
  const { seedDemoShop } = await import("./app/services/demo-shop.server");
  const started = Date.now();
  const result = await seedDemoShop({ shopId: env.demoShop });
  console.log(
    result.seeded
      ? `Seeded the demo shop: ${result.products} products, ${result.orders} orders (${Date.now() - started} ms).`
      : `Demo shop ready: ${result.products} products, ${result.orders} orders.`,
  );
}

async function remixHandler(env: AppEnv, routes: express.Router) {
  if (env.nodeEnv === "production" || env.buildDirectory) {
    const buildDir = path.resolve(env.buildDirectory ?? "build");
    routes.use("/assets", express.static(path.join(buildDir, "client/assets"), { immutable: true, maxAge: "1y" }));
    routes.use(express.static(path.join(buildDir, "client"), { maxAge: "1h" }));
    const build = (await import(pathToFileURL(path.join(buildDir, "server/index.js")).href)) as ServerBuild;
    return createRequestHandler({ build, mode: "production" });
  }
  const vite = await import("vite");
  // Hot reload is for a developer at a terminal; servers started by tests or scripts skip its socket.
  const hmr = process.stdout.isTTY ? {} : { hmr: false as const };
  const devServer = await vite.createServer({ server: { middlewareMode: true, ...hmr } });
  routes.use(devServer.middlewares);
  return createRequestHandler({
    build: () => devServer.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>,
    mode: "development",
  });
}

/** Everything before the first request: migrations, the demo seed, background work, the routes. */
async function prepareApp(env: AppEnv): Promise<express.Router> {
  process.env.DATABASE_URL = env.databaseUrl;
  deployMigrations();
  // Titles stored before the product search kept folded titles, beyond plain ASCII, are folded once.
  const { foldStoredProductTitles } = await import("./app/models/product-search.server");
  const folded = await foldStoredProductTitles();
  if (folded > 0) console.log(`Folded ${folded} product titles for the product search.`);
  await prepareDemoShop(env);
  // Waiting jobs start now; jobs cut off by a stopped process (imports, backfills, rebuilds) resume
  // from their checkpoints once their heartbeat is stale (at most about 2.5 minutes later).
  const { resumeJobs, startJobSweeper } = await import("./app/services/jobs.server");
  const resumed = await resumeJobs();
  if (resumed > 0) console.log(`Resuming ${resumed} background job(s).`);
  startJobSweeper();
  // Webhooks are stored before Shopify gets its 200; any left pending by a crash are done now,
  // in the background, so a backlog does not delay serving. Then every 30 s this process picks up
  // deliveries whose run died in another process, or whose retry is due and was another's.
  const { processPendingWebhookDeliveries, startWebhookDeliveryPickup } = await import("./app/services/webhooks");
  const deliveriesOf = env.mode === "demo" ? { shopIds: [env.demoShop] } : {};
  processPendingWebhookDeliveries(deliveriesOf)
    .then(
      (redone) => redone > 0 && console.log(`Processed ${redone} webhook deliveries left pending.`),
      (error: unknown) => console.error("Pending webhook deliveries could not be processed:", error),
    )
    .finally(() => startWebhookDeliveryPickup(deliveriesOf));
  // Models are rebuilt when stale or after new orders; the timer does not keep the process alive.
  const { startRebuildScheduler } = await import("./app/services/rebuild-scheduler.server");
  startRebuildScheduler();
  // Checkout's discount follows passing offer schedules, failed writes and changes made in Shopify's admin.
  const { startDiscountUpkeep } = await import("./app/services/discount-upkeep.server");
  // A demo server serves the demo shop alone; other shops in its database are none of its business.
  startDiscountUpkeep(env.mode === "demo" ? { shopIds: [env.demoShop] } : {});
  // Widget events older than their retention go once a day (and now), so the table does not grow
  // for ever; a purge still working through a backlog is not joined by the next one.
  const { purgeExpiredWidgetEvents } = await import("./app/models/widget-event.server");
  const { startPeriodicPass } = await import("./app/services/periodic-pass.server");
  startPeriodicPass(() => purgeExpiredWidgetEvents().catch((error: unknown) => console.error("Purging old widget events failed:", error)), 86_400_000);
  // Webhook deliveries past their retention (processed 7 days, failed 14, data request exports 90) go every hour.
  const { startWebhookDeliveryRetention } = await import("./app/services/webhooks/retention.server");
  startWebhookDeliveryRetention(env.mode === "demo" ? { shopIds: [env.demoShop] } : {});

  const { handleRecommendationsHttp } = await import("./app/services/recommendations-endpoint.server");
  const routes = express.Router();
  // The storefront's hottest endpoint, answered without Remix's request adapter (same code as its route).
  routes.get("/proxy/recommendations", handleRecommendationsHttp);
  routes.all("*", await remixHandler(env, routes));
  return routes;
}

/**
 * Takes the port before anything slow (migrations, the demo seed, Vite), so a taken port is said
 * in a second, not after them. Requests that arrive before the app is ready wait for it.
 */
async function listenFirst(env: AppEnv, app: express.Express, ready: Promise<express.Router>): Promise<void> {
  app.disable("x-powered-by");
  app.use((request, response, next) => {
    void ready.then((routes) => routes(request, response, next));
  });
  const server = app.listen(env.port, env.host);
  // A port that is taken (another Upshelf, or anything else) or not ours to use: a sentence, not
  // Node's unhandled 'error' event and its stack.
  server.on("error", (error: NodeJS.ErrnoException) => {
    const address = `${env.host}:${env.port}`;
    if (error.code === "EADDRINUSE") console.error(`Port ${env.port} is already in use on ${env.host}: stop what is listening there, or start Upshelf on another port (PORT=3001 npm start).`);
    else if (error.code === "EACCES") console.error(`Upshelf may not listen on ${address}: choose a port above 1023 (PORT=3000 npm start).`);
    else console.error(`Upshelf could not listen on ${address}:`, error);
    process.exit(1);
  });
  await new Promise<void>((resolve) => server.once("listening", resolve));
}

async function main(): Promise<void> {
  const env = readEnvOrExit();
  const app = express();
  let openForRequests!: (routes: express.Router) => void;
  const ready = new Promise<express.Router>((resolve) => (openForRequests = resolve));
  // Awaited: migrations block the process while they run, so the port is known to be ours first.
  await listenFirst(env, app, ready);
  openForRequests(await prepareApp(env));
  const where = `http://${env.host === "0.0.0.0" ? "localhost" : env.host}:${env.port}`;
  console.log(env.mode === "demo" ? `Upshelf demo shop: ${where}/app` : `Upshelf listening on ${where}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
