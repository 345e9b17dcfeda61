/**
 * Folders a test makes in os.tmpdir(), removed after its test file whether it passed or failed: test/setup.js
 * calls `removeScratch` in an `afterAll` of every test file. `npm test` runs Jest with a private TMPDIR and
 * fails naming whatever is left in it, so a test that makes a folder another way removes it itself.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const made: string[] = [];

/** A new empty folder in os.tmpdir() named `<prefix>XXXXXX`, removed after the test file. */
export function scratchDir(prefix: string): string {
  return removeAfterTestFile(mkdtempSync(join(tmpdir(), prefix)));
}

/** Removes `path` (a file or a folder) after the test file; returns it. */
export function removeAfterTestFile(path: string): string {
  made.push(path);
  return path;
}

/** Removes everything `scratchDir` and `removeAfterTestFile` were given in this test file. */
export function removeScratch(): void {
  for (const path of made.splice(0)) rmSync(path, { recursive: true, force: true });
}
