// Debian's chromium driven by playwright-core, headless, with a fresh profile; pages at
// the three layouts the bedside app is made for; screenshots into a git-ignored folder.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

export const LAYOUTS = Object.freeze({
  tablet: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
  station: { width: 1920, height: 1080 },
});
export type Layout = keyof typeof LAYOUTS;
export type Scheme = "light" | "dark";

export const SHOT_DIR = join(process.cwd(), "test-results", "web");

const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export interface TestBrowser {
  readonly context: BrowserContext;
  /** A new page (tab) at a layout and colour scheme; console errors collected. */
  page(layout?: Layout, scheme?: Scheme): Promise<Page & { errors: string[] }>;
  shot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), "incunest-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    args: FLAGS,
    headless: true,
    acceptDownloads: true,
    viewport: LAYOUTS.tablet,
  });
  mkdirSync(SHOT_DIR, { recursive: true });
  return {
    context,
    async page(layout = "tablet", scheme = "light") {
      const page = (await context.newPage()) as Page & { errors: string[] };
      page.errors = [];
      page.on("pageerror", (e) => page.errors.push(e.message));
      page.on("console", (m) => {
        if (m.type() === "error" && /Content Security Policy|Refused to/i.test(m.text())) page.errors.push(m.text());
      });
      await page.setViewportSize(LAYOUTS[layout]);
      await page.emulateMedia({ colorScheme: scheme });
      return page;
    },
    async shot(page, name) {
      const path = join(SHOT_DIR, `${name}.png`);
      await page.screenshot({ path, fullPage: true, animations: "allow" });
      return path;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** axe-core's engine source, to inject into a page. */
export function axeSource(): string {
  const require = createRequire(import.meta.url);
  return readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
}

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: Array<{ target: string[]; failureSummary?: string }>;
}

/** Runs axe-core (WCAG 2.x A and AA rules) on the page as it is. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated over the DevTools protocol, so the page's own CSP stays in force.
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(axeSource());
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const r = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] }, resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target as string[], failureSummary: n.failureSummary })) }));
  });
}
