/** Persistence: the state file is written atomically, restored on start, and refused with one clear line when corrupt. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { login, request, startEmulator } from "./helpers";

const WRAPUP_CODES = "/api/v2/routing/wrapupcodes";
const ROOT = join(__dirname, "../..");
const TSX = join(ROOT, "node_modules/.bin/tsx");

describe("emulator persistence", () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), "emulator-state-"));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it("restores wrap-up codes and limit values from the state file", async () => {
    const stateFile = join(directory, "state.json");
    const first = await startEmulator({ stateFile, limits: { dataactions: { "requests.volume.max": 900 } } });
    const token = await login(first);
    const created = await request(first, "POST", WRAPUP_CODES, { token, body: { name: "Resolved" } });
    await first.close();

    const saved = JSON.parse(readFileSync(stateFile, "utf8"));
    expect(saved).toMatchObject({
      formatVersion: 1,
      limitOverrides: { dataactions: { "requests.volume.max": 900 } },
    });
    expect(readdirSync(directory)).toEqual(["state.json"]); // the temp file was renamed away

    const second = await startEmulator({ stateFile });
    try {
      const token2 = await login(second);
      const read = await request(second, "GET", created.body.selfUri, { token: token2 });
      expect(read.body).toEqual(created.body);
      const limits = await request(second, "GET", "/api/v2/organizations/limits/namespaces/dataactions", {
        token: token2,
      });
      expect(limits.body.entities).toContainEqual({
        key: "requests.volume.max",
        namespace: "dataactions",
        value: 900,
      });
      const state = await request(second, "GET", "/__emulator/state");
      expect(state.body.collections.wrapupcodes).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  it("restores keyed records: queue members, utilization and published configuration versions", async () => {
    const stateFile = join(directory, "state.json");
    const first = await startEmulator({ stateFile });
    const token = await login(first);
    const queue = await request(first, "POST", "/api/v2/routing/queues", {
      token,
      body: { name: "Support" },
    });
    const member = "11111111-1111-4111-8111-111111111111";
    await request(first, "POST", `${queue.body.selfUri}/members`, { token, body: [{ id: member }] });
    await request(first, "PUT", "/api/v2/routing/utilization", {
      token,
      body: { utilization: { chat: { maximumCapacity: 7 } } },
    });
    const config = await request(first, "POST", "/api/v2/webdeployments/configurations", {
      token,
      body: { name: "Messenger", languages: ["en-us"], defaultLanguage: "en-us" },
    });
    await request(
      first,
      "POST",
      `/api/v2/webdeployments/configurations/${config.body.id}/versions/draft/publish`,
      {
        token,
      },
    );
    await first.close();

    const second = await startEmulator({ stateFile });
    try {
      const token2 = await login(second);
      const members = await request(second, "GET", `${queue.body.selfUri}/members`, { token: token2 });
      expect(members.body.entities.map((m: { id: string }) => m.id)).toEqual([member]);
      const utilization = await request(second, "GET", "/api/v2/routing/utilization", { token: token2 });
      expect(utilization.body.utilization.chat.maximumCapacity).toBe(7);
      const version = await request(
        second,
        "GET",
        `/api/v2/webdeployments/configurations/${config.body.id}/versions/1`,
        { token: token2 },
      );
      expect(version.status).toBe(200);
    } finally {
      await second.close();
    }
  });

  it("fails when the state file is not an emulator state file", async () => {
    const stateFile = join(directory, "state.json");
    writeFileSync(stateFile, '{"hello": 1}');
    await expect(startEmulator({ stateFile })).rejects.toThrow(/not an emulator state file/);
  });

  it("fails with one line naming the file when the state file is cut short", async () => {
    const stateFile = join(directory, "state.json");
    writeFileSync(stateFile, '{"formatVersion": 1, "collections": {"queues": [');
    const error = await startEmulator({ stateFile }).then(
      () => undefined,
      (failure: Error) => failure,
    );
    expect(error?.message.startsWith(`${stateFile}: not a readable emulator state file (`)).toBe(true);
    expect(error?.message).not.toContain("\n");
  });

  it("fails naming the first bad field when an entity lacks its id", async () => {
    const stateFile = join(directory, "state.json");
    writeFileSync(
      stateFile,
      JSON.stringify({ formatVersion: 1, collections: { queues: [{ name: "Support" }] } }),
    );
    await expect(startEmulator({ stateFile })).rejects.toThrow(
      /not an emulator state file \(collections\.queues\.0\.id: /,
    );
  });

  it("exits with one error line from the command line when the state file is corrupt", () => {
    const stateFile = join(directory, "state.json");
    writeFileSync(stateFile, "not json");
    const run = spawnSync(TSX, [join(ROOT, "emulator/main.ts"), "--port", "0", "--state-file", stateFile], {
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
    const lines = run.stderr.trim().split("\n");
    expect(lines).toEqual([
      expect.stringMatching(/^emulator: .*state\.json: not a readable emulator state file/),
    ]);
  });
});
