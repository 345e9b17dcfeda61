import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { ENVIRONMENTS_DIR, EnvironmentError, parseEnvironment } from "../../config/environment";

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
