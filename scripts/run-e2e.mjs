#!/usr/bin/env node
// Runs the end-to-end suites (jest.e2e.config.js: the real Terraform CLI and provider against the emulator) in
// band and ends with one summary line that CI can read:
//   "e2e: N passed, M failed"
// It exits non-zero on any failure, and when no test ran. Extra arguments are passed to Jest.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const dir = mkdtempSync(join(tmpdir(), "jest-e2e-"));
const outputFile = join(dir, "results.json");
const jest = spawnSync(
  process.execPath,
  [
    "node_modules/jest/bin/jest.js",
    "--config",
    "jest.e2e.config.js",
    "--runInBand",
    "--json",
    `--outputFile=${outputFile}`,
    ...process.argv.slice(2),
  ],
  { stdio: "inherit" },
);

let passed = 0;
let failed = 0;
try {
  const results = JSON.parse(readFileSync(outputFile, "utf8"));
  passed = results.numPassedTests;
  failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
} catch {
  failed = 1; // Jest died before writing results (e.g. the global setup failed): count it as a failure.
}
rmSync(dir, { recursive: true, force: true });
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(jest.status === 0 && failed === 0 && passed > 0 ? 0 : 1);
