/**
 * How every command finds an environment file, the same way: a path to a `.yaml`/`.yml` file, or a name in the
 * folder GENESYS_ENVIRONMENTS_DIR names (relative to the working directory) when it is set, else environments/.
 * Every problem is one EnvironmentError line, which the command prints as `<command>: <line>` with exit 2.
 */
import {
  ENVIRONMENTS_DIR_VARIABLE,
  environmentFile,
  environmentLabel,
  environmentsDirFrom,
  listEnvironments,
  loadEnvironment,
  requireEnvironments,
  resolveEnvironmentFile,
  type EnvironmentConfig,
} from "../config/environment";
import type { CliEnv } from "./command";

/** An environment a command was given, read and validated. */
export interface CommandEnvironment {
  readonly environment: EnvironmentConfig;
  /** How messages name its file: `environments/prod.yaml`, relative to the working directory when inside it. */
  readonly label: string;
  /** The folder environment names resolve in (GENESYS_ENVIRONMENTS_DIR or environments/). */
  readonly dir: string;
}

/**
 * Reads the environment `nameOrPath` names, with GENESYS_ENVIRONMENTS_DIR from `env`. A name given while the
 * variable names a folder that does not exist or holds no environment file fails on the folder, not the name.
 * @throws EnvironmentError, one line per problem.
 */
export function loadCommandEnvironment(nameOrPath: string, env: CliEnv): CommandEnvironment {
  const folder = environmentsDirFrom(env);
  const file = resolveEnvironmentFile(nameOrPath, folder.dir);
  const byName = file === environmentFile(nameOrPath, folder.dir);
  if (byName && env[ENVIRONMENTS_DIR_VARIABLE]?.trim()) requireEnvironments(folder);
  return {
    environment: loadEnvironment(nameOrPath, folder.dir),
    label: environmentLabel(file),
    dir: folder.dir,
  };
}

/** `environments: dev, prod, test` (or why there are none), for a message that asks for an environment. */
export function knownEnvironments(env: CliEnv): string {
  try {
    return `environments: ${listEnvironments(environmentsDirFrom(env).dir).join(", ") || "none"}`;
  } catch {
    return "no environments folder";
  }
}
