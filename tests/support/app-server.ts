import { execFile, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { promisify } from "node:util";

const root = path.resolve(import.meta.dirname, "../..");

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export interface RunningServer {
  url: string;
  output: () => string;
  stop: () => Promise<void>;
}

/** The variables a test server gets: only what a developer's shell would set, no credentials. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "development", ...extra };
}

/** Runs `server.ts` exactly as `npm start` does and resolves once it says it is listening. */
export async function startAppServer(extraEnv: Record<string, string>, timeoutMs = 120_000): Promise<RunningServer> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), "server.ts"], {
    cwd: root,
    env: cleanEnv({ NODE_ENV: "development", PORT: String(port), ...extraEnv }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const poll = setInterval(() => {
      if (output.includes(`:${port}`)) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve();
      }
    }, 100);
    child.once("exit", (code) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });

  return {
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    stop: () => stopProcess(child),
  };
}

function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

/**
 * Runs `server.ts` serving this test run's production build, made once for the whole run (each
 * test file is its own process, so the first to get here builds while any other waits). A dev
 * server compiles every page again in every server a test starts; the browser tests drive pages,
 * and a build serves them without that work. tests/browser/demo-admin.test.ts keeps the dev
 * server: it is what `npm start` gives a fresh clone.
 */
export async function startBuiltAppServer(extraEnv: Record<string, string>, timeoutMs?: number): Promise<RunningServer> {
  // Vitest is loaded here, not at the top: the benchmark scripts use this module outside Vitest,
  // where importing it throws.
  const { inject } = await import("vitest");
  const buildDirectory = inject("buildDirectory");
  await ensureBuild(buildDirectory);
  return startAppServer({ ...extraEnv, UPSHELF_BUILD_DIR: buildDirectory }, timeoutMs);
}

const BUILT = "built";

async function ensureBuild(directory: string, timeoutMs = 300_000): Promise<void> {
  if (fs.existsSync(path.join(directory, BUILT))) return;
  fs.mkdirSync(path.dirname(directory), { recursive: true });
  let building = false;
  try {
    fs.mkdirSync(`${directory}.lock`);
    building = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  // A failed build is told to the files waiting on it (they fail at once, with its output).
  const failure = `${directory}.lock/failed`;
  if (building) {
    try {
      await promisify(execFile)(process.execPath, [path.join(root, "node_modules/@remix-run/dev/dist/cli.js"), "vite:build"], {
        cwd: root,
        env: { ...process.env, NODE_ENV: "production", UPSHELF_BUILD_DIR: directory },
        maxBuffer: 64 * 1024 * 1024,
      });
    } catch (error) {
      fs.writeFileSync(failure, String(error));
      throw error;
    }
    fs.writeFileSync(path.join(directory, BUILT), "");
    return;
  }
  const started = Date.now();
  while (!fs.existsSync(path.join(directory, BUILT))) {
    if (fs.existsSync(failure)) throw new Error(`the test build failed:\n${fs.readFileSync(failure, "utf8")}`);
    if (Date.now() - started > timeoutMs) throw new Error(`the test build in ${directory} did not finish in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Runs `server.ts` expecting it to refuse to start; resolves with its exit code and output. */
export async function runServerExpectingExit(extraEnv: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), "server.ts"], {
    cwd: root,
    env: cleanEnv(extraEnv),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    child.kill("SIGKILL");
  }, 30_000);
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  clearTimeout(timer);
  if (killed) throw new Error(`server.ts was still running after 30 s, when it should have exited:\n${output}`);
  return { code, output };
}
