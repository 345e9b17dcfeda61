/**
 * The stacks of an environment, from `cdktf.out/manifest.json`, and how the CI scripts run Terraform in them.
 *
 *   npx tsx scripts/ci/stacks.ts --environments       # ["dev","prod","test"]: one JSON array, for a matrix
 *   npx tsx scripts/ci/stacks.ts dev                  # gc-dev, then its groups, one a line
 *
 * An environment's base stack is `gc-<env>` (no dependency); its shard-group stacks are the stacks that depend on
 * it (`gc-<env>-shards-<k>`, in k order). An environment of one stack has no groups.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { providerConfigureRace, PROVIDER_CONFIGURE_RETRIES } from "../../local-deploy";

export const REPO_ROOT = resolve(__dirname, "../..");

/** One stack of cdktf.out/manifest.json. */
export interface ManifestStack {
  readonly name: string;
  readonly workingDirectory: string;
  readonly dependencies: readonly string[];
}

/** The stacks of one environment, in the order they deploy. */
export interface EnvironmentStacks {
  readonly environment: string;
  readonly base: string;
  /** Shard-group stacks, k ascending; empty for a single-stack environment. */
  readonly groups: readonly string[];
}

export class CiInputError extends Error {}

/** Reads `<outdir>/manifest.json`. */
export function readManifest(outdir: string): Record<string, ManifestStack> {
  const file = join(outdir, "manifest.json");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new CiInputError(`${file}: not found (run npm run synth first)`);
  }
  const stacks = (JSON.parse(text) as { stacks?: Record<string, ManifestStack> }).stacks;
  if (!stacks) throw new CiInputError(`${file}: no "stacks" (not a cdktf manifest)`);
  return stacks;
}

/** The group index of `gc-<env>-shards-<k>`, else undefined. */
export function groupIndex(stack: string): number | undefined {
  const match = /-shards-(\d+)$/.exec(stack);
  return match ? Number(match[1]) : undefined;
}

/** The environments of a manifest: every stack with no dependency is a base `gc-<env>`. */
export function environmentsOf(stacks: Record<string, ManifestStack>): string[] {
  return Object.values(stacks)
    .filter((stack) => stack.dependencies.length === 0 && stack.name.startsWith("gc-"))
    .map((stack) => stack.name.slice("gc-".length))
    .sort();
}

/** `environment`'s base and groups; the groups are the stacks depending on the base. */
export function environmentStacks(
  stacks: Record<string, ManifestStack>,
  environment: string,
): EnvironmentStacks {
  const base = `gc-${environment}`;
  if (!stacks[base]) {
    throw new CiInputError(
      `no stack ${base} in the manifest (stacks: ${Object.keys(stacks).sort().join(", ") || "none"})`,
    );
  }
  const groups = Object.values(stacks)
    .filter((stack) => stack.dependencies.includes(base))
    .map((stack) => stack.name)
    .sort((a, b) => (groupIndex(a) ?? 0) - (groupIndex(b) ?? 0));
  return { environment, base, groups };
}

/** The Terraform working directory of `stack`. */
export function stackDir(outdir: string, stack: string): string {
  return join(outdir, "stacks", stack);
}

/**
 * The variables Terraform runs `stack` with: for group k, its own OAuth client when
 * `GENESYSCLOUD_OAUTHCLIENT_ID_SHARDS_<k>` / `_SECRET_SHARDS_<k>` are set (as `TF_VAR_oauthclient_id` /
 * `_secret`, README "Credentials per group"), else the environment's client.
 */
export function stackEnv(stack: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const k = groupIndex(stack);
  const groupSecrets = groupClientSecrets(env);
  const id = k === undefined ? undefined : groupSecrets[`GENESYSCLOUD_OAUTHCLIENT_ID_SHARDS_${k}`];
  const secret = k === undefined ? undefined : groupSecrets[`GENESYSCLOUD_OAUTHCLIENT_SECRET_SHARDS_${k}`];
  const own = id && secret ? { TF_VAR_oauthclient_id: id, TF_VAR_oauthclient_secret: secret } : {};
  // The secrets' JSON stops here: Terraform and the provider get only this stack's client.
  const rest = { ...env };
  delete rest[GROUP_SECRETS_VARIABLE];
  return { ...rest, TF_IN_AUTOMATION: "1", TF_INPUT: "0", ...own };
}

/** The variable a workflow fills with `toJSON(secrets)`, so any number of groups need no `env:` line each. */
export const GROUP_SECRETS_VARIABLE = "GENESYSCLOUD_GROUP_SECRETS";

