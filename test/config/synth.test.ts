/**
 * Synth (main.ts) as a program, for what config/ decides: infeasible plans stop it, an explicit
 * `capacity.acceptInfeasible` lets it go on and is announced, and the environments folder must exist and hold
 * environment files; a gateway host is announced per stack and refused for remote state unless confirmed. Each of
 * those cases starts `tsx main.ts` in its own process; the Data Action timeout cases call config/'s
 * `planEnvironmentsForSynth`, what main.ts runs first, in this one.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { scratchDir } from "../scratch";
import { ENVIRONMENTS_DIR } from "../../config/environment";
import { planEnvironmentsForSynth } from "../../config/plan";

const ROOT = resolve(__dirname, "..", "..");

/** Runs synth on the files in `dir` with `variables`; gateway settings exported in the shell running Jest are blanked. */
function synth(dir: string, variables: Record<string, string> = {}) {
  const outdir = join(scratchDir("synth-"), "out");
  const run = spawnSync(
    process.execPath,
    [join(ROOT, "node_modules/tsx/dist/cli.mjs"), join(ROOT, "main.ts")],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        GENESYSCLOUD_GATEWAY_HOST: "",
        GENESYS_ALLOW_GATEWAY_ON_REMOTE_BACKEND: "",
        GENESYS_DEBUG: "",
        CDKTF_OUTDIR: outdir,
        ...variables,
        GENESYS_ENVIRONMENTS_DIR: dir,
      },
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

describe("synth and a Data Action's timeoutSeconds (the environment schema; README: 1-60 s)", () => {
  /** What synth reports (config/, in this process) for prod.yaml with its first Data Action's timeout set. */
  function withTimeout(seconds: string) {
    const dir = prodFolder((text) => text.replace("timeoutSeconds: 3\n", `timeoutSeconds: ${seconds}\n`));
    return { file: join(dir, "prod.yaml"), ...planEnvironmentsForSynth({ GENESYS_ENVIRONMENTS_DIR: dir }) };
  }

  it.each(["1", "60"])("accepts %s s, an end of the range", (seconds) => {
    const { problems, environments } = withTimeout(seconds);
    expect(problems).toEqual([]);
    expect(environments[0].environment.dataActions[0].timeoutSeconds).toBe(Number(seconds));
  });

  it.each(["0", "61", "2.5"])("fails when it is %s: one line naming the file and the field", (seconds) => {
    const { problems, file } = withTimeout(seconds);
    expect(problems).toEqual([
      `${file}: dataActions[0].timeoutSeconds must be an integer from 1 to 60, got ${seconds} (Execution ` +
        "timeout, 1-60 s: keep it short and give the flow a failure path)",
    ]);
  });
});

describe("main.ts: synth with GENESYSCLOUD_GATEWAY_HOST set", () => {
  const EMULATOR = {
    GENESYSCLOUD_GATEWAY_HOST: "127.0.0.1",
    GENESYSCLOUD_GATEWAY_PORT: "8089",
    GENESYSCLOUD_GATEWAY_PROTOCOL: "http",
  };
  const pointed = (stack: string) =>
    `${stack}: GENESYSCLOUD_GATEWAY_HOST is set: the provider will send every API call to http://127.0.0.1:8089, ` +
    "not to Genesys Cloud";

  /** dev (local state), prod (S3) and test with its state moved to HCP Terraform. */
  function threeBackends(): string {
    const dir = scratchDir("envs-");
    for (const name of ["dev", "prod"]) {
      writeFileSync(join(dir, `${name}.yaml`), readFileSync(join(ENVIRONMENTS_DIR, `${name}.yaml`), "utf8"));
    }
    const test = readFileSync(join(ENVIRONMENTS_DIR, "test.yaml"), "utf8").replace(
      /^backend:\n(?: {2}.*\n)+/m,
      "backend:\n  type: cloud\n  organization: acme\n  workspace: genesys-test\n",
    );
    expect(test).toContain("type: cloud");
    writeFileSync(join(dir, "test.yaml"), test);
    return dir;
  }

  /** The provider blocks of a synthesized stack. */
  const providerOf = (outdir: string, stack: string) =>
    JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8")).provider.genesyscloud;

  it("fails for each stack with state in S3 or HCP Terraform: one line naming it and the variable, nothing written", () => {
    const run = synth(threeBackends(), EMULATOR);
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split("\n")).toEqual([
      pointed("gc-dev"),
      expect.stringMatching(
        /^gc-prod: GENESYSCLOUD_GATEWAY_HOST is set, but gc-prod keeps its state in S3: .*; unset GENESYSCLOUD_GATEWAY_HOST, or confirm with GENESYS_ALLOW_GATEWAY_ON_REMOTE_BACKEND=gc-prod$/,
      ),
      expect.stringMatching(
        /^gc-test: GENESYSCLOUD_GATEWAY_HOST is set, but gc-test keeps its state in HCP Terraform: .*GENESYS_ALLOW_GATEWAY_ON_REMOTE_BACKEND=gc-test$/,
      ),
    ]);
    expect(existsSync(run.outdir)).toBe(false);
  }, 60_000);

  it("points the stacks GENESYS_ALLOW_GATEWAY_ON_REMOTE_BACKEND names at the gateway, one line per stack", () => {
    const run = synth(threeBackends(), {
      ...EMULATOR,
      GENESYS_ALLOW_GATEWAY_ON_REMOTE_BACKEND: "gc-prod,gc-test",
    });
    expect(run.status).toBe(0);
    expect(run.stderr.trim().split("\n")).toEqual([
      pointed("gc-dev"),
      `${pointed("gc-prod")}; its state is in S3, allowed by GENESYS_ALLOW_GATEWAY_ON_REMOTE_BACKEND`,
      `${pointed("gc-test")}; its state is in HCP Terraform, allowed by GENESYS_ALLOW_GATEWAY_ON_REMOTE_BACKEND`,
    ]);
    for (const stack of ["gc-dev", "gc-prod", "gc-test"]) {
      expect([stack, providerOf(run.outdir, stack)[0].gateway]).toEqual([stack, [{}]]);
    }
  }, 60_000);

  it("points a stack with local state at the gateway and says so, as the demo and the e2e suites synthesize", () => {
    const dir = scratchDir("envs-");
    writeFileSync(join(dir, "dev.yaml"), readFileSync(join(ENVIRONMENTS_DIR, "dev.yaml"), "utf8"));
    const run = synth(dir, EMULATOR);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe(`${pointed("gc-dev")}\n`);
    expect(providerOf(run.outdir, "gc-dev")[0].gateway).toEqual([{}]);
  }, 30_000);
});

