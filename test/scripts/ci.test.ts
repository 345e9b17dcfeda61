/** The CI scripts' pure parts (scripts/ci/); test/e2e/ci-scripts.e2e.test.ts runs them against the emulator. */
import { boundedUntilFailure } from "../../scripts/ci/apply-in-order";
import {
  commentCode,
  composeComment,
  COMMENT_LIMIT,
  type StackReview,
} from "../../scripts/ci/compose-comment";
import { outcomeOf } from "../../scripts/ci/plan-stack";
import { environmentStacks, environmentsOf, stackEnv, type ManifestStack } from "../../scripts/ci/stacks";

const stack = (name: string, dependencies: string[] = []): ManifestStack => ({
  name,
  workingDirectory: `stacks/${name}`,
  dependencies,
});
const manifest = Object.fromEntries(
  [
    stack("gc-dev"),
    stack("gc-big"),
    ...[10, 2, 0, 1].map((k) => stack(`gc-big-shards-${k}`, ["gc-big"])),
  ].map((s) => [s.name, s]),
);

describe("stacks", () => {
  it("orders an environment's groups by k, after the base", () => {
    expect(environmentStacks(manifest, "big").groups).toEqual([0, 1, 2, 10].map((k) => `gc-big-shards-${k}`));
    expect(environmentStacks(manifest, "dev")).toEqual({ environment: "dev", base: "gc-dev", groups: [] });
    expect(environmentsOf(manifest)).toEqual(["big", "dev"]);
    expect(() => environmentStacks(manifest, "prod")).toThrow("no stack gc-prod in the manifest");
  });

  it("gives group k its own client only when both variables are set", () => {
    const env = { GENESYSCLOUD_OAUTHCLIENT_ID_SHARDS_1: "id", GENESYSCLOUD_OAUTHCLIENT_SECRET_SHARDS_1: "s" };
    expect(stackEnv("gc-big-shards-1", env).TF_VAR_oauthclient_id).toBe("id");
    expect(stackEnv("gc-big-shards-0", env).TF_VAR_oauthclient_id).toBeUndefined();
    expect(stackEnv("gc-big", env).TF_VAR_oauthclient_id).toBeUndefined();
  });

  it("takes the groups' clients out of the workflow's toJSON(secrets), and passes nothing else of it on", () => {
    const secrets = {
      GENESYSCLOUD_OAUTHCLIENT_ID_SHARDS_2: "id-2",
      GENESYSCLOUD_OAUTHCLIENT_SECRET_SHARDS_2: "s-2",
      GENESYSCLOUD_OAUTHCLIENT_ID_SHARDS_3: "id-3",
      UNRELATED_SECRET: "x",
    };
    const env = {
      GENESYSCLOUD_GROUP_SECRETS: JSON.stringify(secrets),
      GENESYSCLOUD_OAUTHCLIENT_ID_SHARDS_3: "direct",
    };
    const group2 = stackEnv("gc-big-shards-2", env);
    expect(group2).toMatchObject({ TF_VAR_oauthclient_id: "id-2", TF_VAR_oauthclient_secret: "s-2" });
    expect(group2.GENESYSCLOUD_GROUP_SECRETS).toBeUndefined();
    expect(JSON.stringify(group2)).not.toContain("UNRELATED_SECRET");
    // Group 3 has an id but no secret: it keeps the environment's client.
    expect(stackEnv("gc-big-shards-3", env).TF_VAR_oauthclient_id).toBeUndefined();
  });

  it("fails when the secrets' variable is not JSON", () => {
    expect(() => stackEnv("gc-big-shards-1", { GENESYSCLOUD_GROUP_SECRETS: "{" })).toThrow(
      "GENESYSCLOUD_GROUP_SECRETS must be a JSON object (toJSON(secrets)), and is not JSON",
    );
  });
});

describe("plan-stack's exit codes", () => {
  it.each([
    [1, undefined, "failed", 1],
    [0, 0, "no-changes", 0],
    [2, 0, "changes", 0],
    [2, 3, "changes", 3],
    [2, 2, "unreadable", 2],
  ])("plan %s, review %s: %s, exit %s", (plan, review, outcome, code) => {
    expect(outcomeOf(plan, review)).toEqual({ outcome, code });
  });
});

describe("compose-comment", () => {
  const review = (name: string, code: number, extra = ""): StackReview => ({
    stack: name,
    result: { stack: name, outcome: "changes", code, destructive: code === 3 },
    review: `### Terraform plan for \`${name}\`\n\n**1 to create, 0 to update, 0 to replace, 0 to delete**\n${extra}`,
  });

  it("is the review alone for one stack, a table then the reviews for several", () => {
    expect(composeComment("dev", [review("gc-dev", 0)])).toMatch(/^<!-- plan:gc-dev -->\n### Terraform plan/);
    const comment = composeComment("big", [review("gc-big", 0), review("gc-big-shards-0", 3)]);
    expect(comment).toContain(
      "| `gc-big-shards-0` | :no_entry: changes, destroys or replaces live objects | 1 to create",
    );
  });

  it("exits with the worst stack's code; a stack not planned counts as failed", () => {
    expect(commentCode([review("a", 0), review("b", 3)])).toBe(3);
    expect(commentCode([review("a", 3), { stack: "b", result: undefined, review: "" }])).toBe(1);
  });

  it("drops the full plans past GitHub's limit", () => {
    const big = `<details><summary>Full plan</summary>\n\n${"x".repeat(COMMENT_LIMIT)}\n</details>\n`;
    const comment = composeComment("big", [review("gc-big", 0, big), review("gc-big-shards-0", 0, big)]);
    expect(comment.length).toBeLessThan(COMMENT_LIMIT);
    expect(comment).toContain("Full plan left out");
  });
});

describe("apply-in-order's bounded groups", () => {
  it("runs at most `limit` at once and starts none after a failure", async () => {
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const code = await boundedUntilFailure([0, 1, 2, 3, 4, 5], 2, async (i) => {
      started.push(i);
      peak = Math.max(peak, ++running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      return i === 1 ? 1 : 0;
    });
    expect(code).toBe(1);
    expect(peak).toBe(2);
    expect(started.length).toBeLessThan(6);
  });
});
