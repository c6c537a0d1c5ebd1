import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

// When `shopify app dev` runs the app behind a tunnel, HMR must go through the tunnel too.
const appUrl = process.env.SHOPIFY_APP_URL ? new URL(process.env.SHOPIFY_APP_URL) : undefined;
const hmr =
  appUrl && appUrl.hostname !== "localhost"
    ? { protocol: "wss", host: appUrl.hostname, port: Number(process.env.FRONTEND_PORT ?? 8002), clientPort: 443 }
    : { protocol: "ws", host: "localhost", port: 64999, clientPort: 64999 };

export default defineConfig({
  server: {
    allowedHosts: appUrl ? [appUrl.hostname] : [],
    hmr,
    fs: { allow: ["app", "node_modules", "extensions", "data"] },
  },
  plugins: [
    remix({
      // server.ts serves the build from the same directory (app/env.server.ts, UPSHELF_BUILD_DIR).
      buildDirectory: process.env.UPSHELF_BUILD_DIR || "build",
      ignoredRouteFiles: ["**/.*", "**/*.test.{ts,tsx}"],
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_lazyRouteDiscovery: true,
        v3_singleFetch: true,
        v3_routeConfig: true,
      },
    }),
    tsconfigPaths(),
  ],
  build: { assetsInlineLimit: 0 },
  // The browser's dependencies, pre-bundled up front and nothing discovered later: a late discovery
  // (the scanner follows loaders into server-only packages) re-optimises mid-load and leaves the
  // first page of a fresh clone with two copies of React.
  optimizeDeps: {
    noDiscovery: true,
    include: [
      "react", "react-dom", "react-dom/client", "react/jsx-runtime", "react/jsx-dev-runtime",
      "@remix-run/react", "@shopify/polaris", "@shopify/app-bridge-react", "@shopify/shopify-app-remix/react",
      // Imported by admin routes for the browser; CommonJS inside, so Vite must pre-bundle them.
      "@shopify/shopify-app-remix/server", "recharts",
    ],
  },
});
