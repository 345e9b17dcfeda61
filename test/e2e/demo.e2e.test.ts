/**
 * `npm run demo` as the README runs it: emulator, deploy of gc-dev through the real provider, shard map printed
 * and written, emulator stopped (or kept for a rehearsal, at the rehearsal's time scale); and the inputs it refuses
 * before it starts anything.
 */
import { spawn, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "./harness";

/** Runs `npm run --silent demo -- <args>` to completion. */
function demo(args: readonly string[], env: Record<string, string> = {}) {
  return spawnSync("npm", ["run", "--silent", "demo", "--", ...args], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
}

/**
 * Runs a demo that must refuse its input before it starts anything, with `--port` set to a port something else
 * listens on: a demo that got as far as starting its emulator fails there instead of deploying.
 */
async function refusedDemo(args: readonly string[], env: Record<string, string> = {}) {
  const server: Server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  try {
    return demo(["--port", String((server.address() as { port: number }).port), ...args], env);
  } finally {
    server.close();
  }
}

/** The part of `GET /__emulator/stats` these tests read. */
interface GuestStats {
  readonly webMessaging: { readonly limits: { readonly timeScale: number } };
}

describe("npm run demo", () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "demo-"));
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it("deploys dev into a fresh emulator and prints and writes its shard map", () => {
    const dir = join(root, "work");
    const run = demo(["--port", "0", "--dir", dir]);
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
      "index,deploymentId,queueId,flowId,sessions,arrivalsPerMinute,rampPerMinute,queueGroup",
    );
    expect(run.stdout).toContain("Emulator stopped");
  });

  it("with --keep --time-scale, again in an earlier demo's folder, keeps the emulator at that scale until Ctrl-C", async () => {
    // An earlier demo's folder: its state points at objects of an emulator that is gone, and must not be reused.
    const dir = join(root, "work");
    mkdirSync(dir);
    writeFileSync(join(dir, ".genesys-demo"), "made by npm run demo\n");
    writeFileSync(join(dir, "terraform.gc-dev.tfstate"), "not the state of this emulator");
    writeFileSync(join(dir, "seed.json"), "{}");
    // One node process (npm would end by the signal itself and hide the demo's exit code), detached into its own
    // process group, which the test signals as a terminal's Ctrl-C does.
    const child = spawn(
      process.execPath,
      ["cli/bin.cjs", "demo", "--port", "0", "--dir", dir, "--keep", "--time-scale", "60"],
      { cwd: REPO_ROOT, detached: true, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.on("close", (code) => done(code)));
    try {
      await Promise.race([
        new Promise<void>((done) => {
          const check = () => (stdout.includes("Ctrl-C stops it.") ? done() : setTimeout(check, 200));
          check();
        }),
        exited.then((code) => {
          throw new Error(`demo exited ${code} before it kept the emulator:\n${stdout}\n${stderr}`);
        }),
      ]);
      const url = /deployed into (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
      expect(stdout).toContain(
        `  npm run --silent rehearse -- dev --shard-map ${join(dir, "shard-map.json")} --time-scale 60\n`,
      );
      const stats = (await fetch(`${url}/__emulator/stats`).then((r) => r.json())) as GuestStats;
      expect(stats.webMessaging.limits.timeScale).toBe(60);
      expect(readdirSync(dir)).toContain("seed.json");
      process.kill(-child.pid!, "SIGINT");
      expect(await exited).toBe(0);
      await expect(fetch(`${url}/__emulator/stats`)).rejects.toThrow();
    } finally {
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, "SIGKILL");
    }
  });

  it("fails when --dir is a folder it did not make: one line, exit 2, nothing started or deleted", async () => {
    const dir = join(root, "project");
    mkdirSync(join(dir, ".git"), { recursive: true });
    writeFileSync(join(dir, ".git", "HEAD"), "ref: refs/heads/main\n");
    writeFileSync(join(dir, "notes.md"), "mine\n");
    const run = await refusedDemo(["--dir", dir]);
    expect([run.status, run.stderr]).toEqual([
      2,
      `demo: --dir ${dir}: ${dir} is not empty and has no .genesys-demo marker, so no demo made it and the ` +
        "demo will not clear it; nothing was changed: use a new or empty folder\n",
    ]);
    expect(run.stdout).toBe("");
    expect(readdirSync(dir).sort()).toEqual([".git", "notes.md"]);
    expect(readFileSync(join(dir, "notes.md"), "utf8")).toBe("mine\n");
    expect(readFileSync(join(dir, ".git", "HEAD"), "utf8")).toBe("ref: refs/heads/main\n");
  });

  it("fails when --dir is a file: one line, exit 2, the file kept", async () => {
    const file = join(root, "file");
    writeFileSync(file, "data");
    const run = await refusedDemo(["--dir", file]);
    expect([run.status, run.stderr]).toEqual([
      2,
      `demo: --dir ${file}: ${file} is a file, not a folder; nothing was changed: use a new or empty folder\n`,
    ]);
    expect(readFileSync(file, "utf8")).toBe("data");
  });

  it("fails when GENESYS_ENVIRONMENTS_DIR names no folder: one line, exit 2, nothing written", async () => {
    const dir = join(root, "work");
    const nowhere = join(root, "no-such-environments");
    const run = await refusedDemo(["--dir", dir], { GENESYS_ENVIRONMENTS_DIR: nowhere });
    expect([run.status, run.stderr]).toEqual([
      2,
      `demo: GENESYS_ENVIRONMENTS_DIR=${nowhere}: no such folder (${nowhere}); it must hold the environment ` +
        "files <name>.yaml\n",
    ]);
    expect(existsSync(dir)).toBe(false);
  });

  it("fails when GENESYS_ENVIRONMENTS_DIR has no file for --env: one line, exit 2", async () => {
    const environments = join(root, "environments");
    mkdirSync(environments);
    writeFileSync(join(environments, "other.yaml"), "name: other\n");
    const run = await refusedDemo(["--dir", join(root, "work")], { GENESYS_ENVIRONMENTS_DIR: environments });
    expect([run.status, run.stderr]).toEqual([
      2,
      `demo: ${join(environments, "dev.yaml")}: no such environment file (environments: other)\n`,
    ]);
  });

  it("fails when the port is not a port, with one line", () => {
    const run = demo(["--port", "http"]);
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe(
      `demo: option '--port <port>' argument 'http' is invalid. --port must be 0 to 65535, got "http"`,
    );
  });

  it("fails when the time scale is not a positive number, with one line", () => {
    const run = demo(["--time-scale", "0"]);
    expect([run.status, run.stderr]).toEqual([
      2,
      `demo: option '--time-scale <k>' argument '0' is invalid. --time-scale must be a number from 0.001 to ` +
        '10000, got "0"\n',
    ]);
  });
});
