// Shared test environment. A console.error in a test is a bug that would otherwise scroll past.
import { afterEach, vi } from "vitest";

afterEach(() => {
  vi.restoreAllMocks();
});
