/**
 * One synth benchmark case, run in a child process by bench/run.ts so that its peak memory is its own.
 * `tsx bench/synth-case.ts empty` synthesizes an empty cdktf app (the baseline);
 * `tsx bench/synth-case.ts <shards>` synthesizes the prod stack with its target set to need that many shards (every
 * shard a queue, an inbound message flow and a Messenger deployment, over the real provider's bindings);
 * `tsx bench/synth-case.ts default` synthesizes the three committed environments' stacks, as `npm run synth` does;
 * `tsx bench/synth-case.ts groups-<shards>` synthesizes prod at that many shards split as `npm run synth` would (the
 * base stack and shard-group stacks of the default G, e.g. groups-1001: 120,000 sessions in 11 groups).
 * Prints one JSON line: {"case", "shards", "resources" (resources and data sources written), "ms", "maxRssMb"}.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { App, TerraformStack } from "cdktf";
import { listEnvironments, loadEnvironment } from "../config/environment";
import { planEnvironment } from "../config/plan";
import { newApp } from "../stacks/app";
import { addEnvironmentStacks } from "../stacks/environment-stacks";
import { GenesysEnvironmentStack } from "../stacks/genesys-environment-stack";

const which = process.argv[2] ?? "empty";
const outdir = mkdtempSync(join(tmpdir(), "bench-synth-"));
const start = performance.now();
let shards = 0;
const app = which === "empty" ? new App({ outdir }) : newApp(process.env, outdir);
if (which === "empty") {
  new TerraformStack(app, "empty");
} else if (which === "default") {
  for (const name of listEnvironments()) {
    const environment = loadEnvironment(name);
    const plan = planEnvironment(environment, name);
    shards += plan.shards;
    new GenesysEnvironmentStack(app, `gc-${name}`, { environment, plan });
  }
} else {
  const split = which.startsWith("groups-");
  const wanted = Number(split ? which.slice("groups-".length) : which);
  const prod = loadEnvironment("prod");
  // Sessions per shard stay at 150 × 0.8 = 120 and sessions bind: the target is set so the plan needs `wanted` shards.
  const base = Math.max(1, wanted - prod.capacity.spareShards);
  const environment = {
    ...prod,
    capacity: { ...prod.capacity, targetConcurrentSessions: base * 120, peakArrivalsPerMinute: base * 12 },
    agents: prod.agents && {
      ...prod.agents,
      count: Math.ceil((base * 120) / prod.agents.messageCapacity / 0.8),
    },
  };
  const plan = planEnvironment(environment, "bench");
  shards = plan.shards;
  if (split) addEnvironmentStacks(app, { environment, plan });
  else new GenesysEnvironmentStack(app, "gc-bench", { environment, plan });
}
app.synth();
const ms = performance.now() - start;
// Resources and data sources in what was written, counted from the synthesized JSON.
let resources = 0;
for (const stack of readdirSync(join(outdir, "stacks"))) {
  const json = JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
  for (const block of [json.resource ?? {}, json.data ?? {}]) {
    for (const ofType of Object.values(block)) resources += Object.keys(ofType as object).length;
  }
}
rmSync(outdir, { recursive: true, force: true });
const maxRssMb = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify({ case: which, shards, resources, ms, maxRssMb }));
