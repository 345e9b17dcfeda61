/** What every command-line entry point shares (cli/command.ts): the quiet parse and the number parser. */
import { Command } from "commander";
import { MAX_NUMBER_DIGITS, parseDecimal, parseQuietly } from "../../cli/command";

/** A command with one flag of each kind, parsed quietly; returns the error line, "help" or the options. */
function parse(...argv: string[]) {
  const program = new Command("probe")
    .option("-t, --target <n>", "one value")
    .option("--format [kind]", "an optional value")
    .option("--tag <names...>", "any number of values")
    .option("--json", "a switch");
  let out = "";
  const failure = parseQuietly(program, argv, {
    stdout: { write: (t) => (out += t) },
    stderr: process.stderr,
  });
  if (failure === "help") return { help: out };
  if (failure !== undefined)
    return { code: failure.code, exitCode: failure.exitCode, message: failure.message };
  return { options: program.opts() };
}

describe("parseQuietly", () => {
  it.each<[string, string[], string]>([
    ["twice", ["--target", "10000", "--target", "20"], "--target was given twice (10000, 20); give it once"],
    ["as --flag=value", ["--target=1", "--target", "2"], "--target was given twice (1, 2); give it once"],
    ["by its short form", ["-t", "1", "-t2"], "--target was given twice (1, 2); give it once"],
    [
      "three times",
      ["--target", "1", "-t", "2", "--target=3"],
      "--target was given 3 times (1, 2, 3); give it once",
    ],
    [
      "with an optional value",
      ["--format", "csv", "--format"],
      '--format was given twice (csv, ""); give it once',
    ],
    [
      "with values needing quotes",
      ["--target", "a, b", "--target", "c"],
      '--target was given twice ("a, b", c); give it once',
    ],
  ])("refuses a single-value flag given %s, exit 2", (_name, argv, message) => {
    expect(parse(...argv)).toEqual({ code: "commander.repeatedOption", exitCode: 2, message });
  });

  it("takes a variadic flag and a switch more than once", () => {
    expect(parse("--tag", "a", "--tag", "b", "c", "--json", "--json", "--target", "1")).toEqual({
      options: { tag: ["a", "b", "c"], json: true, target: "1" },
    });
  });

  it("reports commander's own errors as before, in one line without its prefix", () => {
    expect(parse("--target")).toEqual({
      code: "commander.optionMissingArgument",
      exitCode: 1,
      message: "option '-t, --target <n>' argument missing",
    });
  });

  it("returns help when help is asked for, even with a repeated flag", () => {
    expect(parse("--target", "1", "--target", "2", "--help")).toEqual({
      help: expect.stringContaining("Usage: probe"),
    });
  });
});

describe("parseDecimal", () => {
  it.each<[string, number]>([
    ["10000", 10000],
    ["0.8", 0.8],
    [".5", 0.5],
    ["-3", -3],
    ["1e4", 10000],
    ["000000000000000000001", 1],
    ["0.000000000000000000001", 1e-21],
    ["999999999999999", 999999999999999],
    ["0", 0],
    ["0e999", 0],
  ])("reads %s", (text, value) => {
    expect(parseDecimal("--n", text)).toBe(value);
  });

  it.each<[string, string]>([
    ["lots", '--n must be a number, got "lots"'],
    ["0x10", '--n must be a number, got "0x10"'],
    [" 5", '--n must be a number, got " 5"'],
    ["", '--n must be a number, got ""'],
    [
      "99999999999999999999",
      `--n must be a number of at most ${MAX_NUMBER_DIGITS} digits, got "99999999999999999999" (20 digits)`,
    ],
    [
      "1.0000000000000001",
      `--n must be a number of at most ${MAX_NUMBER_DIGITS} digits, got "1.0000000000000001" (17 digits)`,
    ],
    ["1e400", '--n must be a number from 1e-300 to 1e300 in size (or 0), got "1e400"'],
    ["-1e400", '--n must be a number from 1e-300 to 1e300 in size (or 0), got "-1e400"'],
    ["1e-400", '--n must be a number from 1e-300 to 1e300 in size (or 0), got "1e-400"'],
  ])("fails when the value is %j, quoting it as typed", (text, message) => {
    expect(() => parseDecimal("--n", text)).toThrow(message);
  });

  it("says what the flag takes when the value is no number", () => {
    expect(() => parseDecimal("--sessions", "abc", "an integer from 1 to 100000")).toThrow(
      '--sessions must be an integer from 1 to 100000, got "abc"',
    );
  });
});
