/** `plan-summary` (cli/plan-summary.ts): the contract and each exit code, on the real plan fixtures. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EXIT_BAD_INPUT, EXIT_NEEDS_ALLOW, EXIT_OK } from "../../cli/plan-summary";
import { FIXTURES, planFile, planTextFile, runPlanSummary } from "./fixtures";

const run = runPlanSummary;

let scratch: string;
beforeAll(() => (scratch = mkdtempSync(join(tmpdir(), "plan-summary-"))));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function scratchFile(name: string, content: string): string {
  const file = join(scratch, name);
  writeFileSync(file, content);
  return file;
}

describe("plan-summary: a reviewable plan (exit 0)", () => {
  it("prints the markdown review of a scale-up, shards added as a range", () => {
    const { code, stdout, stderr } = run(planFile("scale-up"));
    expect([code, stderr]).toEqual([EXIT_OK, ""]);
    expect(stdout).toContain("### Terraform plan for `gc-dev`\n");
    expect(stdout).toContain("**6 to create, 0 to update, 0 to replace, 0 to delete (16 unchanged)**");
    expect(stdout).toContain("- Shards: 3 → 5\n- Shards 003–004 added\n");
    expect(stdout).not.toContain("[!CAUTION]");
    expect(stdout).toContain("**API cost:** ≈ 34 API requests to apply (+ 32 to plan)");
    expect(stdout).toMatch(/<details><summary>Full plan<\/summary>\n\n```text\n# genesyscloud_/);
  });

  it("prints text with --format text, and the --stack name", () => {
    const { code, stdout } = run(planFile("utilization"), "--format", "text", "--stack", "gc-test");
    expect(code).toBe(EXIT_OK);
    expect(stdout.split("\n")[0]).toBe(
      "Terraform plan for gc-test: 0 to create, 1 to update, 0 to replace, 0 to delete (15 unchanged)",
    );
    expect(stdout).toContain(
      "ORG-WIDE:\n  - agent utilization (org-wide) changes in place: message.maximum_capacity: 10 → 12.",
    );
    expect(stdout).toContain("--- full plan ---\n# genesyscloud_routing_utilization.Utilization_");
  });

  it("folds the given terraform show text as the full plan", () => {
    const { stdout } = run(planFile("utilization"), "--plan-text", planTextFile("utilization"));
    expect(stdout).toContain("~ maximum_capacity          = 10 -> 12");
    expect(stdout).toContain("Plan: 0 to add, 1 to change, 0 to destroy.\n```\n\n</details>\n");
  });

  it("exits 0 on a destructive plan with --allow-destructive, still warning", () => {
    const { code, stdout } = run(planFile("scale-down"), "--allow-destructive");
    expect(code).toBe(EXIT_OK);
    expect(stdout).toContain(
      "> [!WARNING]\n> **6 live objects would be destroyed or replaced. Allowed explicitly",
    );
  });

  it("exits 0 on no change", () => {
    const { code, stdout } = run(planFile("no-change"), "--plan-text", planTextFile("no-change"));
    expect(code).toBe(EXIT_OK);
    expect(stdout).toContain("**No changes (16 resources unchanged)**");
    expect(stdout).toContain("```text\nNo changes. Your infrastructure matches the configuration.");
  });
});

describe("plan-summary: destroys or replaces a live object (exit 3)", () => {
  it("exits 3 on a scale down and lists every object of the removed shards", () => {
    const { code, stdout, stderr } = run(planFile("scale-down"));
    expect([code, stderr]).toEqual([EXIT_NEEDS_ALLOW, ""]);
    expect(code).toBe(3);
    expect(stdout).toContain("- Shards 001–002 removed\n");
    expect(stdout).toContain(
      "> [!CAUTION]\n> **6 live objects would be destroyed or replaced. Applying needs an explicit allow: the `allow-destructive` label on the pull request (`--allow-destructive`).**",
    );
    expect(stdout.match(/^> - shard 00[12] /gm)).toHaveLength(6);
  });

  it("exits 3 on a replaced shard deployment", () => {
    const { code, stdout } = run(planFile("replace"), "--format", "text");
    expect(code).toBe(EXIT_NEEDS_ALLOW);
    expect(stdout).toContain("BLOCKED: 1 live object would be destroyed or replaced.");
    expect(stdout).toContain(
      "  - shard 001 Messenger deployment replaced (requested with -replace): every guest session on it is dropped;",
    );
  });
});

describe("plan-summary: bad input (exit 2, one line)", () => {
  it.each([
    [[], "plan-summary: missing required argument 'plan.json'"],
    [
      [join(FIXTURES, "missing.json")],
      `plan-summary: cannot read ${join(FIXTURES, "missing.json")}: no such file`,
    ],
    [[FIXTURES], `plan-summary: ${FIXTURES}: a folder without any <stack>/plan.json`],
    [
      ["PLAN", "--format", "html"],
      "plan-summary: option '--format <format>' argument 'html' is invalid. Allowed choices are markdown, text.",
    ],
    [["PLAN", "--stack", " "], "plan-summary: --stack must name a stack, got an empty string"],
    [
      ["PLAN", "--plan-text", "/nonexistent/plan.txt"],
      "plan-summary: cannot read /nonexistent/plan.txt: no such file",
    ],
    [["PLAN", "--bogus"], "plan-summary: unknown option '--bogus'"],
  ])("fails when the arguments are %j", (argv, message) => {
    const args = argv.map((a) => (a === "PLAN" ? planFile("no-change") : a));
    const { code, stdout, stderr } = run(...args);
    expect([code, stdout, stderr]).toEqual([EXIT_BAD_INPUT, "", `${message}\n`]);
  });

  it.each([
    [
      "not JSON",
      "{ nope",
      /^plan-summary: \S+ is not JSON \(.*\); expected the output of `terraform show -json <saved plan>`\n$/,
    ],
    ["a state", '{"format_version":"1.0","values":{"root_module":{}}}', /is a state, not a plan;/],
    ["an array", "[]", /is not a JSON object;/],
    ["another JSON", '{"hello":1}', /is not a Terraform plan;/],
    [
      "a plan with a malformed change",
      '{"format_version":"1.2","resource_changes":[{"address":"a.b","mode":"managed","type":"a","name":"b","change":{}}]}',
      /is not a Terraform plan: resource_changes\.0\.change\.actions: /,
    ],
    ["an errored plan", '{"format_version":"1.2","planned_values":{},"errored":true}', /is an errored plan/],
  ])("fails when the file is %s", (_, content, message) => {
    const { code, stdout, stderr } = run(scratchFile("input.json", content));
    expect([code, stdout]).toEqual([EXIT_BAD_INPUT, ""]);
    expect(stderr).toMatch(message);
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
  });
});
