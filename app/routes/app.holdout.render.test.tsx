import { describe, expect, it } from "vitest";
import { renderAdminPage } from "../../tests/support/render-admin-page";
import HoldoutPage, { type loader } from "./app.holdout";

type LoaderData = Awaited<ReturnType<typeof loader>>;

/** The holdout page as the merchant gets it, rendered from loader data. */
async function render(data: LoaderData): Promise<string> {
  return (await renderAdminPage({ path: "/app/holdout", url: "http://localhost/app/holdout", data, Component: HoldoutPage })).html;
}

/** Every `<button …>` tag whose text is `label`. */
function buttonsNamed(html: string, label: string): string[] {
  return [...html.matchAll(/<button\b[^>]*>(.*?)<\/button>/gs)].filter((match) => match[1]!.replace(/<[^>]+>/g, "").trim() === label).map((match) => match[0]);
}

describe("the holdout page's Stop button", () => {
  it("GIVEN a running test THEN Stop only asks (a plain button, no form that would end the test in one click)", async () => {
    const html = await render({ test: null, running: { key: "abc12345", startedAt: "7 Dec 2026, 10:00", holdoutPercent: 10 }, tests: [] });
    const [stop, ...others] = buttonsNamed(html, "Stop the test");
    expect(stop).toBeDefined();
    expect(others).toEqual([]);
    expect(stop).toMatch(/\btype="button"/);
    // Nothing on the page posts a stop by itself: the confirmation sends it.
    expect(html).not.toMatch(/name="intent"[^>]*value="stop"|value="stop"[^>]*name="intent"/);
    expect(html).not.toContain('type="submit"');
  });

  it("GIVEN no running test THEN starting is still one submit, with the share chosen", async () => {
    const html = await render({ test: null, running: null, tests: [] });
    expect(buttonsNamed(html, "Stop the test")).toEqual([]);
    const [start] = buttonsNamed(html, "Start a holdout test");
    expect(start).toMatch(/\btype="submit"/);
    expect(html).toMatch(/name="intent"[^>]*value="start"/);
  });
});