const GROUP_CLIENT_KEY = /^GENESYSCLOUD_OAUTHCLIENT_(ID|SECRET)_SHARDS_\d+$/;

/**
 * The groups' OAuth clients: the `GENESYSCLOUD_OAUTHCLIENT_{ID,SECRET}_SHARDS_<k>` variables, and the same keys
 * out of {@link GROUP_SECRETS_VARIABLE} (a JSON object of the GitHub environment's secrets; every other key in it
 * is ignored and never passed on). A variable set directly wins.
 */
export function groupClientSecrets(env: NodeJS.ProcessEnv): Readonly<Record<string, string>> {
  const found: Record<string, string> = {};
  const json = env[GROUP_SECRETS_VARIABLE];
  if (json) {
    let secrets: unknown;
    try {
      secrets = JSON.parse(json);
    } catch {
      throw new CiInputError(
        `${GROUP_SECRETS_VARIABLE} must be a JSON object (toJSON(secrets)), and is not JSON`,
      );
    }
    if (typeof secrets === "object" && secrets !== null) {
      for (const [key, value] of Object.entries(secrets)) {
        if (GROUP_CLIENT_KEY.test(key) && typeof value === "string" && value) found[key] = value;
      }
    }
  }
  for (const [key, value] of Object.entries(env)) {
    if (GROUP_CLIENT_KEY.test(key) && value) found[key] = value;
  }
  return found;
}

export interface RunResult {
  readonly code: number;
  readonly output: string;
}

/**
 * Runs `terraform <args>` in `cwd` (asynchronously, so groups run side by side), its output collected and, when
 * `echo` is given, written there line by line prefixed with the stack. Runs again after the provider's rare
 * configure-time crash (local-deploy's providerConfigureRace: no API call was made).
 */
export async function terraform(
  cwd: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  echo?: (line: string) => void,
): Promise<RunResult> {
  for (let attempt = 1; ; attempt++) {
    const result = await runOnce(cwd, args, env, echo);
    if (result.code !== 0 && providerConfigureRace(result.output) && attempt <= PROVIDER_CONFIGURE_RETRIES) {
      echo?.(`terraform ${args[0]}: the provider crashed while being configured; running it again`);
      continue;
    }
    return result;
  }
}

function runOnce(
  cwd: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  echo?: (line: string) => void,
): Promise<RunResult> {
  return new Promise((done) => {
    const child = spawn("terraform", [...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    let pending = "";
    const collect = (data: Buffer): void => {
      const text = data.toString();
      output += text;
      if (!echo) return;
      const lines = (pending + text).split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) echo(line);
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.on("error", (error) => done({ code: 127, output: `${output}${error.message}\n` }));
    child.on("close", (code) => {
      if (echo && pending) echo(pending);
      done({ code: code ?? 1, output });
    });
  });
}

/** Parses `--name value` options and positional words; unknown options are a CiInputError. */
export function parseArgs(
  argv: readonly string[],
  known: { readonly values: readonly string[]; readonly flags: readonly string[] },
): { positional: string[]; values: Map<string, string>; flags: Set<string> } {
  const positional: string[] = [];
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (!word.startsWith("--")) positional.push(word);
    else if (known.flags.includes(word)) flags.add(word);
    else if (known.values.includes(word)) {
      const value = argv[++i];
      if (value === undefined) throw new CiInputError(`${word} needs a value`);
      values.set(word, value);
    } else throw new CiInputError(`unknown option ${word}`);
  }
  return { positional, values, flags };
}

/** Runs a script's main, mapping a CiInputError to one line and exit 2. */
export function runMain(name: string, main: (argv: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof CiInputError) {
        process.stderr.write(`${name}: ${error.message}\n`);
        process.exitCode = 2;
      } else {
        throw error;
      }
    },
  );
}

async function main(argv: string[]): Promise<number> {
  const { positional, values, flags } = parseArgs(argv, { values: ["--outdir"], flags: ["--environments"] });
  const stacks = readManifest(values.get("--outdir") ?? "cdktf.out");
  if (flags.has("--environments")) {
    process.stdout.write(`${JSON.stringify(environmentsOf(stacks))}\n`);
    return 0;
  }
  if (positional.length !== 1) throw new CiInputError("usage: stacks.ts <environment> | --environments");
  const { base, groups } = environmentStacks(stacks, positional[0]);
  process.stdout.write(`${[base, ...groups].join("\n")}\n`);
  return 0;
}

if (require.main === module) runMain("stacks", main);
