import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { planShards } from "../../capacity";
import { renderJson } from "../../cli/shards";
import {
  ShardMapError,
  deployedShards,
  identityOf,
  loadShardMapFile,
  parseShardMap,
  requireIdentity,
  shardMapCsv,
  shardMapFromPlan,
  shardMapJson,
} from "../../shard-map";
import { scratchDir } from "../scratch";

const shard = (index: number, extra: Record<string, unknown> = {}) => ({
  index,
  deploymentId: `d${index}`,
  queueId: `q${index}`,
  flowId: `f${index}`,
  sessions: 10,
  arrivalsPerMinute: 5,
  ...extra,
});

function problems(raw: unknown): readonly string[] {
  try {
    parseShardMap(raw, "map.json");
  } catch (error) {
    if (error instanceof ShardMapError) return error.problems;
    throw error;
  }
  throw new Error("parsed");
}

describe("shard map file", () => {
  it("reads a map from state, shards in index order, with the ramp worked out from the shares", () => {
    const map = parseShardMap(
      { environment: "dev", stack: "gc-dev", source: "state", shards: [shard(1), shard(0)] },
      "map.json",
    );
    expect(map.shards.map((s) => s.index)).toEqual([0, 1]);
    expect(deployedShards(map, "map.json").map((s) => s.deploymentId)).toEqual(["d0", "d1"]);
    expect(map.ramp).toEqual({ sessions: 20, perMinute: 10, minutes: 2 });
    expect(map.shards.map((s) => s.rampPerMinute)).toEqual([5, 5]);
  });

  it("reads a map written before the stack and the ramp were carried (and the bench's bare maps)", () => {
    const map = parseShardMap(
      { environment: "prod", source: "state", shards: [{ index: 0, deploymentId: "d", sessions: 3 }] },
      "old.json",
    );
    expect(map).toMatchObject({ environment: "prod", stack: "gc-prod", ramp: null });
    expect(map.shards[0]).toEqual({
      index: 0,
      queueGroup: 0, // a map written before queue groups: each shard had its own queue
      deploymentId: "d",
      queueId: null,
      flowId: null,
      sessions: 3,
      arrivalsPerMinute: null,
      rampPerMinute: null,
    });
  });

  it("reads what npm run shard-map writes from a plan, and refuses to rehearse it", () => {
    const written = shardMapFromPlan("dev", planShards({ targetSessions: 200, arrivalsPerMinute: 60 }));
    const map = parseShardMap(JSON.parse(shardMapJson(written)), "dev.json");
    expect(map).toEqual(written);
    expect(() => deployedShards(map, "dev.json")).toThrow(
      'dev.json: made from a plan (source "plan"), so it has no deployment ids to connect to',
    );
  });

  it("fails with one line per problem, naming the field and the value", () => {
    expect(
      problems({
        environment: "dev",
        source: "state",
        shards: [shard(0, { deploymentId: null }), shard(0, { sessions: -1 }), shard(2, { sessions: 1.5 })],
      }),
    ).toEqual([
      "map.json: shards[1].sessions must be an integer >= 0, got -1",
      "map.json: shards[2].sessions must be an integer >= 0, got 1.5",
    ]);
    expect(
      problems({ environment: "dev", source: "state", shards: [shard(0, { deploymentId: null }), shard(0)] }),
    ).toEqual([
      'map.json: shards[0].deploymentId is required when source is "state", got null',
      "map.json: shards[1].index repeats an index, got 0",
    ]);
    expect(problems({ environment: "dev", source: "terraform", shards: [] })).toEqual([
      'map.json: source must be "state" or "plan", got "terraform"',
      "map.json: shards must list at least one shard, got []",
    ]);
  });

  it("fails when the file is a capacity plan (npm run shards -- --json), with one line saying so", () => {
    const plan = JSON.parse(renderJson(planShards({ targetSessions: 10_000, arrivalsPerMinute: 50 })));
    expect(problems(plan)).toEqual([
      "map.json: this is a capacity plan (npm run shards -- --json), not a shard map: a plan has no deployment " +
        "ids; deploy the stack and write one with npm run shard-map -- <env> --format json",
    ]);
  });

  it("fails when the file is a Terraform state, with one line saying how to make the map from it", () => {
    expect(problems({ version: 4, serial: 3, outputs: {} })).toEqual([
      "map.json: this is a Terraform state, not a shard map: write the map from it with npm run shard-map -- " +
        "<env> --state <this file> --format json",
    ]);
  });

  describe("identity", () => {
    const map = parseShardMap({ environment: "dev", source: "state", shards: [shard(0)] }, "dev.json");

    it("accepts the map of the environment given", () => {
      expect(() => requireIdentity(map, identityOf("dev"), "dev.json")).not.toThrow();
    });

    it("fails when the map is another environment's, or another stack's", () => {
      expect(() => requireIdentity(map, identityOf("prod"), "dev.json")).toThrow(
        'dev.json: the shard map is for environment "dev" (gc-dev), not "prod" (gc-prod); write prod\'s with ' +
          "npm run shard-map -- prod --format json",
      );
      const renamed = { ...map, stack: "gc-other" };
      expect(() => requireIdentity(renamed, identityOf("dev"), "dev.json")).toThrow(
        'the shard map is for environment "dev" (gc-other), not "dev" (gc-dev)',
      );
    });
  });

  describe("files", () => {
    const dir = scratchDir("shard-map-file-");

    it("fails when the file is not JSON", () => {
      const file = join(dir, "bad.json");
      writeFileSync(file, "{ nope");
      expect(() => loadShardMapFile(file)).toThrow(new RegExp(`^${file}: not JSON \\(`));
    });

    it("fails when the file is the CSV map, with one line saying to write JSON", () => {
      const file = join(dir, "dev.csv");
      writeFileSync(
        file,
        shardMapCsv(shardMapFromPlan("dev", planShards({ targetSessions: 200, arrivalsPerMinute: 60 }))),
      );
      expect(() => loadShardMapFile(file)).toThrow(
        new ShardMapError(
          `${file}: this looks like CSV (the shard map's default format); a rehearsal reads JSON: use npm run ` +
            "shard-map -- <env> --format json",
        ),
      );
    });

    it("fails when the file does not exist", () => {
      expect(() => loadShardMapFile(join(dir, "none.json"))).toThrow(
        `${join(dir, "none.json")}: cannot read the shard map (no such file); write one with npm run shard-map`,
      );
    });
  });
});
