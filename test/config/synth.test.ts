/**
 * Synth (main.ts) as a program, for what config/ decides: infeasible plans stop it, an explicit
 * `capacity.acceptInfeasible` lets it go on and is announced, and the environments folder must exist and hold
 * environment files. Each case starts `tsx main.ts` in its own process.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { scratchDir } from "../scratch";
import { ENVIRONMENTS_DIR } from "../../config/environment";

const ROOT = resolve(__dirname, "..", "..");

function synth(dir: string) {
  const outdir = join(scratchDir("synth-"), "out");
  const run = spawnSync(
    process.execPath,
    [join(ROOT, "node_modules/tsx/dist/cli.mjs"), join(ROOT, "main.ts")],
    {
      cwd: ROOT,
      env: { ...process.env, GENESYS_ENVIRONMENTS_DIR: dir, CDKTF_OUTDIR: outdir },
      encoding: "utf8",
    },
  );
  return { ...run, outdir };
}

/** A folder with prod.yaml, its text changed by `edit`. */
function prodFolder(edit: (text: string) => string): string {
  const dir = scratchDir("envs-");
  writeFileSync(join(dir, "prod.yaml"), edit(readFileSync(join(ENVIRONMENTS_DIR, "prod.yaml"), "utf8")));
  return dir;
}

describe("main.ts: synth and the capacity plan", () => {
  it("fails when the plan is infeasible: one line per reason naming file and field, nothing written", () => {
    const dir = prodFolder(
      (text) => `${text.replace(/^ {2}count: \d+$/m, "  count: 10")}limits:\n  webDeploymentsPerOrg: 10\n`,
    );
    const run = synth(dir);
    const file = join(dir, "prod.yaml");
    expect(run.status).toBe(1);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(
        new RegExp(`^${file}: limits\\.webDeploymentsPerOrg: Infeasible: the plan needs 85 shards`),
      ),
      expect.stringMatching(
        new RegExp(`^${file}: agents\\.count, agents\\.messageCapacity: 10 agents × 20 `),
      ),
      `${file}: the capacity plan is infeasible, so synth writes nothing; fix the fields above, or deploy it ` +
        'anyway with capacity.acceptInfeasible: { reason: "<why>", codes: [shards-exceed-max, agent-capacity-short] }',
    ]);
    expect(existsSync(run.outdir)).toBe(false);
  }, 30_000);

  it("fails when the target exceeds a tenant-wide ceiling recorded in the file", () => {
    const run = synth(prodFolder((text) => `${text}limits:\n  webMessagingSessionsPerOrg: 5000\n`));
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      "limits.webMessagingSessionsPerOrg: Infeasible whatever the shard count: 10000 target sessions exceed the " +
        "org-wide ceiling of 5000 concurrent sessions",
    );
    expect(run.stderr).toContain("Sharding cannot lift it");
  }, 30_000);

  it("synthesizes an infeasible plan that capacity.acceptInfeasible accepts, and says so", () => {
    const dir = prodFolder((text) =>
      text
        .replace(
          "  spareShards: 1\n",
          '  spareShards: 1\n  acceptInfeasible:\n    reason: "load test of the deployment ceiling"\n' +
            "    codes: [shards-exceed-max]\n",
        )
        .concat("limits:\n  webDeploymentsPerOrg: 10\n"),
    );
    const run = synth(dir);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain(
      `${join(dir, "prod.yaml")}: limits.webDeploymentsPerOrg: accepted by capacity.acceptInfeasible ("load ` +
        'test of the deployment ceiling"), synthesized anyway: Infeasible: the plan needs 85 shards',
    );
    const manifest = JSON.parse(readFileSync(join(run.outdir, "manifest.json"), "utf8"));
    expect(Object.keys(manifest.stacks)).toEqual(["gc-prod"]);
  }, 30_000);

  it("fails when GENESYS_ENVIRONMENTS_DIR does not exist: one line, no stack trace", () => {
    const run = synth("/nonexistent/environments");
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      "GENESYS_ENVIRONMENTS_DIR=/nonexistent/environments: no such folder (/nonexistent/environments); it must " +
        "hold the environment files <name>.yaml\n",
    );
  }, 30_000);

  it("fails when GENESYS_ENVIRONMENTS_DIR holds no environment file, instead of writing zero stacks", () => {
    const dir = scratchDir("envs-");
    const run = synth(dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      `GENESYS_ENVIRONMENTS_DIR=${dir}: no environment files in ${dir} (expected <name>.yaml, e.g. prod.yaml; ` +
        "files starting with _ are skipped)\n",
    );
    expect(existsSync(run.outdir)).toBe(false);
  }, 30_000);
});
