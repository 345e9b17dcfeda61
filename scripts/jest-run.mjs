// Runs Jest with extra arguments and ends with one summary line that CI can read: "<label>: N passed, M failed".
// Exits non-zero on any failure, on a Jest crash, when no test ran, and when the tests left anything in their
// temporary folder. Used by run-tests.mjs and run-e2e.mjs.
//
// Jest runs with TMPDIR set to a fresh private folder, so os.tmpdir() in the tests, and in every process they
// start, points there. Every test removes what it makes (test/scratch.ts); afterwards the folder must be empty
// but for the runner's own link to tsx's cache, or the run fails naming what was left. The folder is removed
// either way. Jest's cache and its results file stay outside it.
import { spawnSync } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Shown at most, of what the tests left in their temporary folder. */
const LEFTOVERS_SHOWN = 20;

export function runJest(label, jestArgs) {
  const systemTmp = realpathSync(tmpdir());
  const dir = mkdtempSync(join(systemTmp, `jest-${label}-`));
  const outputFile = join(dir, "results.json");
  const testTmp = join(dir, "tmp");
  mkdirSync(testTmp);
  const ownEntries = shareToolCaches(systemTmp, testTmp);
  const jest = spawnSync(
    process.execPath,
    [
      "node_modules/jest/bin/jest.js",
      "--json",
      `--outputFile=${outputFile}`,
      // Jest's default cache folder, named as Jest names it from the system's temporary folder.
      `--cacheDirectory=${join(systemTmp, `jest_${uid().toString(36)}`)}`,
      ...jestArgs,
    ],
    { stdio: "inherit", env: { ...process.env, TMPDIR: testTmp } },
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
  const leftovers = readdirSync(testTmp)
    .filter((name) => !ownEntries.includes(name))
    .sort();
  rmSync(dir, { recursive: true, force: true });
  if (leftovers.length > 0) {
    const shown = leftovers.slice(0, LEFTOVERS_SHOWN).join(", ");
    const more = leftovers.length > LEFTOVERS_SHOWN ? ` and ${leftovers.length - LEFTOVERS_SHOWN} more` : "";
    console.error(
      `${label}: the tests left ${leftovers.length} ${leftovers.length === 1 ? "entry" : "entries"} in their TMPDIR (${testTmp}): ${shown}${more}; ` +
        "the test that makes each must remove it (test/scratch.ts)",
    );
  }
  console.log(`${label}: ${passed} passed, ${failed} failed`);
  const ok = jest.status === 0 && failed === 0 && passed > 0 && leftovers.length === 0;
  process.exit(ok ? 0 : 1);
}

function uid() {
  return process.getuid?.() ?? 0;
}

/**
 * Links tsx's cache folder (tsx-<euid>, also where it puts its IPC pipes; it cannot be moved) from `testTmp` to
 * the system's, so that the tests' tsx processes keep their cache between runs. Returns the names it made.
 */
function shareToolCaches(systemTmp, testTmp) {
  const name = `tsx-${process.geteuid?.() ?? uid()}`;
  mkdirSync(join(systemTmp, name), { recursive: true, mode: 0o700 });
  symlinkSync(join(systemTmp, name), join(testTmp, name));
  return [name];
}
