/**
 * Deploys one environment's stack into a local emulator of the Platform API, exactly as a user deploys it into an
 * org: the real app synthesizes it (with the provider's `gateway` block on), the real Terraform CLI and
 * genesyscloud provider apply it. The emulator is seeded with the org objects the environment file refers to
 * (its agents' groups, skill groups and teams, two demo agents in each), as a real org already has them.
 *
 * Used by `npm run demo`; the end-to-end suites do the same steps with more checks.
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { stringify } from "yaml";
import type { EnvironmentConfig } from "../config/environment";
import type { Seed } from "../emulator/seed";
import { createEmulator, type Emulator } from "../emulator/server";
import { shardMapFromState, type ShardMap } from "../shard-map";
import { localStateFileName, stackName } from "../genesys";
import { WORK_FOLDER_ENTRIES, claimWorkFolder } from "./work-folder";

export {
  WORK_FOLDER_ENTRIES,
  WORK_FOLDER_MARKER,
  WorkFolderError,
  claimWorkFolder,
  type WorkFolderClaim,
} from "./work-folder";

const ROOT = resolve(__dirname, "..");

/** A deploy step that failed: one readable line, the command's output tail in `detail`. */
export class LocalDeployError extends Error {
  constructor(
    message: string,
    readonly detail = "",
  ) {
    super(message);
    this.name = "LocalDeployError";
  }
}

/** What `deployToEmulator` needs. */
export interface LocalDeployOptions {
  /** The validated environment (the entry point loads it). */
  readonly environment: EnvironmentConfig;
  /**
   * Working folder for the environment copy, cdktf.out and the state: a new or empty folder, or one an earlier
   * deploy marked (see claimWorkFolder); any other folder is refused before anything starts.
   */
  readonly workdir: string;
  /** Emulator port; 0 picks a free one. */
  readonly port: number;
  /**
   * The emulator's time scale: a minute of its guest connection ceilings lasts 60 / timeScale seconds, to match a
   * rehearsal's `--time-scale`.
   * @default 1
   */
  readonly timeScale?: number;
  /** Receives one line per step. */
  readonly progress: (line: string) => void;
}

/** A deployed environment: the running emulator, its token and the shard map from the state. */
export interface LocalDeployment extends LocalEmulator {
  readonly shardMap: ShardMap;
  readonly stateFile: string;
  readonly stackDir: string;
}

/** The org objects an environment refers to, with two demo agents in each. */
export function seedFor(environment: EnvironmentConfig): Seed {
  const agents = environment.agents;
  const kinds = {
    groups: agents?.groups ?? [],
    skillGroups: agents?.skillGroups ?? [],
    teams: agents?.teams ?? [],
  };
  const users: { name: string; email: string }[] = [];
  const grouping = (kind: string) => (name: string, i: number) => {
    const members = [1, 2].map((n) => {
      const email = `agent-${kind}-${i}-${n}@emulated.example.com`;
      users.push({ name: `Demo Agent ${kind} ${i}.${n}`, email });
      return email;
    });
    return { name, members };
  };
  return {
    groups: kinds.groups.map(grouping("group")),
    skillGroups: kinds.skillGroups.map(grouping("skill-group")),
    teams: kinds.teams.map(grouping("team")),
    users,
  };
}

/** Runs a command to completion; throws a LocalDeployError with the output's tail on failure. */
async function run(
  command: string,
  args: readonly string[],
  cwd: string,
  env: Record<string, string | undefined>,
  what: string,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const child = spawn(command, [...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number>((done, fail) => {
      child.on("error", fail);
      child.on("close", (status) => done(status ?? 1));
    });
    if (code === 0) return;
    if (providerConfigureRace(output) && attempt <= PROVIDER_CONFIGURE_RETRIES) continue;
    throw new LocalDeployError(`${what} failed (exit ${code})`, output.split("\n").slice(-40).join("\n"));
  }
}

/** How often a Terraform command is run again after the provider's configure-time crash below. */
export const PROVIDER_CONFIGURE_RETRIES = 2;

/**
 * True when Terraform failed because genesyscloud 1.82.0 crashed while it was being configured with a `gateway`
 * block: its client pool fills itself from several goroutines, each reading the gateway block from the same
 * provider config (`setupGateway`, provider.go:435, from `SDKClientPool.preFill`, sdk_client_pool.go:252), and the
 * plugin SDK's config reader is not safe for that ("fatal error: concurrent map writes"). It happens rarely, in
 * `ConfigureProvider`, before any API call or state change, so running the same command again is safe.
 */
export function providerConfigureRace(output: string): boolean {
  return output.includes("concurrent map writes") && output.includes("ConfigureProvider");
}

/** Where a local deploy of one environment keeps its files, all under one working folder. */
export interface LocalStackPaths {
  /** The folder main.ts reads environment files from (GENESYS_ENVIRONMENTS_DIR). */
  readonly environmentsDir: string;
  /** The cdktf output folder (CDKTF_OUTDIR). */
  readonly outdir: string;
  /** The stack's Terraform working directory. */
  readonly stackDir: string;
  /** The local state file the environment's backend is forced to. */
  readonly stateFile: string;
}

/** The paths of `name`'s stack under `workdir`. */
export function localStackPaths(workdir: string, name: string): LocalStackPaths {
  const stack = stackName(name);
  const outdir = join(workdir, WORK_FOLDER_ENTRIES.outdir);
  return {
    environmentsDir: join(workdir, WORK_FOLDER_ENTRIES.environments),
    outdir,
    stackDir: join(outdir, "stacks", stack),
    stateFile: join(workdir, localStateFileName(stack)),
  };
}

/**
 * Writes an environment file (its backend forced to local state under the working folder, never the environment's
 * real backend) and synthesizes it with the real app, `tsx main.ts`, as `npm run synth` does, with the provider's
 * gateway block on. Throws a LocalDeployError with the app's output on failure.
 */
export async function synthLocalStack(
  file: Readonly<Record<string, unknown>> & { readonly name: string },
  paths: LocalStackPaths,
  gatewayEnv: Readonly<Record<string, string>>,
): Promise<void> {
  mkdirSync(paths.environmentsDir, { recursive: true });
  const local = { ...file, backend: { type: "local", path: paths.stateFile } };
  writeFileSync(join(paths.environmentsDir, `${file.name}.yaml`), stringify(local));
  await run(
    process.execPath,
    [join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), join(ROOT, "main.ts")],
    ROOT,
    {
      ...process.env,
      GENESYS_ENVIRONMENTS_DIR: paths.environmentsDir,
      CDKTF_OUTDIR: paths.outdir,
      ...gatewayEnv,
    },
    `synth of ${stackName(file.name)}`,
  );
}

