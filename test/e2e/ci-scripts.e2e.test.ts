/**
 * The workflows' scripts (scripts/ci/) against the emulator, through the real Terraform CLI and provider: a split
 * environment (G = 2, 4 shards: the base and 2 groups) planned stack by stack with plan-stack, one comment composed
 * for it, applied in order with apply-in-order (the base, then the groups side by side), re-planned with no change,
 * shrunk to 3 shards to hold the destroy gate, and destroyed. What the workflows keep is GitHub's glue: checkout,
 * the secrets and the comment API.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { EnvironmentWorkspace, environmentYaml, type EnvironmentYaml } from "./environment";
import { REPO_ROOT, TERRAFORM_RC, startEmulator, type E2eEmulator } from "./harness";

const STACKS = ["gc-ci", "gc-ci-shards-0", "gc-ci-shards-1"];

function withShards(shards: number): EnvironmentYaml {
  const env = environmentYaml("dev");
  env.capacity.targetConcurrentSessions = Math.max(1, shards - 1) * 120;
  env.capacity.peakArrivalsPerMinute = 60;
  env.capacity.shardsPerGroup = 2;
  env.agents.count = Math.max(env.agents.count, Math.ceil((shards * 120) / env.agents.messageCapacity));
  return env;
}

describe("the CI scripts (plan-stack, compose-comment, apply-in-order) against the emulator", () => {
  let emulator: E2eEmulator;
  let workspace: EnvironmentWorkspace;

  /** Runs `npx tsx scripts/ci/<script>.ts <args>` as the workflow does; answers its exit code and output. */
  function script(name: string, args: readonly string[]): Promise<{ code: number; output: string }> {
    return new Promise((done) => {
      const child = spawn(
        process.execPath,
        [
          join(REPO_ROOT, "node_modules", "tsx", "dist", "cli.mjs"),
          join(REPO_ROOT, "scripts", "ci", `${name}.ts`),
          ...args,
        ],
        {
          cwd: REPO_ROOT,
          env: {
            PATH: process.env.PATH ?? "",
            HOME: process.env.HOME ?? "",
            TF_CLI_CONFIG_FILE: TERRAFORM_RC,
            CHECKPOINT_DISABLE: "1",
            GENESYSCLOUD_ACCESS_TOKEN: emulator.token,
            GENESYSCLOUD_GATEWAY_HOST: "127.0.0.1",
            GENESYSCLOUD_GATEWAY_PORT: String(emulator.port),
            GENESYSCLOUD_GATEWAY_PROTOCOL: "http",
          },
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      let output = "";
      child.stdout.on("data", (d: Buffer) => (output += d.toString()));
      child.stderr.on("data", (d: Buffer) => (output += d.toString()));
      child.on("close", (code) => done({ code: code ?? 1, output }));
    });
  }
  const outdir = (): string => workspace.paths.outdir;
  const names = (): string[] =>
    emulator
      .objects("webDeployments")
      .map((d) => String(d.name))
      .sort();

  beforeAll(async () => {
    emulator = await startEmulator();
    emulator.seed({
      users: [{ name: "Ada Agent", email: "ada@dev.example.com" }],
      groups: [{ name: "Dev Messaging Agents", members: ["ada@dev.example.com"] }],
    });
    workspace = new EnvironmentWorkspace("ci", emulator);
    await workspace.synth(withShards(4));
  }, 120_000);

  afterAll(async () => {
    workspace?.cleanup();
    await emulator?.close();
  });

  it("lists the environment's stacks from the manifest, base first", async () => {
    const listed = await script("stacks", ["ci", "--outdir", outdir()]);
    expect(listed.output.trim().split("\n")).toEqual(STACKS);
  }, 60_000);

  it("plans the base, composes one comment, applies the base then the groups side by side", async () => {
    // Before a first deploy the base plans; the groups read its outputs, which exist only once it is applied.
    expect((await script("plan-stack", ["gc-ci", "--outdir", outdir()])).code).toBe(0);
    const applied = await script("apply-in-order", ["ci", "--outdir", outdir(), "--parallelism", "2"]);
    expect(applied.code).toBe(0);
    const order = applied.output
      .split("\n")
      .filter((line) => line.startsWith("apply-in-order: "))
      .map((line) => line.replace("apply-in-order: ", ""));
    expect(order[0]).toBe("gc-ci: applied");
    expect(order.slice(1).sort()).toEqual(["gc-ci-shards-0: applied", "gc-ci-shards-1: applied"]);
    expect(names()).toEqual([0, 1, 2, 3].map((i) => `Dev Messenger 00${i}`));

    for (const stack of STACKS)
      expect((await script("plan-stack", [stack, "--outdir", outdir()])).code).toBe(0);
    const comment = await script("compose-comment", ["ci", "--outdir", outdir()]);
    expect(comment.code).toBe(0);
    expect(comment.output.startsWith("<!-- plan:gc-ci -->\n")).toBe(true);
    for (const stack of STACKS)
      expect(comment.output).toContain(`| \`${stack}\` | :white_check_mark: no changes |`);
    expect(
      JSON.parse(readFileSync(join(outdir(), "stacks", "gc-ci-shards-1", "result.json"), "utf8")),
    ).toEqual({
      stack: "gc-ci-shards-1",
      outcome: "no-changes",
      code: 0,
      destructive: false,
    });
  }, 300_000);

  it("holds the destroy gate: a shrink that removes shard 003 applies nothing until allowed, then destroys", async () => {
    await workspace.synth(withShards(3));
    for (const stack of STACKS) await script("plan-stack", [stack, "--outdir", outdir()]);
    const comment = await script("compose-comment", ["ci", "--outdir", outdir()]);
    expect(comment.code).toBe(3);
    expect(comment.output).toContain(
      "| `gc-ci-shards-1` | :no_entry: changes, destroys or replaces live objects |",
    );
    const refused = await script("apply-in-order", ["ci", "--outdir", outdir()]);
    expect(refused.code).toBe(3);
    expect(names()).toHaveLength(4);
    const allowed = await script("apply-in-order", ["ci", "--outdir", outdir(), "--allow-destructive"]);
    expect(allowed.code).toBe(0);
    expect(names()).toEqual(["Dev Messenger 000", "Dev Messenger 001", "Dev Messenger 002"]);
    const destroyed = await script("apply-in-order", [
      "ci",
      "--outdir",
      outdir(),
      "--destroy",
      "--parallelism",
      "2",
    ]);
    expect(destroyed.code).toBe(0);
    expect(
      destroyed.output
        .split("\n")
        .filter((l) => l.startsWith("apply-in-order: "))
        .pop(),
    ).toBe("apply-in-order: gc-ci: destroyed");
    expect(names()).toEqual([]);
    expect(emulator.objects("queues")).toEqual([]);
  }, 300_000);
});
