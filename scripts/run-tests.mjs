#!/usr/bin/env node
// Runs the unit test suite with Jest and ends with one summary line that CI can read:
//   "tests: N passed, M failed"
// Extra arguments are passed to Jest (e.g. `npm test -- test/capacity`).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const dir = mkdtempSync(join(tmpdir(), "jest-"));
const outputFile = join(dir, "results.json");
const jest = spawnSync(
  process.execPath,
  ["node_modules/jest/bin/jest.js", "--json", `--outputFile=${outputFile}`, ...process.argv.slice(2)],
  { stdio: "inherit" },
);

let passed = 0;
let failed = 0;
try {
  const results = JSON.parse(readFileSync(outputFile, "utf8"));
  passed = results.numPassedTests;
  failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
} catch {
  failed = 1; // Jest died before writing results: count it as a failure.
}
rmSync(dir, { recursive: true, force: true });
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(jest.status === 0 && failed === 0 && passed > 0 ? 0 : 1);
