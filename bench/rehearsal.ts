/**
 * `npm run bench:rehearsal`: concurrent guest sessions through the emulator on this machine, at 10,000
 * sessions (the prod environment's target) against baselines of 100 and 1,000 in the same run.
 *
 * Each case starts its own emulator and its own driver, each in its own process (over loopback every session
 * costs a file descriptor on both sides, and `ulimit -n` is 20,000 here), on the prod plan's 85 deployments
 * under the catalog's default ceilings (150 concurrent and 1,000 new per deployment per minute). The driver
 * opens sessions as fast as it can (at most 256 handshakes in flight), each configures, sends one message and
 * waits for its echo; all are held together for 5 s, then closed. Figures:
 * - wall s: the driver's whole rehearsal (ramp, hold, close), without process start-up;
 * - connect s and sessions/s: from the first connect to the last SessionResponse;
 * - peak RSS of the driver (its own max RSS) and of the emulator (VmHWM from /proc), in MB.
 *
 * `tsx bench/rehearsal.ts --driver <url> <shard-map.json> <sessions>` is the driver child (internal).
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadEnvironment } from "../config/environment";
import { planEnvironment } from "../config/plan";
import { runRehearsal, type RehearsalResult } from "../rehearsal/run";
import { deployedShards, loadShardMapFile } from "../shard-map";

const ROOT = join(__dirname, "..");
const CASES = [100, 1000, 10_000];
const HOLD_SECONDS = 5;
/** Arrivals as fast as the driver can open them: the pending-handshake bound paces the ramp. */
const RAMP_PER_MINUTE = 6_000_000;

interface DriverReport {
  readonly result: Pick<RehearsalResult, "totals" | "connectPhaseMs" | "elapsedMs" | "refusals" | "failures">;
  readonly maxRssMb: number;
}

interface CaseRow extends DriverReport {
  readonly sessions: number;
  readonly shards: number;
  readonly emulatorPeakMb: number;
}

/** The driver child: one rehearsal, then one JSON line with its result and the process's max RSS. */
async function driver(url: string, shardMapFile: string, sessions: number): Promise<void> {
  const shards = deployedShards(loadShardMapFile(shardMapFile), shardMapFile);
  const result = await runRehearsal({
    url,
    shards: shards.map((shard) => ({
      index: shard.index,
      deploymentId: shard.deploymentId,
      plannedSessions: shard.sessions,
    })),
    sessions,
    rampPerMinute: RAMP_PER_MINUTE,
    holdSeconds: HOLD_SECONDS,
  });
  const { totals, connectPhaseMs, elapsedMs, refusals, failures } = result;
  const report: DriverReport = {
    result: { totals, connectPhaseMs, elapsedMs, refusals, failures },
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
  console.log(JSON.stringify(report));
}

/** Starts an emulator process; resolves with its URL, pid and a stop function. */
async function startEmulator(credentials: { id: string; secret: string }) {
  const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "emulator/main.ts"), "--port", "0"], {
    cwd: ROOT,
    env: {
      ...process.env,
      GENESYSCLOUD_OAUTHCLIENT_ID: credentials.id,
      GENESYSCLOUD_OAUTHCLIENT_SECRET: credentials.secret,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`the emulator exited with ${code}`)));
  });
  const peakMb = () => {
    const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
    return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
  };
  const stop = () =>
    new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  return { url, peakMb, stop };
}

