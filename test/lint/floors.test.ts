/**
 * The floors are a lint rule (eslint.config.mjs): an import that runs upward, or out of the emulator into the
 * product, fails `npm run lint`. These cases lint a one-line file placed in each floor, as ESLint would find it.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");

/**
 * Lints each `[path, code]` as ESLint would lint a file at `path` (relative to the project root) holding `code`,
 * with the project's eslint.config.mjs, in one child process (Jest cannot load an ES module config itself).
 * Returns, per file, the messages of the floor rule.
 */
function importErrors(files: readonly (readonly [string, string])[]): string[][] {
  const script = `
    import { ESLint } from "eslint";
    const eslint = new ESLint({ cwd: process.cwd() });
    const files = JSON.parse(process.argv[1]);
    const out = [];
    for (const [path, code] of files) {
      const [result] = await eslint.lintText(code + "\\nexport const used = imported;\\n", { filePath: path });
      out.push(result.messages.filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message));
    }
    process.stdout.write(JSON.stringify(out));`;
  const output = execFileSync(
    process.execPath,
    ["--input-type=module", "-e", script, JSON.stringify(files.map(([p, c]) => [join(ROOT, p), c]))],
    { cwd: ROOT, encoding: "utf8" },
  );
  return JSON.parse(output) as string[][];
}

const upward = [
  [
    "capacity/x.ts",
    'import { imported } from "../config/environment";',
    "capacity/ may import only genesys/",
  ],
  ["genesys/x.ts", 'import { imported } from "../capacity/catalog";', "genesys/ may import only nothing"],
  ["constructs/x.ts", 'import { imported } from "../config/schema";', "constructs/ may import only"],
  ["constructs/x.ts", 'import { imported } from "../stacks/names";', "constructs/ may import only"],
  [
    "emulator/guest/x.ts",
    'import { imported } from "../../capacity/catalog";',
    "emulator/ may import only nothing",
  ],
  ["emulator/x.ts", 'import { imported } from "../genesys";', "emulator/ may import only nothing"],
  ["plan-review/x.ts", 'import { imported } from "../constructs/naming";', "plan-review/ may import only"],
  ["stacks/x.ts", 'import { imported } from "../cli/command";', "stacks/ may import only"],
  ["watch/x.ts", 'import { imported } from "../rehearsal/run";', "watch/ may import only"],
  ["main.ts", 'import { imported } from "./cli/command";', "main.ts may import only"],
] as const;

const allowed = [
  ["capacity/x.ts", 'import { imported } from "../genesys";'],
  ["constructs/x.ts", 'import { imported } from "../capacity";'],
  ["emulator/routes/x.ts", 'import { imported } from "../store";'],
  ["stacks/x.ts", 'import { imported } from "../constructs";'],
  ["watch/x.ts", 'import { imported } from "../preflight/api-client";'],
  ["cli/x.ts", 'import { imported } from "./command";'],
  ["cli/x.ts", 'import { imported } from "../local-deploy";'],
  ["test/capacity/x.test.ts", 'import { imported } from "../../cli/shards";'],
] as const;

let results: string[][];
beforeAll(() => {
  results = importErrors([...upward.map(([p, c]) => [p, c] as const), ...allowed]);
}, 60_000);

describe("the floors, enforced by the lint", () => {
  it.each(upward.map((c, i) => [...c, i] as const))(
    "fails when %s imports upward: %s",
    (_path, _code, message, i) => {
      expect(results[i]).toHaveLength(1);
      expect(results[i][0]).toContain(message);
    },
  );

  it.each(allowed.map((c, i) => [...c, upward.length + i] as const))(
    "lets %s import downward or within its folder: %s",
    (_path, _code, i) => {
      expect(results[i]).toEqual([]);
    },
  );
});
