/**
 * The report's markup without a browser: every value escaped, one chart per shard with its three series, long
 * runs drawn with a bounded number of points that keep every peak. The browser test (report-chromium) renders it.
 */
import { escapeHtml, html, renderReportHtml } from "../../rehearsal/report-html";
import { emptySeries } from "../../rehearsal/results";
import { syntheticResults } from "./results-fixtures";

describe("escaping", () => {
  it.each([
    ["<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"],
    [`a "quoted" 'value' & more`, "a &quot;quoted&quot; &#39;value&#39; &amp; more"],
    ["plain", "plain"],
  ])("escapeHtml(%j)", (text, escaped) => expect(escapeHtml(text)).toBe(escaped));

  it("escapes every value put into a template, but not markup made by html itself", () => {
    const inner = html`<b>${"<i>"}</b>`;
    expect(html`<p title="${'"x"'}">${inner}${["<", 1, null, undefined]}</p>`.text).toBe(
      '<p title="&quot;x&quot;"><b>&lt;i&gt;</b>&lt;1</p>',
    );
  });
});

describe("renderReportHtml", () => {
  const count = (text: string, pattern: RegExp) => text.match(pattern)?.length ?? 0;

  it("draws one figure per shard with the concurrency, ceiling and headroom series, and the all-shards chart", () => {
    const page = renderReportHtml(syntheticResults({ shards: 6, seconds: 40, ceiling: 15, perShard: 9 }));
    expect(count(page, /<figure\s+class="shard /g)).toBe(6);
    expect(count(page, /data-series="concurrency"/g)).toBe(7);
    expect(count(page, /data-series="ceiling"/g)).toBe(7);
    expect(count(page, /data-series="headroom"/g)).toBe(7);
    expect(page).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(page).not.toMatch(/<script|<link|src=|url\(/i);
  });

  it("draws a day at one point per model second with at most one point per unit of width, keeping a one-second spike", () => {
    const results = syntheticResults({ shards: 1, seconds: 10, ceiling: 150, perShard: 5 });
    const seconds = 86_400;
    const series = emptySeries(seconds);
    series.live[50_000] = 140;
    const day = {
      ...results,
      seconds,
      shards: [{ ...results.shards[0], peakConcurrent: 140, series }],
      totals: { ...results.totals, peakConcurrent: 140, series: { live: series.live } },
    };
    const page = renderReportHtml(day);
    const lines = [...page.matchAll(/data-series="concurrency"\s+points="([^"]*)"/g)].map((match) =>
      match[1].trim().split(/\s+/),
    );
    // The shard's chart is 190 units wide inside its axes, the all-shards chart 670.
    expect(lines.map((points) => points.length)).toEqual(
      [670, 190].map((width) => Math.ceil(seconds / Math.ceil(seconds / width))),
    );
    for (const points of lines) {
      // The spike survives the bucketing: some point is drawn at 140 of a 200 scale, well above the baseline.
      const ys = points.map((point) => Number(point.split(",")[1]));
      expect(Math.min(...ys)).toBeLessThan(Math.max(...ys) - 20);
    }
    expect(page).toContain("23:59:59 model time");
  });
});
