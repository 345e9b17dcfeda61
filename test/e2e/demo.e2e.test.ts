/**
 * `npm run demo` as the README runs it: emulator, deploy of gc-dev through the real provider, shard map printed
 * and written, emulator stopped.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "./harness";

describe("npm run demo", () => {
  it("deploys dev into a fresh emulator and prints and writes its shard map", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "demo-")), "work");
    try {
      const run = spawnSync("npm", ["run", "--silent", "demo", "--", "--port", "0", "--dir", dir], {
        cwd: REPO_ROOT,
        encoding: "utf8",
      });
      expect([run.status, run.stderr.split("\n").filter((l) => !l.startsWith("demo: "))]).toEqual([0, [""]]);
      expect(run.stdout).toMatch(/3 shards of gc-dev deployed into http:\/\/127\.0\.0\.1:\d+ in \d+ s:/);
      const map = JSON.parse(readFileSync(join(dir, "shard-map.json"), "utf8"));
      expect(map.source).toBe("state");
      expect(map.shards).toHaveLength(3);
      for (const shard of map.shards) {
        expect(shard.deploymentId).toMatch(/^[0-9a-f-]{36}$/);
        expect(run.stdout).toContain(shard.deploymentId);
      }
      expect(readFileSync(join(dir, "shard-map.csv"), "utf8").split("\n")[0]).toBe(
        "index,deploymentId,queueId,flowId,sessions,arrivalsPerMinute",
      );
      expect(run.stdout).toContain("Emulator stopped");
    } finally {
      rmSync(join(dir, ".."), { recursive: true, force: true });
    }
  });

  it("fails when the port is not a port, with one line", () => {
    const run = spawnSync("npm", ["run", "--silent", "demo", "--", "--port", "http"], {
      cwd: REPO_ROOT,
      encoding: "utf8",
    });
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe(
      `demo: option '--port <port>' argument 'http' is invalid. --port must be 0 to 65535, got "http"`,
    );
  });
});
