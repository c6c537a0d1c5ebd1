import fs from "node:fs";
import { chromium, type Browser } from "playwright-core";

/**
 * Debian's headless shell (package chromium-headless-shell, Chromium's old headless mode as its own
 * binary, what Playwright itself runs headless) when it is installed, else the full Chromium, whose
 * headless mode is the whole browser without a screen. The shell does the tests' work for far less
 * CPU: on the 2-core CI machine a new context and a storefront page took about 0.6 s of CPU rather
 * than 3.3 s, and an idle page about 3% of a core rather than 34% (docs/decisions/0012-ci-time.md).
 * CHROMIUM_PATH names another.
 */
const HEADLESS_SHELL = "/usr/bin/chromium-headless-shell";

export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? (fs.existsSync(HEADLESS_SHELL) ? HEADLESS_SHELL : "/usr/bin/chromium");
}

/** Chromium, headless, with its calls home switched off (the network here is closed). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}
