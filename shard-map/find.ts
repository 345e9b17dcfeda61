/**
 * Finding the deployed state of an environment and its shard map: a state file given by the caller, else the
 * local backend's state file, else (an initialized remote backend) `terraform state pull`; before a deploy, the
 * plan's shares.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { EnvironmentConfig } from "../config/environment";
import { planEnvironment } from "../config/plan";
import { defaultLocalStatePath } from "../genesys";
import { ShardMapError, identityOf, shardMapFromPlan, type ShardMap } from "./map";
import { readStateFile, shardMapFromState } from "./state";

/** The project root: `cdktf.out/` is synthesized here, and the default local state lives here. */
const ROOT = resolve(__dirname, "..");

/** Runs the Terraform CLI with `args` in `cwd`. */
export type TerraformRunner = (
  args: readonly string[],
  cwd: string,
) => { readonly status: number | null; readonly stdout: string; readonly stderr: string };

const runTerraform: TerraformRunner = (args, cwd) => {
  const result = spawnSync("terraform", [...args], { cwd, encoding: "utf8" });
  return {
    status: result.status,
    stdout: result.stdout ?? "",
    stderr: result.stderr ?? String(result.error ?? ""),
  };
};

/** Where an environment's stack is synthesized and, with a local backend, its state. */
export interface EnvironmentStatePaths {
  /** `cdktf.out/stacks/<stack>`, where Terraform runs. */
  readonly stackDir: string;
  /** The local backend's state file (its `backend.path`, else the default); undefined for a remote backend. */
  readonly localStateFile: string | undefined;
}

/** The paths of `environment`'s stack under `root`. */
export function environmentStatePaths(
  environment: EnvironmentConfig,
  root: string = ROOT,
): EnvironmentStatePaths {
  const { stack } = identityOf(environment.name);
  const stackDir = join(root, "cdktf.out", "stacks", stack);
  const backend = environment.backend;
  return {
    stackDir,
    // A local backend's path is relative to where Terraform runs, as the stack's backend block writes it.
    localStateFile:
      backend.type === "local" ? resolve(stackDir, backend.path ?? defaultLocalStatePath(stack)) : undefined,
  };
}

/** What `environmentShardMap` needs. */
export interface EnvironmentShardMapRequest {
  /** The validated environment. */
  readonly environment: EnvironmentConfig;
  /** How messages name the environment file, e.g. "environments/dev.yaml". */
  readonly environmentLabel: string;
  /** A Terraform state file of the deployed stack (e.g. from `terraform state pull`). @default - found as above */
  readonly stateFile?: string;
  /** Names a local state file in messages. @default - its path */
  readonly label?: (file: string) => string;
  /** The project root. @default - this checkout */
  readonly root?: string;
  /** Runs the Terraform CLI. @default - `terraform` on the PATH */
  readonly terraform?: TerraformRunner;
  /** The time the map is read at. @default - now */
  readonly now?: Date;
}

/** A shard map, and a note for stderr when it is only the plan's. */
export interface FoundShardMap {
  readonly map: ShardMap;
  readonly note?: string;
}

/**
 * The shard map of an environment: from `stateFile` when given, else from a local backend's state file or an
 * initialized remote backend (`terraform state pull`), else the plan's shares with a note saying why.
 * @throws ShardMapError when a state is found but unusable: not a state, without the outputs, or another
 *   environment's.
 */
export function environmentShardMap(request: EnvironmentShardMapRequest): FoundShardMap {
  const { environment } = request;
  const identity = identityOf(environment.name);
  const label = request.label ?? ((file: string) => file);
  const now = request.now ?? new Date();
  if (request.stateFile !== undefined) {
    if (!existsSync(request.stateFile)) throw new ShardMapError(`--state ${request.stateFile}: no such file`);
    return { map: readStateFile(identity, request.stateFile, request.stateFile, now) };
  }
  const { stackDir, localStateFile } = environmentStatePaths(environment, request.root);
  let why = "no state found";
  if (localStateFile !== undefined) {
    if (existsSync(localStateFile))
      return { map: readStateFile(identity, localStateFile, label(localStateFile), now) };
  } else if (existsSync(join(stackDir, ".terraform"))) {
    const pulled = (request.terraform ?? runTerraform)(["state", "pull"], stackDir);
    const where = `${identity.stack} (terraform state pull)`;
    if (pulled.status === 0 && pulled.stdout.trim() !== "")
      return { map: shardMapFromState(identity, pulled.stdout, where, { readAt: now }) };
    if (pulled.status !== 0) {
      const reason = pulled.stderr.split("\n").find((line) => line.trim() !== "") ?? `exit ${pulled.status}`;
      why = `terraform state pull failed: ${reason.trim()}`;
    }
  }
  return {
    map: shardMapFromPlan(environment.name, planEnvironment(environment, request.environmentLabel)),
    note:
      `${identity.stack} is not deployed here (${why}): the plan's shares from ${request.environmentLabel}, ids ` +
      "empty; pass --state <file> for a deployed stack",
  };
}
