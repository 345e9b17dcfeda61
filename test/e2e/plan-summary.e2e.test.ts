/**
 * The plan review on REAL plans: gc-dev synthesized by the app and deployed (3 shards, 000–002) with the real
 * Terraform CLI and genesyscloud 1.82.0 provider into the emulator, then planned five ways — no change, scale up,
 * scale down, a forced replacement, a utilization change — plus a Data Action timeout change. Each saved plan's
 * `terraform show -json` goes through `plan-summary` (cli/plan-summary.ts) and its review is checked here.
 *
 * The replacement is forced with `-replace=<address>`: no attribute of genesyscloud_webdeployments_deployment
 * (nor of the queue, flow or utilization) is ForceNew in provider 1.82.0, so renaming a shard's deployment is an
 * update in place; only a new construct id (a new address) or `-replace` destroys it.
 *
 * CAPTURE_PLANS=1 also writes each plan (`<name>.plan.json`, formatted with the project's Prettier settings, and
 * `<name>.plan.txt` from `terraform show -no-color`) to test/plan-review/fixtures/, so the unit tests run on real
 * plans offline. The workspace's temporary path becomes `<workspace>` and Terraform's timestamp is fixed; nothing
 * else is changed.
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { main } from "../../cli/plan-summary";
import { EnvironmentWorkspace, environmentYaml, type EnvironmentYaml } from "./environment";
import { REPO_ROOT, startEmulator, type E2eEmulator, type Terraform } from "./harness";

const AGENTS = "Dev Messaging Agents";
const FIXTURES = join(REPO_ROOT, "test", "plan-review", "fixtures");
const CAPTURE = process.env.CAPTURE_PLANS === "1";
const FIXED_TIMESTAMP = "2025-01-01T00:00:00Z";

/** What `plan-summary` answered for a plan. */
interface Summary {
  readonly code: number;
  readonly markdown: string;
  readonly text: string;
}

