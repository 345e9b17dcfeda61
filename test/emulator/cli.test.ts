/** The emulator's command line, run as CI runs it (tsx emulator/main.ts). */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(__dirname, "../..");
const TSX = join(ROOT, "node_modules/.bin/tsx");

/** Starts `tsx emulator/main.ts --port 0 <args>` and waits for its URL; `stop` ends it. */
async function startCli(args: readonly string[], env: NodeJS.ProcessEnv = process.env) {
  const child = spawn(TSX, [join(ROOT, "emulator/main.ts"), "--port", "0", ...args], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.setEncoding("utf8");
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (chunk: string) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`the emulator exited with ${code}: ${output}`)));
  });
  const stop = async () => {
    child.kill("SIGTERM");
    if (child.exitCode === null) await once(child, "exit");
  };
  return { url, stop };
}

describe("emulator command line", () => {
  it("accepts GENESYSCLOUD_ACCESS_TOKEN as a bearer token, as the provider's access_token sends it", async () => {
    const { url, stop } = await startCli([], { ...process.env, GENESYSCLOUD_ACCESS_TOKEN: "ci-token" });
    try {
      const me = await fetch(`${url}/api/v2/organizations/me`, {
        headers: { authorization: "Bearer ci-token" },
      });
      expect(me.status).toBe(200);
      const other = await fetch(`${url}/api/v2/organizations/me`, {
        headers: { authorization: "Bearer other" },
      });
      expect(other.status).toBe(401);
    } finally {
      await stop();
    }
  }, 30_000);

  it("creates the objects of --seed-file at start", async () => {
    const seedFile = join(ROOT, "test/e2e/fixtures/fidelity/seed.json");
    const { url, stop } = await startCli(["--seed-file", seedFile], {
      ...process.env,
      GENESYSCLOUD_ACCESS_TOKEN: "ci-token",
    });
    try {
      const search = await fetch(`${url}/api/v2/groups/search`, {
        method: "POST",
        headers: { authorization: "Bearer ci-token", "content-type": "application/json" },
        body: JSON.stringify({ query: [{ type: "EXACT", value: "E2E Agents", fields: ["name"] }] }),
      });
      expect(((await search.json()) as { total: number }).total).toBe(1);
    } finally {
      await stop();
    }
  }, 30_000);

  it("exits 2 with one line naming the file and the problem for a bad --seed-file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "seed-"));
    const seedFile = join(dir, "seed.json");
    writeFileSync(seedFile, JSON.stringify({ groups: [{ members: [] }] }));
    try {
      const child = spawn(TSX, [join(ROOT, "emulator/main.ts"), "--port", "0", "--seed-file", seedFile], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stderr = "";
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
      const [code] = await once(child, "exit");
      expect(code).toBe(2);
      expect(stderr.trim()).toBe(
        `emulator: ${seedFile}: not a seed file (groups.0.name: Invalid input: expected string, received undefined); see emulator/seed.ts`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
