import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deployedShards, loadShardMap, parseShardMap, ShardMapError } from "../../rehearsal/shard-map";
import { shardMapFromPlan } from "../../shard-map";
import { planShards } from "../../capacity";

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

describe("shard map", () => {
  it("reads a map from state, shards in index order", () => {
    const map = parseShardMap(
      { environment: "dev", source: "state", shards: [shard(1), shard(0)] },
      "map.json",
    );
    expect(map.shards.map((s) => s.index)).toEqual([0, 1]);
    expect(deployedShards(map, "map.json").map((s) => s.deploymentId)).toEqual(["d0", "d1"]);
  });

  it("reads what npm run shard-map writes from a plan, and refuses to rehearse it", () => {
    const written = shardMapFromPlan("dev", planShards({ targetSessions: 200, arrivalsPerMinute: 60 }));
    const map = parseShardMap(JSON.parse(JSON.stringify(written)), "dev.json");
    expect(map.source).toBe("plan");
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

  describe("files", () => {
    let dir: string;
    beforeAll(() => (dir = mkdtempSync(join(tmpdir(), "shard-map-"))));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("fails when the file is not JSON", () => {
      const file = join(dir, "bad.json");
      writeFileSync(file, "{ nope");
      expect(() => loadShardMap(file)).toThrow(new RegExp(`^${file}: not JSON \\(`));
    });

    it("fails when the file does not exist", () => {
      expect(() => loadShardMap(join(dir, "none.json"))).toThrow(
        `${join(dir, "none.json")}: cannot read the shard map (no such file); write one with npm run shard-map`,
      );
    });
  });
});
