/**
 * The HTML report in a real browser: Debian's Chromium (`/usr/bin/chromium`, a prerequisite of `npm test`; CI
 * installs it) driven by playwright-core, which downloads no browser of its own. The page opens from a file and
 * must draw one chart per shard with its three series, log no console error, throw nothing, and fetch nothing
 * but itself.
 */
import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { CHART_SERIES, writeResultsAndReport } from "../../rehearsal/report-html";
import type { RehearsalResults } from "../../rehearsal/results";
import { scratchDir } from "../scratch";
import { syntheticResults } from "./results-fixtures";

/** Where Debian's `chromium` package puts the browser. */
const CHROMIUM = "/usr/bin/chromium";

jest.setTimeout(60_000);

let browser: Browser;
beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: the report test needs Debian's Chromium (apt-get install chromium; README, Prerequisites)`,
    );
  }
  // Chromium's sandbox refuses to run as root (CI containers); elsewhere it stays on.
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: process.getuid?.() === 0 ? ["--no-sandbox"] : [],
  });
});
afterAll(async () => {
  await browser?.close();
});

/** What a page did while it loaded: console messages, uncaught errors and every request. */
interface Visit {
  readonly page: Page;
  readonly url: string;
  readonly console: string[];
  readonly errors: string[];
  readonly requests: string[];
}

/** Writes the report of `results` to a scratch folder and opens it from the file. */
async function open(results: RehearsalResults, viewport = { width: 1280, height: 900 }): Promise<Visit> {
  const dir = scratchDir("report-");
  const [, reportFile] = writeResultsAndReport(dir, results);
  const url = pathToFileURL(reportFile).href;
  const page = await browser.newPage({ viewport });
  const visit: Visit = { page, url, console: [], errors: [], requests: [] };
  page.on("console", (message) => visit.console.push(`${message.type()}: ${message.text()}`));
  page.on("pageerror", (error) => visit.errors.push(error.message));
  page.on("request", (request) => visit.requests.push(request.url()));
  await page.goto(url, { waitUntil: "load" });
  return visit;
}

/** Per shard chart: its shard index, the series it draws, and where its lines are on screen. */
async function charts(page: Page) {
  return page.locator("figure.shard").evaluateAll((figures) =>
    figures.map((figure) => {
      const svg = figure.querySelector("svg.chart");
      const box = svg?.getBoundingClientRect();
      const lineY = (name: string) => {
        const element = svg?.querySelector(`[data-series="${name}"]`);
        return element ? element.getBoundingClientRect().top : Number.NaN;
      };
      const line = svg?.querySelector('[data-series="concurrency"]');
      return {
        shard: Number(figure.getAttribute("data-shard")),
        charts: figure.querySelectorAll("svg.chart").length,
        series: [...(svg?.querySelectorAll("[data-series]") ?? [])].map((element) =>
          element.getAttribute("data-series"),
        ),
        points: (line?.getAttribute("points") ?? "").trim().split(/\s+/).filter(Boolean).length,
        width: box?.width ?? 0,
        left: box?.left ?? 0,
        height: box?.height ?? 0,
        // Screen y of the highest point of the concurrency line, of the ceiling and of the headroom line.
        top: line ? line.getBoundingClientRect().top : Number.NaN,
        ceiling: lineY("ceiling"),
        headroom: lineY("headroom"),
      };
    }),
  );
}

function expectQuiet(visit: Visit): void {
  expect(visit.console.filter((message) => /^(error|warning)/.test(message))).toEqual([]);
  expect(visit.errors).toEqual([]);
  expect(visit.requests).toEqual([visit.url]);
}

describe("report.html in Chromium", () => {
  it("draws one chart per shard with concurrency, ceiling and headroom, where the data puts them", async () => {
    // Shard 0 gets 10 sessions beyond its ceiling of 15 (refused), the others 11, below u = 12.
    const results = syntheticResults({ shards: 4, seconds: 120, ceiling: 15, perShard: 11, overload: 10 });
    const visit = await open(results);
    const drawn = await charts(visit.page);

    expect(drawn.map((chart) => chart.shard)).toEqual([0, 1, 2, 3]);
    for (const chart of drawn) {
      expect(chart.charts).toBe(1);
      expect([...chart.series].sort()).toEqual([...CHART_SERIES].sort());
      expect(chart.points).toBe(120);
      expect(chart.width).toBeGreaterThan(200);
      expect(chart.height).toBeGreaterThan(80);
      expect(chart.headroom).toBeGreaterThan(chart.ceiling);
    }
    const [full, ...below] = drawn;
    // Shard 0 peaks at its ceiling: its line reaches the ceiling line (within a pixel and a half of stroke).
    expect(Math.abs(full.top - full.ceiling)).toBeLessThan(1.5);
    for (const chart of below) expect(chart.top).toBeGreaterThan(chart.headroom);
    expect(await visit.page.locator("figure.shard").first().locator(".refusal-mark").count()).toBeGreaterThan(
      0,
    );
    expect(await visit.page.locator("figure.total svg.chart [data-series]").count()).toBe(3);
    expect(await visit.page.locator("table.summary tbody tr").count()).toBe(4);
    expectQuiet(visit);
  });

  it("keeps 85 shards readable: a grid of small multiples, several to a row, each chart full size", async () => {
    const results = syntheticResults({ shards: 85, seconds: 900, ceiling: 150, perShard: 118, overload: 40 });
    const visit = await open(results);
    const drawn = await charts(visit.page);

    expect(drawn).toHaveLength(85);
    expect(drawn.every((chart) => chart.series.length === 3 && chart.width >= 200)).toBe(true);
    // 900 model seconds are drawn with at most one point per unit of the plot's width.
    expect(Math.max(...drawn.map((chart) => chart.points))).toBeLessThanOrEqual(240);
    const perRow = new Set(drawn.map((chart) => Math.round(chart.left))).size;
    expect(perRow).toBeGreaterThanOrEqual(4);
    expect(await visit.page.locator("table.summary tbody tr").count()).toBe(85);
    expectQuiet(visit);
  });

  it("shows markup in a deployment id or the environment name as text: nothing runs and nothing is fetched", async () => {
    const hostile = '<img src="x.png" onerror="console.error(1)">';
    const results = syntheticResults({
      shards: 2,
      seconds: 30,
      ceiling: 15,
      perShard: 10,
      deploymentPrefix: hostile,
    });
    const visit = await open({ ...results, environment: `<script>console.error("env")</script>` });
    expect(await visit.page.locator("img, script").count()).toBe(0);
    expect(await visit.page.locator("table.summary").innerText()).toContain(`${hostile}0`);
    expect(await visit.page.locator("h1").innerText()).toContain('<script>console.error("env")</script>');
    expectQuiet(visit);
  });

  it("would catch a fetch twice: the request, and the console error of its Content-Security-Policy blocking it", async () => {
    const visit = await open(syntheticResults({ shards: 1, seconds: 10, ceiling: 15, perShard: 5 }));
    await visit.page.locator("body").evaluate((body) => {
      const image = body.ownerDocument.createElement("img");
      image.setAttribute("src", "http://127.0.0.1:9/tracker.png");
      body.append(image);
    });
    await visit.page.waitForTimeout(200);
    expect(visit.console).toEqual([expect.stringMatching(/^error: .*Content Security Policy/)]);
    expect(visit.requests).toEqual([visit.url, "http://127.0.0.1:9/tracker.png"]);
    expect(() => expectQuiet(visit)).toThrow();
  });
});
