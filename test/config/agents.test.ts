import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { CapacityPlan } from "../../capacity";
import { ENVIRONMENTS_DIR, EnvironmentError, parseEnvironment } from "../../config/environment";
import { membershipNotice } from "../../config/plan";

const LABEL = "environments/prod.yaml";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a test edits the parsed YAML freely
function prodWith(edit: (env: Record<string, any>) => void) {
  const env = parse(readFileSync(join(ENVIRONMENTS_DIR, "prod.yaml"), "utf8"));
  edit(env);
  return env;
}

function problemsOf(raw: unknown): readonly string[] {
  try {
    parseEnvironment(raw, LABEL, "prod");
    return [];
  } catch (e) {
    if (e instanceof EnvironmentError) return e.problems;
    throw e;
  }
}

describe("the agents who answer the channel", () => {
  it("are named by group, skill group and team, defaulting to none of each", () => {
    const env = parseEnvironment(
      prodWith((e) => {
        e.agents = { count: 500, messageCapacity: 20, skillGroups: ["Chat Tier 1"], teams: ["Night Shift"] };
      }),
      LABEL,
      "prod",
    );
    expect(env.agents).toEqual({
      count: 500,
      messageCapacity: 20,
      groups: [],
      skillGroups: ["Chat Tier 1"],
      teams: ["Night Shift"],
    });
  });

  it("fails when a group is named twice, whatever the case", () => {
    expect(
      problemsOf(
        prodWith((e) => {
          e.agents.groups = ["Prod Messaging Agents", "prod messaging agents"];
        }),
      ),
    ).toEqual([
      expect.stringMatching(/^environments\/prod\.yaml: agents\.groups must not name the same group twice/),
    ]);
  });

  it("fails when two team names differ only in spaces or punctuation (they would make one data source address)", () => {
    expect(
      problemsOf(
        prodWith((e) => {
          e.agents.teams = ["Tier 1", "Tier-1"];
        }),
      ),
    ).toEqual([
      'environments/prod.yaml: agents.teams must not name the same team twice (names are compared ignoring case, spaces and punctuation), got ["Tier 1","Tier-1"] (Work teams whose members answer the channel (by name); every shard queue gets them)',
    ]);
  });

  it("fails when a team name is empty", () => {
    expect(
      problemsOf(
        prodWith((e) => {
          e.agents.teams = [" "];
        }),
      ),
    ).toEqual([expect.stringMatching(/^environments\/prod\.yaml: agents\.teams\[0\] must not be empty/)]);
  });

  it("fails when skill groups are not a list", () => {
    expect(
      problemsOf(
        prodWith((e) => {
          e.agents.skillGroups = "Chat Tier 1";
        }),
      ),
    ).toEqual([
      expect.stringMatching(
        /^environments\/prod\.yaml: agents\.skillGroups must be a list of skill group names/,
      ),
    ]);
  });
});

describe("synth's warning for an environment without agents", () => {
  const plan = { shards: 3, queueGroups: { deploymentsPerQueue: 1, count: 3 } } as CapacityPlan;

  it("warns that the shard queues will have no members when no group, skill group or team is named", () => {
    const env = parseEnvironment(
      prodWith((e) => {
        e.agents.groups = [];
      }),
      LABEL,
      "prod",
    );
    expect(membershipNotice(env, plan, LABEL)).toBe(
      "environments/prod.yaml: agents.groups: warning: no groups, skill groups or teams are named, so the 3 shard " +
        "queues will have no members and their conversations wait unanswered (agents added by hand are removed by " +
        "the next deploy); name the org's " +
        "groups under agents.groups (or agents.skillGroups, agents.teams)",
    );
  });

  it("counts the queue groups' queues when deployments share them", () => {
    const env = parseEnvironment(
      prodWith((e) => {
        e.agents.groups = [];
      }),
      LABEL,
      "prod",
    );
    const shared = { shards: 85, queueGroups: { deploymentsPerQueue: 50, count: 2 } } as CapacityPlan;
    expect(membershipNotice(env, shared, LABEL)).toMatch(/so the 2 queue group queues will have no members/);
  });

  it("warns as well when the file has no agents section", () => {
    const env = parseEnvironment(
      prodWith((e) => {
        delete e.agents;
      }),
      LABEL,
      "prod",
    );
    expect(membershipNotice(env, plan, LABEL)).toMatch(/the 3 shard queues will have no members/);
  });

  it("says nothing when a team is named", () => {
    const env = parseEnvironment(
      prodWith((e) => {
        e.agents.groups = [];
        e.agents.teams = ["Night Shift"];
      }),
      LABEL,
      "prod",
    );
    expect(membershipNotice(env, plan, LABEL)).toBeUndefined();
  });
});
