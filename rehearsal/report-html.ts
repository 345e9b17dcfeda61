/**
 * The HTML report of a rehearsal's results (`report.html` next to `results.json`): one self-contained page with
 * inline CSS and hand-drawn SVG, no script and nothing fetched (its Content-Security-Policy forbids it). At the
 * top the run and its verdict, then a chart of all driven shards together, one small chart per shard (a grid of
 * small multiples on one shared scale, readable at 85 shards and more) of live sessions over model time against
 * the shard's ceiling C and its headroom line u = floor(C × h), and a summary table per shard.
 *
 * Every value put in the page goes through `html`, which escapes it unless it is markup made by `html` itself.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { formatNumber } from "../capacity/format";
import { shardNumber } from "../genesys";
import { formatShardRanges } from "./select";
import { REPORT_FILE, most, writeResults, type RehearsalResults, type ShardResults } from "./results";

export { REPORT_FILE };

/** Markup: the only thing `html` inserts without escaping. */
export class Html {
  constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }
}

type Value = Html | string | number | null | undefined | readonly Value[];

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text made safe for HTML content and for quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ENTITIES[character]);
}

function insert(value: Value): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(insert).join("");
  return escapeHtml(String(value));
}

/** A template of markup: every value is escaped unless it is `Html`; arrays are joined. */
export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  return new Html(strings.reduce((text, part, position) => text + insert(values[position - 1]) + part));
}

/** The series a chart draws, as `data-series` names them: the tests count them. */
export const CHART_SERIES = ["concurrency", "ceiling", "headroom"] as const;

/** How a shard did against its plan: from worst to best. */
type ShardState = "refused" | "above-ceiling" | "above-headroom" | "lost" | "ok" | "idle";

function shardState(shard: ShardResults, results: RehearsalResults): ShardState {
  if (shard.refused > 0 || shard.failed > 0) return "refused";
  if (shard.peakConcurrent > results.plan.ceilingPerShard) return "above-ceiling";
  if (shard.peakConcurrent > results.plan.usablePerShard) return "above-headroom";
  if (shard.lost) return "lost";
  return shard.sessions === 0 ? "idle" : "ok";
}

const STATE_TEXT: Record<ShardState, string> = {
  refused: "refused or failed",
  "above-ceiling": "above ceiling",
  "above-headroom": "above headroom",
  lost: "lost (--lose-shard)",
  ok: "within headroom",
  idle: "no sessions",
};

/**
 * Chart sizes in SVG user units, about the CSS pixels each is drawn at, so that labels (10 units) stay readable:
 * a shard's chart in a grid cell of 230 px and more, the chart of all shards up to 760 px wide.
 */
const SHARD_CHART = { width: 240, height: 120 } as const;
const TOTAL_CHART = { width: 720, height: 220 } as const;
const LEFT = 44;
const RIGHT = 6;
const TOP = 8;
const BOTTOM = 18;

const fixed = (value: number) => String(Math.round(value * 10) / 10);

