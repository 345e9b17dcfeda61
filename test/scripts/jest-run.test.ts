/**
 * The Jest runner of `npm test` and `npm run test:e2e` (scripts/jest-run.mjs): it gives the tests a private
 * TMPDIR and fails, naming them, when they leave anything in it.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { scratchDir } from "../scratch";

const ROOT = resolve(__dirname, "..", "..");

describe("scripts/jest-run.mjs", () => {
  it("fails when the tests pass but leave something in their TMPDIR, naming it, and removes the folder", () => {
    // The runner's own temporary folders (and Jest's cache) go under this folder, removed after this file.
    const tmp = scratchDir("jest-run-");
    const run = spawnSync(
      process.execPath,
      [
        "scripts/run-tests.mjs",
        "--roots",
        join(__dirname, "fixtures"),
        "--testMatch",
        "**/leaks.probe.js",
        "--testPathIgnorePatterns",
        "/node_modules/",
      ],
      { cwd: ROOT, env: { ...process.env, TMPDIR: tmp }, encoding: "utf8" },
    );
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("tests: 2 passed, 0 failed");
    expect(run.stderr).toMatch(
      /^tests: the tests left 1 entry in their TMPDIR \(.*\/jest-tests-\w+\/tmp\): left-behind-\w+; the test that makes each must remove it \(test\/scratch\.ts\)$/m,
    );
    expect(run.stderr).not.toContain("removed-");
    // Its private TMPDIR and results are gone; what stays is Jest's cache and tsx's, as without the runner.
    expect(readdirSync(tmp).filter((name) => name.startsWith("jest-tests-"))).toEqual([]);
  }, 60_000);
});