describe("plan-summary on real gc-dev plans (real provider, emulator)", () => {
  let emulator: E2eEmulator;
  let workspace: EnvironmentWorkspace;
  let tf: Terraform;

  /**
   * Synthesizes `env`, saves a plan (with `extraArgs`) and answers plan-summary's exit code and output in both
   * formats; writes the plan as a fixture when capturing.
   */
  async function summarize(name: string, env: EnvironmentYaml, extraArgs: string[] = []): Promise<Summary> {
    await workspace.synth(env);
    await tf.run(["plan", "-input=false", "-no-color", "-out=review.tfplan", ...extraArgs]);
    const clean = (s: string) => s.split(workspace.root).join("<workspace>");
    const json = JSON.parse(clean((await tf.run(["show", "-json", "review.tfplan"])).stdout));
    if ("timestamp" in json) json.timestamp = FIXED_TIMESTAMP;
    const text = clean((await tf.run(["show", "-no-color", "review.tfplan"])).stdout);
    const jsonFile = join(workspace.root, `${name}.plan.json`);
    const textFile = join(workspace.root, `${name}.plan.txt`);
    writeFileSync(jsonFile, JSON.stringify(json));
    writeFileSync(textFile, text);
    if (CAPTURE) {
      const fixture = join(FIXTURES, `${name}.plan.json`);
      writeFileSync(fixture, JSON.stringify(json));
      writeFileSync(join(FIXTURES, `${name}.plan.txt`), text);
      // Prettier's own CLI (its API needs ESM, which Jest's CommonJS run cannot load): `npm run lint` checks it.
      const prettier = spawnSync(join(REPO_ROOT, "node_modules", ".bin", "prettier"), ["--write", fixture]);
      expect(prettier.status).toBe(0);
    }
    const run = (...argv: string[]) => {
      let out = "";
      let err = "";
      const code = main([jsonFile, "--plan-text", textFile, ...argv], {
        stdout: { write: (s: string) => (out += s) },
        stderr: { write: (s: string) => (err += s) },
      });
      expect(err).toBe("");
      return { code, out };
    };
    const markdown = run("--stack", "gc-dev");
    const plain = run("--format", "text");
    expect(plain.code).toBe(markdown.code);
    return { code: markdown.code, markdown: markdown.out, text: plain.out };
  }

  function dev(edit: (env: EnvironmentYaml) => void = () => undefined): EnvironmentYaml {
    const env = environmentYaml("dev");
    edit(env);
    return env;
  }

  beforeAll(async () => {
    emulator = await startEmulator();
    emulator.seed({ groups: [{ name: AGENTS, members: [] }] });
    workspace = new EnvironmentWorkspace("dev", emulator);
    tf = await workspace.synth(dev());
    await tf.apply();
  });

  afterAll(async () => {
    workspace?.cleanup();
    await emulator?.close();
  });

  it("no change: exit 0, no warning", async () => {
    const { code, markdown } = await summarize("no-change", dev());
    expect(code).toBe(0);
    expect(markdown).toContain("**No changes (16 resources unchanged)**");
    expect(markdown).not.toMatch(/\[!(CAUTION|WARNING)\]/);
    expect(markdown).toContain("No changes. Your infrastructure matches the configuration.");
  });

  it("scale up: only creates, shards 003–004 added, exit 0", async () => {
    const { code, markdown, text } = await summarize(
      "scale-up",
      dev((env) => {
        env.capacity.targetConcurrentSessions = 400; // 4 base + 1 spare = 5 shards
        env.agents.count = 50;
      }),
    );
    expect(code).toBe(0);
    expect(text.split("\n").slice(0, 3)).toEqual([
      "Terraform plan for gc-dev: 6 to create, 0 to update, 0 to replace, 0 to delete (16 unchanged)",
      "  shards: 3 → 5",
      "  shards 003–004 added",
    ]);
    expect(markdown).not.toMatch(/\[!(CAUTION|WARNING)\]/);
    expect(markdown).toContain("≈ 34 API requests to apply");
  });

  it("scale down: deletes the highest shards, flagged, exit 3", async () => {
    const { code, markdown } = await summarize(
      "scale-down",
      dev((env) => {
        env.capacity.targetConcurrentSessions = 100; // 1 base, no spare: 1 shard
        env.capacity.spareShards = 0;
      }),
    );
    expect(code).toBe(3);
    expect(markdown).toContain("- Shards 001–002 removed\n");
    expect(markdown).toContain("> [!CAUTION]\n> **6 live objects would be destroyed or replaced.");
    for (const shard of ["001", "002"]) {
      for (const object of ["Messenger deployment", "inbound message flow", "queue"]) {
        expect(markdown).toContain(`> - shard ${shard} ${object} destroyed (removed from the stack): `);
      }
    }
    expect(markdown).not.toContain("shard 000");
  });

  it("replacing a shard's deployment (-replace): flagged as live, exit 3", async () => {
    const address = (await tf.stateList()).find((a) =>
      /^genesyscloud_webdeployments_deployment\.Channel_Shard001_/.test(a),
    );
    expect(address).toBeDefined();
    const { code, markdown } = await summarize("replace", dev(), [`-replace=${address}`]);
    expect(code).toBe(3);
    expect(markdown).toContain(
      `> - shard 001 Messenger deployment replaced (requested with -replace): every guest session on it is dropped;`,
    );
    expect(markdown).toContain(`\`${address}\``);
    expect(markdown).toContain("will be replaced, as requested"); // the terraform show text, folded
  });

  it("a utilization change: flagged as org-wide, exit 0", async () => {
    const { code, markdown } = await summarize(
      "utilization",
      dev((env) => {
        env.agents.messageCapacity = 12;
      }),
    );
    expect(code).toBe(0);
    expect(markdown).toContain(
      "> [!WARNING]\n> **Org-wide change**\n>\n> - agent utilization (org-wide) changes in place: message.maximum_capacity: 10 → 12.",
    );
  });

  it("a Data Action timeout change: old → new", async () => {
    const { code, markdown } = await summarize(
      "data-action-timeout",
      dev((env) => {
        env.dataActions[0].timeoutSeconds = 10;
      }),
    );
    expect(code).toBe(0);
    expect(markdown).toContain("- `Dev CustomerLookup`: 5 s → 10 s");
  });
});