/** Model seconds as m:ss, or h:mm:ss from an hour. */
export function formatModelTime(seconds: number): string {
  const whole = Math.round(seconds);
  const s = String(whole % 60).padStart(2, "0");
  const m = Math.floor(whole / 60) % 60;
  const h = Math.floor(whole / 3600);
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** A series bucketed to at most `maxPoints`: each point the largest value of its span of seconds. */
function bucketMax(
  values: readonly number[],
  maxPoints: number,
): { readonly step: number; readonly points: number[] } {
  const step = Math.max(1, Math.ceil(values.length / maxPoints));
  const points: number[] = [];
  for (let start = 0; start < values.length; start += step) {
    let largest = 0;
    for (let second = start; second < Math.min(values.length, start + step); second += 1)
      largest = Math.max(largest, values[second]);
    points.push(largest);
  }
  return { step, points };
}

/** A round number at or above `value` for the top of a scale: 1, 2 or 5 times a power of ten. */
function niceCeiling(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return ([1, 2, 5, 10].find((factor) => factor * power >= value) ?? 10) * power;
}

interface ChartInput {
  readonly size: { readonly width: number; readonly height: number };
  readonly label: string;
  readonly live: readonly number[];
  readonly refused: readonly number[];
  readonly ceiling: number;
  readonly usable: number;
  /** A tenant-wide ceiling to draw too (the all-shards chart). */
  readonly orgCeiling?: number | null;
  readonly yMax: number;
  readonly seconds: number;
}

/** One chart: live sessions over model time, the ceiling and the headroom line, refusals as marks. */
function chart(input: ChartInput): Html {
  const { width: WIDTH, height: HEIGHT } = input.size;
  const PLOT_WIDTH = WIDTH - LEFT - RIGHT;
  const PLOT_HEIGHT = HEIGHT - TOP - BOTTOM;
  // One point per user unit of the plot's width at most.
  const { step, points } = bucketMax(input.live, PLOT_WIDTH);
  const span = Math.max(1, input.seconds - 1);
  const x = (second: number) => LEFT + (Math.min(second, span) / span) * PLOT_WIDTH;
  const y = (value: number) => TOP + PLOT_HEIGHT - (Math.min(value, input.yMax) / input.yMax) * PLOT_HEIGHT;
  const line = points.map((value, bucket) => `${fixed(x(bucket * step))},${fixed(y(value))}`).join(" ");
  const ceilingY = y(input.ceiling);
  const usableY = y(input.usable);
  // The u label moves down when it would overlap C's.
  const usableLabelY = usableY - ceilingY < 11 ? ceilingY + 11 : usableY;
  const refusalMarks = bucketMax(input.refused, PLOT_WIDTH)
    .points.map((refused, bucket) => ({ refused, bucket }))
    .filter((mark) => mark.refused > 0)
    .map(
      (mark) =>
        html`<rect
          class="refusal-mark"
          x="${fixed(x(mark.bucket * step) - 1)}"
          y="${TOP + PLOT_HEIGHT - 5}"
          width="2"
          height="5"
          ><title>
            ${mark.refused} refused at
            ${formatModelTime(mark.bucket * step)}${step > 1 ? ` (a point is ${step} s)` : ""}
          </title></rect
        >`,
    );
  const peak = most(input.live);
  return html`<svg
    class="chart"
    viewBox="0 0 ${WIDTH} ${HEIGHT}"
    role="img"
    aria-label="${input.label}: live sessions over model time, peak ${peak}, against the ceiling ${formatNumber(input.ceiling)} and the headroom line ${formatNumber(input.usable)}"
  >
    <line
      class="axis"
      x1="${LEFT}"
      y1="${TOP + PLOT_HEIGHT}"
      x2="${WIDTH - RIGHT}"
      y2="${TOP + PLOT_HEIGHT}"
    />
    <line class="axis" x1="${LEFT}" y1="${TOP}" x2="${LEFT}" y2="${TOP + PLOT_HEIGHT}" />
    <text class="tick" x="${LEFT - 3}" y="${TOP + PLOT_HEIGHT + 3.5}" text-anchor="end">0</text>
    <text class="tick ceiling-label" x="${LEFT - 3}" y="${fixed(ceilingY + 3.5)}" text-anchor="end">
      C ${formatNumber(input.ceiling)}
    </text>
    <text class="tick headroom-label" x="${LEFT - 3}" y="${fixed(usableLabelY + 3.5)}" text-anchor="end">
      u ${formatNumber(input.usable)}
    </text>
    <text class="tick" x="${LEFT}" y="${HEIGHT - 4}">0:00</text>
    <text class="tick" x="${WIDTH - RIGHT}" y="${HEIGHT - 4}" text-anchor="end">
      ${formatModelTime(span)} model time
    </text>
    <line
      class="series ceiling"
      data-series="ceiling"
      x1="${LEFT}"
      y1="${fixed(ceilingY)}"
      x2="${WIDTH - RIGHT}"
      y2="${fixed(ceilingY)}"
    >
      <title>ceiling C: ${formatNumber(input.ceiling)} sessions</title>
    </line>
    <line
      class="series headroom"
      data-series="headroom"
      x1="${LEFT}"
      y1="${fixed(usableY)}"
      x2="${WIDTH - RIGHT}"
      y2="${fixed(usableY)}"
    >
      <title>headroom line u = floor(C × h): ${formatNumber(input.usable)} sessions</title>
    </line>
    ${
      input.orgCeiling == null
        ? null
        : html`<line
            class="series org-ceiling"
            data-series="org-ceiling"
            x1="${LEFT}"
            y1="${fixed(y(input.orgCeiling))}"
            x2="${WIDTH - RIGHT}"
            y2="${fixed(y(input.orgCeiling))}"
            ><title>tenant-wide ceiling: ${formatNumber(input.orgCeiling)} sessions</title></line
          >`
    }
    <polyline class="series concurrency" data-series="concurrency" points="${line}">
      <title>live sessions, peak ${peak}${step > 1 ? ` (a point is the most in ${step} s)` : ""}</title>
    </polyline>
    <g class="refusals">${refusalMarks}</g>
  </svg>`;
}

const ms = (value: number | null) => (value === null ? "-" : formatNumber(Math.round(value)));
const percentOf = (value: number, of: number) => `${Math.round((value / of) * 100)}%`;

/** The page for `results`. */
export function renderReportHtml(results: RehearsalResults): string {
  const { plan, totals } = results;
  const shards = results.shards;
  const peakShard = Math.max(0, ...shards.map((shard) => shard.peakConcurrent));
  const yMax = niceCeiling(Math.max(plan.ceilingPerShard, peakShard) * 1.05);
  const driven = shards.length;
  const totalCeiling = plan.ceilingPerShard * driven;
  const totalUsable = plan.usablePerShard * driven;
  const totalYMax = niceCeiling(Math.max(totalCeiling, totals.peakConcurrent, plan.orgCeiling ?? 0) * 1.05);
  const states = shards.map((shard) => shardState(shard, results));
  const countOf = (state: ShardState) => states.filter((entry) => entry === state).length;
  const hosts = new Map(results.runs.map((run, position) => [position, run.host]));
  const title = `Rehearsal of ${results.environment} (${results.stack}): ${totals.sessions} sessions over ${driven} shard${driven === 1 ? "" : "s"}`;
  const verdict =
    totals.refused === 0 && totals.failed === 0 && results.runs.every((run) => run.aborted === null)
      ? `Nothing refused: ${totals.connected} sessions held, ${totals.peakConcurrent} at once.`
      : `${totals.refused} refused and ${totals.failed} failed of ${totals.sessions} sessions.`;
  const map = results.shardMap;
  const stateOfMap =
    map.stateSerial === null
      ? `source ${map.source}`
      : `state serial ${map.stateSerial}${map.stateLineage === null ? "" : `, lineage ${map.stateLineage}`}`;

  const shardFigures = shards.map((shard, position) => {
    const name = `Shard ${shardNumber(shard.index)}`;
    const notes = [
      `peak ${shard.peakConcurrent} / C ${formatNumber(plan.ceilingPerShard)}`,
      ...(shard.refused > 0 ? [`${shard.refused} refused`] : []),
      ...(shard.failed > 0 ? [`${shard.failed} failed`] : []),
      ...(shard.lost ? ["lost"] : []),
    ].join(" · ");
    const drawn = chart({
      size: SHARD_CHART,
      label: name,
      live: shard.series.live,
      refused: shard.series.refused,
      ceiling: plan.ceilingPerShard,
      usable: plan.usablePerShard,
      yMax,
      seconds: results.seconds,
    });
    return html`<figure
      class="shard state-${states[position]}"
      id="shard-${shardNumber(shard.index)}"
      data-shard="${shard.index}"
    >
      <figcaption title="${name}: ${notes}"><b>${name}</b> ${notes}</figcaption>
      ${drawn}
    </figure>`;
  });

  const row = (shard: ShardResults, position: number) =>
    html`<tr class="state-${states[position]}">
      <td class="left">
        <a href="#shard-${shardNumber(shard.index)}">${shardNumber(shard.index)}</a
        >${shard.lost ? " (lost)" : shard.movedIn > 0 ? ` (+${shard.movedIn})` : ""}
      </td>
      <td class="left mono">${shard.deploymentId}</td>
      <td class="left">${hosts.get(shard.run)}</td>
      <td>${shard.plannedSessions}</td>
      <td>${shard.sessions}</td>
      <td>${shard.connected}</td>
      <td>${shard.peakConcurrent}</td>
      <td>${percentOf(shard.peakConcurrent, plan.ceilingPerShard)}</td>
      <td>${shard.refused}</td>
      <td>${shard.retried}</td>
      <td>${shard.failed}</td>
      <td>${ms(shard.connectP50Ms)}</td>
      <td>${ms(shard.connectP99Ms)}</td>
      <td class="left">${STATE_TEXT[states[position]]}</td>
    </tr>`;

  const runRows = results.runs.map(
    (run) =>
      html`<tr>
        <td class="left">${run.host}</td>
        <td class="left">${run.startedAt}</td>
        <td>${formatModelTime(run.offsetSeconds)}</td>
        <td class="left">${formatShardRanges(run.drivenShards)}</td>
        <td>${run.sessions}</td>
        <td>${formatNumber(run.rampPerMinute)}</td>
        <td>${formatNumber(run.holdSeconds)}</td>
        <td>${(run.elapsedMs / 1000).toFixed(1)}</td>
        <td class="left mono">${run.url}</td>
        <td class="left">
          ${run.firstRefusal === null ? "-" : `shard ${run.firstRefusal.shardIndex} at ${run.firstRefusal.shardLive} open (${run.firstRefusal.totalLive} in all): ${run.firstRefusal.answer}`}${run.aborted === null ? "" : ` · stopped: ${run.aborted.message}`}
        </td>
      </tr>`,
  );

  const answers = [
    ...Object.entries(totals.refusals).map(([answer, count]) => html`<li>refused ${count}×: ${answer}</li>`),
    ...Object.entries(totals.failures).map(([cause, count]) => html`<li>failed ${count}×: ${cause}</li>`),
  ];

  const page = html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'" />
        <title>${title}</title>
        <style>
          ${new Html(STYLE)}
        </style>
      </head>
      <body>
        <header>
          <h1>${title}</h1>
          <p class="verdict">
            ${verdict} ${countOf("above-ceiling")} shard(s) above their ceiling, ${countOf("above-headroom")}
            above their headroom line, ${countOf("refused")} with refusals or failures.
          </p>
          <dl class="meta">
            <dt>environment</dt>
            <dd>${results.environment} (${results.stack})</dd>
            <dt>shard map</dt>
            <dd>
              ${map.file}: ${map.shards} shards, ${stateOfMap}, fingerprint
              <span class="mono">${map.fingerprint}</span>
            </dd>
            <dt>plan</dt>
            <dd>
              per-shard ceiling C
              ${formatNumber(plan.ceilingPerShard)}${plan.ceilingOnlyObserved ? " (observed in load tests only)" : ""}
              × headroom h ${formatNumber(plan.headroom)} = u ${plan.usablePerShard} sessions per shard;
              ${plan.shards} shards
              planned${plan.orgCeiling === null ? "" : `; tenant-wide ceiling ${formatNumber(plan.orgCeiling)}`}
            </dd>
            <dt>time</dt>
            <dd>
              started ${results.startedAt}; time scale ${formatNumber(results.timeScale)} (model time runs
              ${formatNumber(results.timeScale)}× faster than real time); one point per model second
            </dd>
            <dt>totals</dt>
            <dd>
              ${totals.sessions} sessions, ${totals.connected} connected, ${totals.peakConcurrent} at once,
              ${totals.refused} refused, ${totals.retried} retried, ${totals.failed} failed, connect p50
              ${ms(totals.connectP50Ms)} ms, p99 ${ms(totals.connectP99Ms)} ms (real time)
            </dd>
          </dl>
          ${
            answers.length === 0
              ? null
              : html`<ul class="answers">
                  ${answers}
                </ul>`
          }
        </header>
        <section>
          <h2>Runs</h2>
          <table class="runs">
            <thead>
              <tr>
                <th class="left">host</th>
                <th class="left">started</th>
                <th>offset</th>
                <th class="left">shards</th>
                <th>sessions</th>
                <th>ramp /min</th>
                <th>hold s</th>
                <th>real s</th>
                <th class="left">endpoint</th>
                <th class="left">first refusal</th>
              </tr>
            </thead>
            <tbody>
              ${runRows}
            </tbody>
          </table>
        </section>
        <section>
          <h2>All driven shards</h2>
          <p class="legend">
            ${legend()} Live sessions on the ${driven} driven shards together, against ${driven} × C and
            ${driven} × u${plan.orgCeiling === null ? "" : " and the tenant-wide ceiling (dotted)"}.
          </p>
          <figure class="total">
            ${chart({
              size: TOTAL_CHART,
              label: "All driven shards",
              live: totals.series.live,
              refused: sumSeries(
                shards.map((shard) => shard.series.refused),
                results.seconds,
              ),
              ceiling: totalCeiling,
              usable: totalUsable,
              orgCeiling: plan.orgCeiling,
              yMax: totalYMax,
              seconds: results.seconds,
            })}
          </figure>
        </section>
        <section>
          <h2>Concurrency per shard</h2>
          <p class="legend">
            ${legend()} Every chart has the same scales (0 to ${yMax} sessions, 0:00 to
            ${formatModelTime(Math.max(1, results.seconds - 1))} model time). A left border in green: within
            headroom; amber: above the headroom line; red: above the ceiling, or refusals or failures; grey:
            lost or no sessions.
          </p>
          <div class="grid">${shardFigures}</div>
        </section>
        <section>
          <h2>Summary per shard</h2>
          <table class="summary">
            <thead>
              <tr>
                <th class="left">shard</th>
                <th class="left">deployment</th>
                <th class="left">host</th>
                <th>planned</th>
                <th>sessions</th>
                <th>connected</th>
                <th>peak</th>
                <th>peak / C</th>
                <th>refused</th>
                <th>retried</th>
                <th>failed</th>
                <th>p50 ms</th>
                <th>p99 ms</th>
                <th class="left">state</th>
              </tr>
            </thead>
            <tbody>
              ${shards.map(row)}
            </tbody>
            <tfoot>
              <tr>
                <td class="left">total</td>
                <td></td>
                <td></td>
                <td>${shards.reduce((sum, shard) => sum + shard.plannedSessions, 0)}</td>
                <td>${totals.sessions}</td>
                <td>${totals.connected}</td>
                <td>${totals.peakConcurrent}</td>
                <td></td>
                <td>${totals.refused}</td>
                <td>${totals.retried}</td>
                <td>${totals.failed}</td>
                <td>${ms(totals.connectP50Ms)}</td>
                <td>${ms(totals.connectP99Ms)}</td>
                <td></td>
              </tr>
            </tfoot>
          </table>
        </section>
      </body>
    </html> `;
  return page.text;
}

function legend(): Html {
  return html`<span class="key"
      ><svg viewBox="0 0 20 6" width="20" height="6" aria-hidden="true">
        <line class="concurrency" x1="0" y1="3" x2="20" y2="3" />
      </svg>
      live sessions</span
    >
    <span class="key"
      ><svg viewBox="0 0 20 6" width="20" height="6" aria-hidden="true">
        <line class="ceiling" x1="0" y1="3" x2="20" y2="3" />
      </svg>
      ceiling C</span
    >
    <span class="key"
      ><svg viewBox="0 0 20 6" width="20" height="6" aria-hidden="true">
        <line class="headroom" x1="0" y1="3" x2="20" y2="3" />
      </svg>
      headroom line u = floor(C × h)</span
    >
    <span class="key"
      ><svg viewBox="0 0 6 6" width="6" height="6" aria-hidden="true">
        <rect class="refusal-mark" x="2" y="0" width="2" height="6" />
      </svg>
      refusals</span
    >`;
}

function sumSeries(series: readonly (readonly number[])[], seconds: number): number[] {
  const total = new Array<number>(seconds).fill(0);
  for (const values of series) values.forEach((value, second) => (total[second] += value));
  return total;
}

const STYLE = `
:root { color-scheme: light; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d232b; background: #fff; }
body { margin: 0 auto; padding: 16px 20px 40px; max-width: 1680px; }
h1 { font-size: 20px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 24px 0 8px; }
.verdict { font-weight: 600; margin: 4px 0 8px; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0; font-size: 13px; }
dl.meta dt { color: #5a6470; }
dl.meta dd { margin: 0; }
.answers { font-size: 13px; margin: 8px 0 0; padding-left: 20px; }
.mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12px; }
.legend { font-size: 12px; color: #3a4450; }
.key { white-space: nowrap; margin-right: 10px; }
.key svg { vertical-align: middle; }
figure { margin: 0; }
figure.total { max-width: 760px; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(230px, 1fr)); gap: 8px; }
figure.shard { border: 1px solid #d8dde3; border-left: 4px solid #2f855a; border-radius: 4px; padding: 3px 6px 2px; }
figure.state-above-headroom { border-left-color: #b7791f; }
figure.state-above-ceiling, figure.state-refused { border-left-color: #c53030; }
figure.state-idle, figure.state-lost { border-left-color: #a0aec0; }
figcaption { font-size: 12px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
svg.chart { display: block; width: 100%; height: auto; }
.concurrency { fill: none; stroke: #2b6cb0; stroke-width: 1.5; stroke-linejoin: round; }
.ceiling { stroke: #c53030; stroke-width: 1; }
.headroom { stroke: #b7791f; stroke-width: 1; stroke-dasharray: 4 3; }
.org-ceiling { stroke: #6b46c1; stroke-width: 1; stroke-dasharray: 1 2; }
.axis { stroke: #8a94a0; stroke-width: 0.5; }
.tick { font-size: 10px; fill: #5a6470; }
.refusal-mark { fill: #c53030; }
table { border-collapse: collapse; font-size: 12px; font-variant-numeric: tabular-nums; }
th, td { padding: 2px 8px; border-bottom: 1px solid #e2e6ea; text-align: right; vertical-align: top; }
th { background: #f4f6f8; position: sticky; top: 0; }
.left { text-align: left; }
tr.state-above-headroom td:last-child { color: #975a16; }
tr.state-above-ceiling td:last-child, tr.state-refused td:last-child { color: #c53030; font-weight: 600; }
tfoot td { font-weight: 600; border-top: 1px solid #8a94a0; }
`;

/** Writes report.html for `results` into `dir` (which exists); returns its path. */
export function writeReportHtml(dir: string, results: RehearsalResults): string {
  const file = join(dir, REPORT_FILE);
  writeFileSync(file, renderReportHtml(results));
  return file;
}

/** Writes results.json and report.html into `dir` (which exists); returns both paths. */
export function writeResultsAndReport(dir: string, results: RehearsalResults): readonly [string, string] {
  return [writeResults(dir, results), writeReportHtml(dir, results)];
}
