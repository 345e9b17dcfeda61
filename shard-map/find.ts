/**
 * Finding the deployed state of an environment and its shard map: state files given by the caller, else the
 * local backend's state file, else (an initialized remote backend) `terraform state pull`; before a deploy, the
 * plan's shares. A split environment's base and every shard group's state are found alike and merged.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { EnvironmentConfig } from "../config/environment";
import { planEnvironment } from "../config/plan";
import {
  DEFAULT_SHARDS_PER_GROUP,
  defaultLocalStatePath,
  shardGroupStackName,
  shardGroups,
} from "../genesys";
import { ShardMapError, identityOf, shardMapFromPlan, type ShardMap } from "./map";
import {
  isSplitBase,
  parseStackState,
  readStackStateFile,
  shardMapFromGroupStates,
  shardMapFromStackState,
  type StackState,
} from "./state";

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

/** Where a stack is synthesized and, with a local backend, its state. */
export interface EnvironmentStatePaths {
  /** The stack's name: `gc-<env>`, or a shard group's `gc-<env>-shards-<k>`. */
  readonly stack: string;
  /** `cdktf.out/stacks/<stack>`, where Terraform runs. */
  readonly stackDir: string;
  /** The local backend's state file (its `backend.path`, else the default); undefined for a remote backend. */
  readonly localStateFile: string | undefined;
}

/**
 * The paths of `environment`'s stack under `root`, or with `group` of its shard group's stack: the base's local
 * path with `-shards-<k>` before `.tfstate` (else appended), or the group stack's default path, as
 * stacks/shard-group-stack.ts `shardGroupBackend` writes the group's backend (a test holds the two together).
 */
export function environmentStatePaths(
  environment: EnvironmentConfig,
  root: string = ROOT,
  group?: number,
): EnvironmentStatePaths {
  const base = identityOf(environment.name).stack;
  const stack = group === undefined ? base : shardGroupStackName(environment.name, group);
  const stackDir = join(root, "cdktf.out", "stacks", stack);
  const backend = environment.backend;
  if (backend.type !== "local") return { stack, stackDir, localStateFile: undefined };
  const suffix = `-shards-${group}`;
  const path =
    backend.path === undefined
      ? defaultLocalStatePath(stack)
      : group === undefined
        ? backend.path
        : backend.path.endsWith(".tfstate")
          ? `${backend.path.slice(0, -".tfstate".length)}${suffix}.tfstate`
          : `${backend.path}${suffix}`;
  // A local backend's path is relative to where Terraform runs, as the stack's backend block writes it.
  return { stack, stackDir, localStateFile: resolve(stackDir, path) };
}

/** What `environmentShardMap` needs. */
export interface EnvironmentShardMapRequest {
  /** The validated environment. */
  readonly environment: EnvironmentConfig;
  /** How messages name the environment file, e.g. "environments/dev.yaml". */
  readonly environmentLabel: string;
  /**
   * Terraform state files of the deployed stacks (e.g. from `terraform state pull`), in any order: the one stack's,
   * or a split environment's base and every group's. @default - found as above
   */
  readonly stateFiles?: readonly string[];
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

/** A stack's state as found: read, or why none was. */
type Found = { readonly state: StackState } | { readonly missing: string };

/**
 * The shard map of an environment: from `stateFiles` when given, else from a local backend's state file or an
 * initialized remote backend (`terraform state pull`), else the plan's shares with a note saying why. An
 * environment split into shard groups (its base's state has a `capacity_plan` and no `shard_map`) is read from
 * every group's state too, found the same way, and merged into one map (`shardMapFromGroupStates`).
 * @throws ShardMapError when a state is found but unusable: not a state, without the outputs, another
 *   environment's, or a group's state missing.
 */
export function environmentShardMap(request: EnvironmentShardMapRequest): FoundShardMap {
  const { environment } = request;
  const identity = identityOf(environment.name);
  const label = request.label ?? ((file: string) => file);
  const now = request.now ?? new Date();
  const perGroup = environment.capacity.shardsPerGroup ?? DEFAULT_SHARDS_PER_GROUP;
  if (request.stateFiles !== undefined && request.stateFiles.length > 0) {
    for (const file of request.stateFiles)
      if (!existsSync(file)) throw new ShardMapError(`--state ${file}: no such file`);
    const states = request.stateFiles.map((file) => readStackStateFile(file));
    const bases = states.filter((state) => state.capacityPlan !== undefined);
    if (states.length === 1 || bases.length !== 1 || !isSplitBase(bases[0])) {
      if (states.length === 1) return { map: shardMapFromStackState(identity, states[0], now) };
      throw new ShardMapError(
        bases.length === 1
          ? `--state: ${bases[0].where} is a whole environment's state (it has a shard_map), so give it alone`
          : `--state: give the state of ${identity.stack} (the one with a capacity_plan output) once, with every ` +
              `shard group's, got ${bases.length} with a capacity_plan among ${states.length} files`,
      );
    }
    const groups = states.filter((state) => state !== bases[0]);
    return { map: shardMapFromGroupStates(identity, bases[0], groups, perGroup, now) };
  }
  const root = request.root;
  const find = (group?: number): Found => {
    const { stack, stackDir, localStateFile } = environmentStatePaths(environment, root, group);
    if (localStateFile !== undefined) {
      return existsSync(localStateFile)
        ? { state: readStackStateFile(localStateFile, label(localStateFile)) }
        : { missing: `no state file ${label(localStateFile)}` };
    }
    if (!existsSync(join(stackDir, ".terraform")))
      return { missing: `cdktf.out/stacks/${stack} is not initialized (terraform init)` };
    const pulled = (request.terraform ?? runTerraform)(["state", "pull"], stackDir);
    if (pulled.status === 0 && pulled.stdout.trim() !== "")
      return { state: parseStackState(pulled.stdout, `${stack} (terraform state pull)`) };
    if (pulled.status !== 0) {
      const reason = pulled.stderr.split("\n").find((line) => line.trim() !== "") ?? `exit ${pulled.status}`;
      return { missing: `terraform state pull failed: ${reason.trim()}` };
    }
    return { missing: "terraform state pull gave an empty state" };
  };
  const base = find();
  if ("state" in base) {
    if (!isSplitBase(base.state)) return { map: shardMapFromStackState(identity, base.state, now) };
    const deployed = base.state.capacityPlan?.shards ?? 0;
    const groups: StackState[] = [];
    const missing: string[] = [];
    for (const group of shardGroups(deployed, perGroup)) {
      const found = find(group.index);
      if ("state" in found) groups.push(found.state);
      else missing.push(`${shardGroupStackName(environment.name, group.index)}: ${found.missing}`);
    }
    // Every group's problem at once; a missing group is named by its stack.
    if (missing.length > 0) {
      throw new ShardMapError(
        missing.map(
          (line) =>
            `${line}: this shard group of ${identity.stack} is not deployed here; deploy it or pass every stack's state with --state`,
        ),
      );
    }
    return { map: shardMapFromGroupStates(identity, base.state, groups, perGroup, now) };
  }
  const why = base.missing.startsWith("terraform state pull failed") ? base.missing : "no state found";
  return {
    map: shardMapFromPlan(environment.name, planEnvironment(environment, request.environmentLabel)),
    note:
      `${identity.stack} is not deployed here (${why}): the plan's shares from ${request.environmentLabel}, ids ` +
      "empty; pass --state <file> for a deployed stack",
  };
}