/** Creates the prod plan's web deployments in the emulator and writes their shard map; returns its path. */
async function deployProd(url: string, credentials: { id: string; secret: string }, dir: string) {
  const login = await fetch(`${url}/oauth/token`, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${credentials.id}:${credentials.secret}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: "grant_type=client_credentials",
  });
  const token = ((await login.json()) as { access_token: string }).access_token;
  const call = async (path: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as { id: string; version: string };
  };
  const environment = loadEnvironment("prod");
  const plan = planEnvironment(environment, "environments/prod.yaml");
  const configuration = await call("/api/v2/webdeployments/configurations", {
    name: "Bench messenger",
    languages: ["en-us"],
    defaultLanguage: "en-us",
  });
  const version = await call(
    `/api/v2/webdeployments/configurations/${configuration.id}/versions/draft/publish`,
  );
  const shards = [];
  for (const share of plan.perShard) {
    const deployment = await call("/api/v2/webdeployments/deployments", {
      name: `Bench shard ${String(share.index).padStart(3, "0")}`,
      allowAllDomains: true,
      configuration: { id: configuration.id, version: version.version },
    });
    shards.push({ index: share.index, deploymentId: deployment.id, sessions: share.sessions });
  }
  const file = join(dir, "prod.shard-map.json");
  writeFileSync(file, JSON.stringify({ environment: "prod", source: "state", shards }));
  return { file, shards: shards.length };
}

async function runCase(sessions: number, dir: string): Promise<CaseRow> {
  const credentials = { id: "bench", secret: randomBytes(18).toString("base64url") };
  const emulator = await startEmulator(credentials);
  try {
    const { file, shards } = await deployProd(emulator.url, credentials, dir);
    const guest = `${emulator.url.replace(/^http/, "ws")}/v1`;
    const child = spawnSync(
      process.execPath,
      ["--import", "tsx", __filename, "--driver", guest, file, String(sessions)],
      { cwd: ROOT, encoding: "utf8", maxBuffer: 16 * 1024 * 1024 },
    );
    if (child.status !== 0) throw new Error(`the driver failed (${child.status}): ${child.stderr}`);
    const report = JSON.parse(child.stdout.trim().split("\n").pop() ?? "{}") as DriverReport;
    return { ...report, sessions, shards, emulatorPeakMb: emulator.peakMb() };
  } finally {
    await emulator.stop();
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "bench-rehearsal-"));
  const rows: CaseRow[] = [];
  try {
    for (const sessions of CASES) rows.push(await runCase(sessions, dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const [baseline] = rows;
  console.log(
    `Guest sessions through the emulator: prod plan, ${baseline.shards} deployments, hold ${HOLD_SECONDS} s, ` +
      `driver and emulator in separate processes\n`,
  );
  console.log(
    "| sessions | wall s | × base | connect s | sessions/s | connect p50 / p99 ms | driver peak RSS MB | × base | emulator peak RSS MB | × base | refused | failed |",
  );
  console.log("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const row of rows) {
    const { totals, elapsedMs, connectPhaseMs } = row.result;
    const cells = [
      row.sessions.toLocaleString("en-US"),
      (elapsedMs / 1000).toFixed(2),
      (elapsedMs / baseline.result.elapsedMs).toFixed(2),
      (connectPhaseMs / 1000).toFixed(2),
      Math.round(row.sessions / (connectPhaseMs / 1000)).toLocaleString("en-US"),
      `${totals.connectP50Ms ?? "-"} / ${totals.connectP99Ms ?? "-"}`,
      row.maxRssMb.toFixed(0),
      (row.maxRssMb / baseline.maxRssMb).toFixed(2),
      row.emulatorPeakMb.toFixed(0),
      (row.emulatorPeakMb / baseline.emulatorPeakMb).toFixed(2),
      String(totals.refused),
      String(totals.failed),
    ];
    console.log(`| ${cells.join(" | ")} |`);
  }
  const bad = rows.filter((row) => row.result.totals.refused + row.result.totals.failed > 0);
  for (const row of bad) {
    console.log(
      `\n${row.sessions} sessions: refused ${JSON.stringify(row.result.refusals)}, failed ${JSON.stringify(row.result.failures)}`,
    );
  }
  process.exitCode = bad.length > 0 ? 1 : 0;
}

if (process.argv[2] === "--driver") {
  void driver(process.argv[3], process.argv[4], Number(process.argv[5]));
} else {
  void main();
}
