/**
 * `genesys-cdktf` (cli/main.ts, run by cli/bin.cjs): the overview lists every subcommand and the exit-code table,
 * each subcommand is reachable, a missing or unknown one is one line and exit 2, and the npm scripts are aliases.
 */
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { accessSync, constants, readFileSync } from "node:fs";
import { join } from "node:path";
import { EXIT, EXIT_MEANINGS, exitCodesHelp, type ExitName } from "../../cli/exit-codes";
import { PROGRAM, SUBCOMMANDS, main } from "../../cli/main";

const ROOT = join(__dirname, "../..");
const BIN = join(ROOT, "cli/bin.cjs");

/** Runs the dispatcher in process and captures what it writes. */
async function run(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(
    argv,
    {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
    },
    {},
  );
  return { code, stdout, stderr };
}

/** Every command line that names one command: each subcommand, and each of their subcommands. */
const COMMANDS = SUBCOMMANDS.flatMap((command) => [
  { words: [command.name], exits: command.exits },
  ...(command.subcommands ?? []).map((sub) => ({ words: [command.name, sub.name], exits: sub.exits })),
]);

describe("genesys-cdktf --help", () => {
  it("lists every subcommand with its exit codes, and the exit-code table", async () => {
    const { code, stdout, stderr } = await run("--help");
    expect([code, stderr]).toEqual([EXIT.ok, ""]);
    expect(stdout).toContain(`Usage: ${PROGRAM} <command> [options]`);
    for (const command of COMMANDS) {
      const codes = Object.keys(EXIT)
        .filter((name) => name in command.exits)
        .map((name) => EXIT[name as ExitName]);
      expect(stdout).toMatch(new RegExp(`^  ${command.words.join(" ")} .* exits ${codes.join(" ")}$`, "m"));
    }
    for (const name of Object.keys(EXIT) as ExitName[]) {
      expect(stdout).toMatch(new RegExp(`^ *${EXIT[name]}  ${escape(EXIT_MEANINGS[name])}$`, "m"));
    }
  });

  it("lists the subcommands, their exit codes and the table in this order", async () => {
    expect((await run("--help")).stdout).toMatchInlineSnapshot(`
"Usage: genesys-cdktf <command> [options]
   or: npm run --silent <command> -- [options]   (the npm scripts are aliases)

Commands:
  shards           plan web messaging shards for a peak load (flags, or --env <env>)                       exits 0 2 3
  preflight        check an environment's plan against the org's live limits                               exits 0 2 3 4
  shard-map        write an environment's shard map (CSV or JSON) for a load test                          exits 0 2
  plan-summary     review a saved Terraform plan of a stack (shards, destroys, API cost)                   exits 0 2 3
  rehearse         drive guest sessions along a shard map: the emulator, an approved org (also: loadtest)  exits 0 2 3 4 130
  rehearse report  merge several machines' rehearse --out results                                          exits 0 2
  watch            live capacity per shard during a load test                                              exits 0 2 3 4 130
  demo             deploy an environment into the local emulator and print its shard map                   exits 0 1 2
  emulator         the local Genesys Cloud Platform API emulator                                           exits 0 1 2 130

genesys-cdktf <command> --help shows a command's options and what its exit codes mean.

Exit codes, the same in every command:
    0  done, and the answer is yes (a plan, it fits, written, nothing refused)
    1  the work failed (a deploy into the emulator, an emulator that could not start)
    2  bad usage or input, rejected credentials (one line on stderr)
    3  the answer is no: infeasible, does not fit, refused, above headroom, destructive
    4  unreachable: the org's API or the guest endpoint
  130  interrupted: Ctrl-C stopped a rehearsal, or a second one came while stopping
"
`);
  });

  it.each([["-h"], ["help"]])("prints the same for %s", async (flag) => {
    expect(await run(flag)).toEqual(await run("--help"));
  });
});

