import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The project's folder, found by walking up from this module: it runs from app/ in development
 * and from a production build's server/assets (build/, or wherever UPSHELF_BUILD_DIR puts it)
 * otherwise, so a path relative to the module would point into the build. The demo shop's data,
 * the preview theme and the theme extension are read from the project itself.
 */
export const PROJECT_ROOT = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));

function findProjectRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json")) && fs.existsSync(path.join(dir, "extensions", "upshelf-widgets"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`No Upshelf project folder above ${start}.`);
  }
}