describe("main.ts: shard groups past one stack", () => {
  it.each([
    [120_000, 1001, 11],
    [150_000, 1251, 13],
  ])(
    "synthesizes %d sessions (%d shards) with every object, as a base stack and %d shard groups of 100",
    (target, shards, groups) => {
      const dir = prodFolder(
        (text) =>
          text
            .replace("targetConcurrentSessions: 10000", `targetConcurrentSessions: ${target}`)
            .replace(/^ {2}count: \d+$/m, "  count: 9500") +
          "limits:\n  oauthClientRequestsPerMinute: 2000\n",
      );
      const run = synth(dir);
      expect(run.stderr).not.toContain("Infeasible");
      expect(run.status).toBe(0);
      const manifest = JSON.parse(readFileSync(join(run.outdir, "manifest.json"), "utf8"));
      const names = Array.from({ length: groups }, (_, k) => `gc-prod-shards-${k}`);
      expect(Object.keys(manifest.stacks).sort()).toEqual(["gc-prod", ...names].sort());
      let deployments = 0;
      for (const [k, name] of names.entries()) {
        expect(manifest.stacks[name].dependencies).toEqual(["gc-prod"]);
        const json = JSON.parse(readFileSync(join(run.outdir, "stacks", name, "cdk.tf.json"), "utf8"));
        const ids = Object.keys(json.resource.genesyscloud_webdeployments_deployment);
        const first = k * 100;
        expect(ids).toHaveLength(Math.min(100, shards - first));
        expect(ids[0]).toMatch(new RegExp(`^Channel_Shard${String(first).padStart(3, "0")}_Deployment_`));
        deployments += ids.length;
      }
      expect(deployments).toBe(shards);
      const base = JSON.parse(readFileSync(join(run.outdir, "stacks", "gc-prod", "cdk.tf.json"), "utf8"));
      expect(base.resource.genesyscloud_webdeployments_deployment).toBeUndefined();
      expect(Object.keys(base.resource.genesyscloud_webdeployments_configuration)).toEqual([
        expect.stringMatching(/^Channel_Messenger_/),
      ]);
    },
    120_000,
  );
});

describe("main.ts: no stack trace for a user's mistake", () => {
  it("fails in one line per problem a construct refuses, naming the file, the field and the construct", () => {
    const dir = prodFolder((text) => text.replace("namePrefix: Prod", 'namePrefix: Pro"d'));
    const run = synth(dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      `${join(dir, "prod.yaml")}: namePrefix: name must be text without ", \\, line breaks, {{ or }}, got ` +
        '"Pro\\"d Messaging Inbound 000" (it is inserted unescaped into a quoted string of ' +
        "flows/inbound-message.yaml) (gc-prod/Channel/Shard000/Flow)\n",
    );
    expect(existsSync(join(run.outdir, "manifest.json"))).toBe(false); // the app made its folder, wrote nothing
  }, 30_000);

  it("prints one line for an unexpected error, and its stack trace with GENESYS_DEBUG=1", () => {
    const dir = prodFolder((text) => text);
    const run = synth(dir, { CDKTF_OUTDIR: "/dev/null/out" });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      "synth: unexpected error: ENOTDIR: not a directory, mkdir '/dev/null/out' (run with GENESYS_DEBUG=1 for " +
        "the stack trace)\n",
    );
    const debug = synth(dir, { CDKTF_OUTDIR: "/dev/null/out", GENESYS_DEBUG: "1" });
    expect(debug.status).not.toBe(0);
    expect(debug.stderr).toMatch(/ENOTDIR[\s\S]*\n\s+at /);
  }, 30_000);
});
