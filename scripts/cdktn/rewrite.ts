/**
 * The switch from CDK for Terraform 0.21 to CDK Terrain, as text rewrites of a copy of the project: the package
 * names in package.json (cdktf → cdktn, cdktf-cli → cdktn-cli, @cdktf/* → @cdktn/*, at the pinned version, and
 * constructs within cdktn's peer range), the module specifiers in the sources, and the `cdktf` commands in npm
 * scripts, shell scripts and workflows. `cdktf.json`, `cdktf.out/` and the `CDKTF_*` variables keep their names:
 * CDK Terrain reads them as they are (its upgrade guide, cdktn.io/docs/release/upgrade-guide-v0-22).
 *
 * Pure: text in, text and the list of what changed out. scripts/cdktn/scratch.ts applies it to a copy.
 */

/** The CDK Terrain release the switch installs, the same for every package of the family. */
export const CDKTN_VERSION = "0.24.0";
/** cdktn 0.24.0's peer range is constructs >=10.6.0 <10.8.0; npm's latest (10.8.x) is outside it. */
export const CONSTRUCTS_FOR_CDKTN = "10.7.2";
/** cdktn-cli 0.24.0's `engines.node`. */
export const CDKTN_NODE_RANGE = ">=22.19";

/** One change the switch made: where, and what became what. */
export interface Rewrite {
  /** The file, relative to the project root. */
  readonly file: string;
  /** 1-based line, when the change is on one line of a text file. */
  readonly line?: number;
  readonly from: string;
  readonly to: string;
}

/** The CDK Terrain name of a cdktf package name, or undefined when it is not one of cdktf's packages. */
export function cdktnPackage(name: string): string | undefined {
  if (name === "cdktf") return "cdktn";
  if (name === "cdktf-cli") return "cdktn-cli";
  if (name.startsWith("@cdktf/")) return `@cdktn/${name.slice("@cdktf/".length)}`;
  return undefined;
}

/**
 * A module specifier in an import, an export … from, a dynamic import, a require or a jest.mock: the package name
 * (`cdktf`, `cdktf-cli` or `@cdktf/<name>`) and an optional deep path (`cdktf/lib/testing/adapters/jest`).
 * Strings that merely mention cdktf (`"cdktf.out"`, `"cdktf.json"`) are not specifiers and stay.
 */
