// Runs Jest with extra arguments and ends with one summary line that CI can read: "<label>: N passed, M failed".
// Exits non-zero on any failure, on a Jest crash and when no test ran. Used by run-tests.mjs and run-e2e.mjs.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function runJest(label, jestArgs) {
  const dir = mkdtempSync(join(tmpdir(), `jest-${label}-`));
  const outputFile = join(dir, "results.json");
  const jest = spawnSync(
    process.execPath,
    ["node_modules/jest/bin/jest.js", "--json", `--outputFile=${outputFile}`, ...jestArgs],
    { stdio: "inherit" },
  );
  let passed = 0;
  let failed = 0;
  try {
    const results = JSON.parse(readFileSync(outputFile, "utf8"));
    passed = results.numPassedTests;
    failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
  } catch {
    failed = 1; // Jest died before writing results (e.g. a global setup failed): count it as a failure.
  }
  rmSync(dir, { recursive: true, force: true });
  console.log(`${label}: ${passed} passed, ${failed} failed`);
  process.exit(jest.status === 0 && failed === 0 && passed > 0 ? 0 : 1);
}
