/**
 * The README starts the emulator with `npm run emulator -- --port N &` and stops it with `kill $!`: stopping that
 * one process must free the port (no tsx or node child left listening).
 */
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");

/** Resolves true when a server can listen on the port (nothing holds it). */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once("error", () => done(false));
    server.listen(port, "127.0.0.1", () => server.close(() => done(true)));
  });
}

describe("npm run emulator", () => {
  it("frees its port when the process the README starts is killed", async () => {
    const npm = spawn("npm", ["run", "emulator", "--", "--port", "0"], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const port = await new Promise<number>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`no listening line:\n${output}`)), 20_000);
      npm.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          done(Number(match[1]));
        }
      });
    });
    expect(await portIsFree(port)).toBe(false);
    const exited = new Promise((done) => npm.once("exit", done));
    npm.kill("SIGTERM");
    await exited;
    let free = false;
    for (let attempt = 0; attempt < 20 && !free; attempt++) {
      free = await portIsFree(port);
      if (!free) await new Promise((done) => setTimeout(done, 100));
    }
    expect(free).toBe(true);
  }, 30_000);
});
