import { EXIT_CODES, main } from "../../cli/shards";

/** Runs `shards` in process and captures what it prints. */
async function run(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

/** 10,000 sessions at 50 new/min: a 200 min ramp, in a 120 min window. */
const OVER_WINDOW = ["--target", "10000", "--arrivals-per-minute", "50", "--window-minutes", "120"];

describe("shards: the ramp", () => {
  it("says how long the ramp to the target takes", async () => {
    const { code, stdout } = await run("--target", "10000", "--arrivals-per-minute", "50");
    expect(code).toBe(EXIT_CODES.ok);
    expect(stdout).toContain(
      "  ramp: 200 min to open 10000 sessions at 50/min (each shard ramps at that rate times its share of the sessions)\n",
    );
    expect(stdout).not.toContain("ramp-exceeds-window");
  });

  it("warns when the ramp outlasts --window-minutes, and keeps exit 0", async () => {
    const { code, stdout, stderr } = await run(...OVER_WINDOW);
    expect(code).toBe(EXIT_CODES.ok);
    expect(stderr).toBe("");
    expect(stdout).toContain(
      "  [warning] ramp-exceeds-window: the ramp takes 200 min (10000 sessions at 50 new/min), longer than the " +
        "120 min window: ramp at 84 new/min or more, or book 200 min\n",
    );
  });

  it("carries the ramp and its warnings in the JSON", async () => {
    const { stdout } = await run(...OVER_WINDOW, "--json");
    const plan = JSON.parse(stdout);
    expect(plan.ramp).toEqual({ sessions: 10000, perMinute: 50, minutes: 200 });
    expect(plan.rampWarnings).toEqual([expect.objectContaining({ code: "ramp-exceeds-window" })]);
    const fits = JSON.parse((await run("--target", "10000", "--arrivals-per-minute", "50", "--json")).stdout);
    expect(fits.rampWarnings).toEqual([]);
    expect(JSON.parse((await run("--target", "100", "--json")).stdout).ramp).toBeNull();
  });

  it("checks an environment's ramp with --env", async () => {
    // prod: 10,000 sessions at 1,200 new/min, 8.33 min.
    const { code, stdout } = await run("--env", "prod", "--window-minutes", "5");
    expect(code).toBe(EXIT_CODES.ok);
    expect(stdout).toContain("ramp-exceeds-window: the ramp takes 8.33 min");
  });

  it.each([
    [
      ["--target", "100", "--window-minutes", "60"],
      "shards: --window-minutes needs an arrival rate above 0 to time the ramp (--arrivals-per-minute, or " +
        "capacity.peakArrivalsPerMinute in the environment file)",
    ],
    [
      ["--target", "100", "--arrivals-per-minute", "5", "--window-minutes", "0"],
      'shards: --window-minutes must be > 0, got "0"',
    ],
  ])("fails when the command line is %j, with one line", async (argv, line) => {
    const { code, stdout, stderr } = await run(...argv);
    expect(code).toBe(EXIT_CODES.badInput);
    expect(stdout).toBe("");
    expect(stderr).toBe(`${line}\n`);
  });
});