/** A running emulator seeded for an environment, the token it accepts and the variables that point at it. */
export interface LocalEmulator {
  readonly emulator: Emulator;
  readonly token: string;
  /** The variables that point the provider, the preflight and the rehearsal at this emulator. */
  readonly env: Readonly<Record<string, string>>;
}

/** Starts an emulator on 127.0.0.1 seeded with the org objects `environment` names (see seedFor). */
export async function startLocalEmulator(
  environment: EnvironmentConfig,
  options: Pick<LocalDeployOptions, "port" | "timeScale">,
): Promise<LocalEmulator> {
  const token = `local-${randomBytes(18).toString("base64url")}`;
  const emulator = await createEmulator({
    host: "127.0.0.1",
    port: options.port,
    accessTokens: [token],
    seedObjects: seedFor(environment),
    guest: { timeScale: options.timeScale ?? 1 },
  });
  const env = {
    GENESYSCLOUD_ACCESS_TOKEN: token,
    GENESYSCLOUD_GATEWAY_HOST: "127.0.0.1",
    GENESYSCLOUD_GATEWAY_PORT: String(emulator.port),
    GENESYSCLOUD_GATEWAY_PROTOCOL: "http",
  };
  return { emulator, token, env };
}

/**
 * Claims the working folder (refusing, before anything else, a folder it did not make), starts an emulator,
 * synthesizes the environment's stack for it and applies it with Terraform. The emulator keeps running: close it
 * when done. On failure the emulator is closed and a LocalDeployError thrown.
 * @throws WorkFolderError when the working folder may not be used; nothing was started or written then.
 */
export async function deployToEmulator(options: LocalDeployOptions): Promise<LocalDeployment> {
  const { environment } = options;
  const workdir = resolve(options.workdir);
  claimWorkFolder(workdir);
  const stack = stackName(environment.name);
  const paths = localStackPaths(workdir, environment.name);
  const { stackDir, stateFile } = paths;

  options.progress("provider: installing the pinned genesyscloud provider (scripts/provider-install.sh)");
  const install = spawnSync("bash", [join(ROOT, "scripts", "provider-install.sh")], {
    cwd: ROOT,
    encoding: "utf8",
  });
  if (install.status !== 0) {
    throw new LocalDeployError("the genesyscloud provider could not be installed", install.stderr.trim());
  }

  const { emulator, token, env } = await startLocalEmulator(environment, options);
  try {
    options.progress(`emulator: listening on ${emulator.url}`);
    options.progress(`synth: ${stack} with the provider's gateway block`);
    // The validated file, defaults applied, as plain data.
    await synthLocalStack(JSON.parse(JSON.stringify(environment)), paths, env);
    const terraformEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TF_CLI_CONFIG_FILE: join(ROOT, ".provider", "terraformrc"),
      CHECKPOINT_DISABLE: "1",
      TF_IN_AUTOMATION: "1",
      ...env,
    };
    options.progress("terraform: init");
    await run("terraform", ["init", "-input=false", "-no-color"], stackDir, terraformEnv, "terraform init");
    options.progress("terraform: apply (each Messenger deployment waits 10 s in the provider)");
    await run(
      "terraform",
      ["apply", "-input=false", "-auto-approve", "-no-color"],
      stackDir,
      terraformEnv,
      "terraform apply",
    );
    const shardMap = shardMapFromState(environment.name, readFileSync(stateFile, "utf8"), stateFile);
    return { emulator, token, shardMap, stateFile, stackDir, env };
  } catch (error) {
    await emulator.close();
    throw error;
  }
}
