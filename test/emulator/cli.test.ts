/** The emulator's command line, run as CI runs it (tsx emulator/main.ts). */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";

const ROOT = join(__dirname, "../..");
const TSX = join(ROOT, "node_modules/.bin/tsx");

describe("emulator command line", () => {
  it("accepts GENESYSCLOUD_ACCESS_TOKEN as a bearer token, as the provider's access_token sends it", async () => {
    const child = spawn(TSX, [join(ROOT, "emulator/main.ts"), "--port", "0"], {
      env: { ...process.env, GENESYSCLOUD_ACCESS_TOKEN: "ci-token" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
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
      const me = await fetch(`${url}/api/v2/organizations/me`, {
        headers: { authorization: "Bearer ci-token" },
      });
      expect(me.status).toBe(200);
      const other = await fetch(`${url}/api/v2/organizations/me`, {
        headers: { authorization: "Bearer other" },
      });
      expect(other.status).toBe(401);
    } finally {
      child.kill("SIGTERM");
      if (child.exitCode === null) await once(child, "exit");
    }
  }, 30_000);
});