describe("genesys-cdktf <command> --help", () => {
  it.each(COMMANDS.map((command) => [command.words.join(" "), command] as const))(
    "reaches %s: its help, with what its exit codes mean, exit 0",
    async (_name, command) => {
      const { code, stdout, stderr } = await run(...command.words, "--help");
      expect([code, stderr]).toEqual([EXIT.ok, ""]);
      expect(stdout).toMatch(/^Usage: /);
      expect(stdout).toContain(exitCodesHelp(command.exits));
    },
  );

  it("answers to an alias as to the command: loadtest is rehearse", async () => {
    expect(await run("loadtest", "--help")).toEqual(await run("rehearse", "--help"));
  });

  it("help <command> is <command> --help", async () => {
    expect(await run("help", "shard-map")).toEqual(await run("shard-map", "--help"));
  });
});

describe("genesys-cdktf: bad usage", () => {
  const names = SUBCOMMANDS.map((command) => command.name).join(", ");

  it("fails when the command is unknown: one line, exit 2", async () => {
    expect(await run("shard", "--target", "5")).toEqual({
      code: EXIT.badInput,
      stdout: "",
      stderr: `genesys-cdktf: unknown command "shard" (commands: ${names}; genesys-cdktf --help lists them)\n`,
    });
  });

  it("fails when no command is given: one line, exit 2", async () => {
    expect(await run()).toEqual({
      code: EXIT.badInput,
      stdout: "",
      stderr: `genesys-cdktf: a command is required (commands: ${names}; genesys-cdktf --help lists them)\n`,
    });
  });

  it("passes a command's bad usage on to it: its one line, exit 2", async () => {
    expect(await run("plan-summary", "--format", "html", "plan.json")).toEqual({
      code: EXIT.badInput,
      stdout: "",
      stderr:
        "plan-summary: option '--format <format>' argument 'html' is invalid. Allowed choices are markdown, text.\n",
    });
  });
});

describe("the bin and the npm scripts", () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));

  it("is package.json's bin, executable", () => {
    expect(pkg.bin).toEqual({ [PROGRAM]: "cli/bin.cjs" });
    expect(() => accessSync(BIN, constants.X_OK)).not.toThrow();
  });

  it.each(SUBCOMMANDS.map((command) => [command.name]))("npm run %s is an alias of the bin", (name) => {
    // exec: `npm run emulator … &` then `kill $!` must stop the emulator itself (test/emulator/stop.test.ts).
    const exec = name === "emulator" ? "exec " : "";
    expect(pkg.scripts[name]).toBe(`${exec}node cli/bin.cjs ${name}`);
  });

  it.each(SUBCOMMANDS.flatMap((command) => (command.aliases ?? []).map((alias) => [alias, command.name])))(
    "npm run %s, an alias, runs what npm run %s runs",
    (alias, name) => {
      expect(pkg.scripts[alias]).toBe(pkg.scripts[name]);
    },
  );

  it("runs as a process, with the dispatcher's exit codes", () => {
    const help = spawnSync(process.execPath, [BIN, "--help"], { encoding: "utf8" });
    expect([help.status, help.stderr]).toEqual([EXIT.ok, ""]);
    expect(help.stdout).toContain(`Usage: ${PROGRAM} <command> [options]`);
    const unknown = spawnSync(process.execPath, [BIN, "nope"], { encoding: "utf8" });
    expect([unknown.status, unknown.stdout]).toEqual([EXIT.badInput, ""]);
    expect(unknown.stderr.split("\n")).toHaveLength(2);
  });
});

describe("a command that stops on a signal, run as the process", () => {
  it("stops the emulator cleanly on Ctrl-C (SIGINT): it closes, the port is free, exit 0", async () => {
    const child = spawn(process.execPath, [BIN, "emulator", "--port", "0"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      let output = "";
      child.stdout.setEncoding("utf8").on("data", (text: string) => (output += text));
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on("data", () => {
          const match = /listening on (http:\/\/\S+)/.exec(output);
          if (match) resolve(match[1]);
        });
        child.once("exit", (code) => reject(new Error(`the emulator exited with ${code}: ${output}`)));
      });
      expect((await fetch(`${url}/__emulator/stats`)).status).toBe(200);
      const exited = once(child, "exit");
      child.kill("SIGINT");
      expect(await exited).toEqual([EXIT.ok, null]);
      await expect(fetch(`${url}/__emulator/stats`)).rejects.toThrow();
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
  }, 30_000);
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
