import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { scratchDir } from "../scratch";
import { planShards } from "../../capacity";
import { main } from "../../cli/shard-map";
import {
  ShardMapError,
  shardMapCsv,
  shardMapFromPlan,
  shardMapFromState,
  type ShardMapOutputEntry,
} from "../../shard-map";

const output: ShardMapOutputEntry[] = [
  { index: 1, deployment_id: "d-1", queue_id: "q-1", flow_id: "f-1", sessions: 66, arrivals_per_minute: 20 },
  { index: 0, deployment_id: "d-0", queue_id: "q-0", flow_id: "f-0", sessions: 67, arrivals_per_minute: 20 },
];
const state = JSON.stringify({
  version: 4,
  outputs: { shard_map: { value: output, type: ["list", "object"] } },
});

function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(argv, {
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => err.push(s) },
  });
  return { code, out: out.join(""), err: err.join("") };
}

describe("shard map", () => {
  it("before a deploy carries the plan's shares and no ids", () => {
    const plan = planShards({ targetSessions: 200, sessionsPerShard: 150, headroom: 0.8, spares: 1 });
    const map = shardMapFromPlan("dev", plan);
    expect(map.source).toBe("plan");
    expect(map.shards.map((s) => s.sessions)).toEqual(plan.perShard.map((s) => s.sessions));
    expect(map.shards.every((s) => s.deploymentId === null && s.queueId === null && s.flowId === null)).toBe(
      true,
    );
  });

  it("after a deploy takes the ids from the state's shard_map output, ordered by index", () => {
    const map = shardMapFromState("dev", state, "terraform.gc-dev.tfstate");
    expect(map).toEqual({
      environment: "dev",
      source: "state",
      shards: [
        { index: 0, deploymentId: "d-0", queueId: "q-0", flowId: "f-0", sessions: 67, arrivalsPerMinute: 20 },
        { index: 1, deploymentId: "d-1", queueId: "q-1", flowId: "f-1", sessions: 66, arrivalsPerMinute: 20 },
      ],
    });
    expect(shardMapCsv(map)).toBe(
      "index,deploymentId,queueId,flowId,sessions,arrivalsPerMinute\n0,d-0,q-0,f-0,67,20\n1,d-1,q-1,f-1,66,20\n",
    );
  });

  it("fails when the state has no shard_map output", () => {
    expect(() => shardMapFromState("dev", JSON.stringify({ version: 4, outputs: {} }), "s.tfstate")).toThrow(
      's.tfstate: the state has no "shard_map" output',
    );
  });

  it("fails when the file is not a Terraform state", () => {
    expect(() => shardMapFromState("dev", "not json", "s.tfstate")).toThrow(ShardMapError);
    expect(() => shardMapFromState("dev", JSON.stringify({ version: 3 }), "s.tfstate")).toThrow(
      "s.tfstate: not a Terraform state file of format version 4, got 3",
    );
  });

  it("fails when the output is malformed", () => {
    const bad = JSON.stringify({ version: 4, outputs: { shard_map: { value: [{ index: 0 }] } } });
    expect(() => shardMapFromState("dev", bad, "s.tfstate")).toThrow('output "shard_map" must be a list of');
  });
});

describe("shard-map CLI", () => {
  it("writes JSON from a state file", () => {
    const file = join(scratchDir("shard-map-"), "state.json");
    writeFileSync(file, state);
    const result = run(["dev", "--format", "json", "--state", file]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out).shards[0].deploymentId).toBe("d-0");
  });

  it("falls back to the plan's shares with a note when the stack is not deployed", () => {
    const dir = scratchDir("shard-map-env-");
    const dev = readFileSync(join(__dirname, "..", "..", "environments", "dev.yaml"), "utf8");
    writeFileSync(
      join(dir, "lab.yaml"),
      dev
        .replace("name: dev", "name: lab")
        .replace(/backend:[\s\S]*$/, "backend:\n  type: local\n  path: /nonexistent/lab.tfstate\n"),
    );
    const out: string[] = [];
    const err: string[] = [];
    const code = main(
      ["lab"],
      { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) } },
      dir,
    );
    expect(code).toBe(0);
    expect(out.join("")).toBe(
      "index,deploymentId,queueId,flowId,sessions,arrivalsPerMinute\n0,,,,67,20\n1,,,,67,20\n2,,,,66,20\n",
    );
    expect(err.join("")).toContain(
      "shard-map: gc-lab is not deployed here (no state found): the plan's shares from",
    );
  });

  it("fails when --state names no file, with one line", () => {
    const result = run(["dev", "--state", "/nonexistent/state.json"]);
    expect(result.code).toBe(2);
    expect(result.err).toBe("shard-map: --state /nonexistent/state.json: no such file\n");
  });

  it("fails when the format is unknown, with one line", () => {
    const result = run(["dev", "--format", "xml"]);
    expect(result.code).toBe(2);
    expect(result.err).toBe(
      "shard-map: option '--format <format>' argument 'xml' is invalid. Allowed choices are csv, json.\n",
    );
  });
});
