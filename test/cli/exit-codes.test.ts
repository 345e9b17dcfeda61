/**
 * One exit-code table (cli/exit-codes.ts): no other file of cli/ writes an exit code as a number, in code or in a
 * help text, so a code means the same in every command and a help text cannot drift from what the command returns.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { EXIT, exitCodesHelp, exitCodesOf } from "../../cli/exit-codes";

const CLI = join(__dirname, "../../cli");
const TABLE = "exit-codes.ts";

/** Ways an exit code gets written as a number, each with what it looks like. */
const LITERAL_EXIT_CODES: readonly [string, RegExp][] = [
  ["a returned number", /\breturn\s+-?\d+\s*[;)]/],
  ["process.exit or exitCode set to a number", /\bexit(?:Code)?\s*(?:\(|=(?!=))\s*\d/],
  ["an exit code compared with a number", /\b(?:code|exitCode)\s*[!=]==?\s*\d/],
  [
    "a named exit code given a number",
    /\b(?:ok|failed|badInput|no|infeasible|refused|unreachable|unavailable|interrupted|fits|doesNotFit|aboveHeadroom)\s*:\s*\d/,
  ],
  ["an EXIT constant given a number", /\bEXIT\w*\s*=\s*\d/],
  // `\b` or the `\n` that starts a help text's line: "\nExit codes: 0 …".
  ["a help text naming an exit code by number", /(?:\b|\\n)exit(?:s| codes?:?)?\s+\d/i],
];

/** The code of a TypeScript file without its comments (a `//` inside a string ends the line early). */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/[^\n]*/g, "");
}

/** Every line of `text`'s code that writes an exit code as a number, with what it is. */
function literalExitCodes(text: string): string[] {
  return code(text)
    .split("\n")
    .flatMap((line) =>
      LITERAL_EXIT_CODES.filter(([, pattern]) => pattern.test(line)).map(
        ([what]) => `${what}: ${line.trim()}`,
      ),
    );
}

describe("the exit-code table", () => {
  it.each(
    readdirSync(CLI)
      .filter((file) => file.endsWith(".ts") && file !== TABLE)
      .map((file) => [file]),
  )("cli/%s writes no exit code as a number", (file) => {
    expect(literalExitCodes(readFileSync(join(CLI, file), "utf8"))).toEqual([]);
  });

  it.each<[string]>([
    ["  return 2;"],
    ['  if (failure === "help") return 0;'],
    ["    process.exit(130);"],
    ["  process.exitCode = 1;"],
    ["  if (code === 3) retry();"],
    ["  badInput: 2,"],
    ["export const EXIT_BAD_INPUT = 2;"],
    ['    .addHelpText("after", "\\nExit codes: 0 written, 2 bad input.");'],
    ['    .option("--once", "print it and exit (0 below headroom, 3 above)")'],
  ])("finds an exit code written as a number: %s", (line) => {
    expect(literalExitCodes(line)).toHaveLength(1);
  });

  it.each<[string]>([
    ["  return EXIT.badInput;"],
    ["  process.exitCode = code;"],
    ["  return `${EXIT.ok} fits`;"],
    ['    .option("--once", `exit (${EXIT.ok} below headroom)`)'],
    ["  /** exit 2 on bad input */"],
    ["  const port = 8089; // exit 3 in a comment"],
    ["  sessions: 150,"],
    ["  if (error.status === 403) return permissionLine(error);"],
  ])("leaves code that names the table alone: %s", (line) => {
    expect(literalExitCodes(line)).toEqual([]);
  });

  it("gives every code one name, and numbers codes as the README does", () => {
    expect(EXIT).toEqual({ ok: 0, failed: 1, badInput: 2, no: 3, unreachable: 4, interrupted: 130 });
    expect(new Set(Object.values(EXIT)).size).toBe(Object.keys(EXIT).length);
  });

  it("writes a command's exit codes in the table's order, whatever order they are given in", () => {
    const meanings = { no: "infeasible", ok: "a plan", badInput: "bad input" };
    expect(exitCodesOf(meanings)).toEqual([0, 2, 3]);
    expect(exitCodesHelp(meanings)).toBe("Exit codes: 0 a plan, 2 bad input, 3 infeasible.");
    expect(exitCodesHelp(meanings, "With --from-org")).toBe(
      "With --from-org: 0 a plan, 2 bad input, 3 infeasible.",
    );
  });
});