const SPECIFIER =
  /(\bfrom\s*|\bimport\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bjest\.mock\s*\(\s*)(["'])(cdktf-cli|cdktf|@cdktf\/[a-z0-9._-]+)((?:\/[^"'\n]*)?)\2/g;

/** Rewrites the cdktf module specifiers of a source file; answers the new text and one Rewrite per change. */
export function rewriteSource(file: string, text: string): { text: string; rewrites: Rewrite[] } {
  const rewrites: Rewrite[] = [];
  const lines = text.split("\n").map((line, index) =>
    line.replace(SPECIFIER, (match, lead: string, quote: string, name: string, deep: string) => {
      const renamed = cdktnPackage(name);
      if (renamed === undefined) return match;
      rewrites.push({ file, line: index + 1, from: `${name}${deep}`, to: `${renamed}${deep}` });
      return `${lead}${quote}${renamed}${deep}${quote}`;
    }),
  );
  return { text: lines.join("\n"), rewrites };
}

/** A `cdktf <command>` invocation in an npm script, a shell script or a workflow. */
const COMMAND =
  /(^|[\s"'`;&|(])(npx\s+)?cdktf(\s+(?:get|synth|diff|deploy|destroy|output|list|watch|provider|init)\b)/g;

/** Rewrites `cdktf <command>` to `cdktn <command>` (the CLI's binary is named `cdktn`). */
export function rewriteCommands(file: string, text: string): { text: string; rewrites: Rewrite[] } {
  const rewrites: Rewrite[] = [];
  const lines = text.split("\n").map((line, index) =>
    line.replace(COMMAND, (_match, lead: string, npx: string | undefined, rest: string) => {
      const from = `${npx ?? ""}cdktf${rest}`;
      const to = `${npx ?? ""}cdktn${rest}`;
      rewrites.push({ file, line: index + 1, from, to });
      return `${lead}${to}`;
    }),
  );
  return { text: lines.join("\n"), rewrites };
}

/** `node-version: 20` in a GitHub workflow becomes 22: cdktn-cli 0.24 needs Node 22.19 or newer. */
export function rewriteWorkflow(file: string, text: string): { text: string; rewrites: Rewrite[] } {
  const commands = rewriteCommands(file, text);
  const rewrites = [...commands.rewrites];
  const lines = commands.text.split("\n").map((line, index) =>
    line.replace(
      /^(\s*node-version:\s*)(["']?)(1[0-9]|2[01])(["']?)\s*$/,
      (_m, lead: string, q1: string, v: string, q2: string) => {
        rewrites.push({ file, line: index + 1, from: `node-version: ${v}`, to: "node-version: 22" });
        return `${lead}${q1}22${q2}`;
      },
    ),
  );
  return { text: lines.join("\n"), rewrites };
}

/** The parts of package.json the switch touches. */
export interface PackageJson {
  engines?: Record<string, string>;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  [key: string]: unknown;
}

/**
 * package.json for CDK Terrain: each cdktf package replaced by its cdktn namesake at CDKTN_VERSION (in the same
 * dependency section and order), constructs pinned inside cdktn's peer range, `cdktf` commands in the scripts
 * renamed, and engines.node raised to what cdktn-cli requires. Answers a new object; the input is not changed.
 */
export function rewritePackageJson(pkg: PackageJson): { pkg: PackageJson; rewrites: Rewrite[] } {
  const file = "package.json";
  const rewrites: Rewrite[] = [];
  const next: PackageJson = { ...pkg };
  for (const section of ["dependencies", "devDependencies"] as const) {
    const deps = pkg[section];
    if (!deps) continue;
    const renamed: Record<string, string> = {};
    for (const [name, range] of Object.entries(deps)) {
      const cdktn = cdktnPackage(name);
      if (cdktn !== undefined) {
        renamed[cdktn] = CDKTN_VERSION;
        rewrites.push({
          file,
          from: `${section}: ${name} ${range}`,
          to: `${section}: ${cdktn} ${CDKTN_VERSION}`,
        });
      } else if (name === "constructs" && range !== CONSTRUCTS_FOR_CDKTN) {
        renamed[name] = CONSTRUCTS_FOR_CDKTN;
        rewrites.push({
          file,
          from: `${section}: constructs ${range}`,
          to: `${section}: constructs ${CONSTRUCTS_FOR_CDKTN} (cdktn ${CDKTN_VERSION} peer: >=10.6.0 <10.8.0)`,
        });
      } else {
        renamed[name] = range;
      }
    }
    next[section] = renamed;
  }
  if (pkg.scripts) {
    const scripts: Record<string, string> = {};
    for (const [name, command] of Object.entries(pkg.scripts)) {
      const { text, rewrites: changed } = rewriteCommands(file, command);
      scripts[name] = text;
      for (const change of changed)
        rewrites.push({ file, from: `scripts.${name}: ${change.from}`, to: change.to });
    }
    next.scripts = scripts;
  }
  if (pkg.engines?.node !== undefined && pkg.engines.node !== CDKTN_NODE_RANGE) {
    next.engines = { ...pkg.engines, node: CDKTN_NODE_RANGE };
    rewrites.push({
      file,
      from: `engines.node ${pkg.engines.node}`,
      to: `engines.node ${CDKTN_NODE_RANGE} (cdktn-cli's engines)`,
    });
  }
  return { pkg: next, rewrites };
}

/** Which rewrite a project file gets, by its path relative to the root; undefined for none. */
export function rewriterFor(
  file: string,
): ((file: string, text: string) => { text: string; rewrites: Rewrite[] }) | undefined {
  if (/(^|\/)(node_modules|\.gen)\//.test(file)) return undefined;
  if (/\.(ts|tsx|js|mjs|cjs)$/.test(file)) return rewriteSource;
  if (/^\.github\/workflows\/.+\.ya?ml$/.test(file)) return rewriteWorkflow;
  if (/\.sh$/.test(file) || file === ".ci/run") return rewriteCommands;
  return undefined;
}

/** "file:line from → to", one line per rewrite. */
export function formatRewrite(rewrite: Rewrite): string {
  const where = rewrite.line === undefined ? rewrite.file : `${rewrite.file}:${rewrite.line}`;
  return `${where}: ${rewrite.from} → ${rewrite.to}`;
}
