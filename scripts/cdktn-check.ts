/**
 * `npm run cdktn:check`: proves the project runs unchanged on CDK Terrain (cdktn), cdktf's maintained successor,
 * and that switching is one mechanical step. In a scratch copy of the project (git's files, not node_modules):
 *
 * 1. with cdktf 0.21 as installed here (the checkout's node_modules, this Node): generate the bindings from the
 *    committed schema snapshot and synthesize every stack (`cdktf synth`);
 * 2. switch: rewrite package.json (cdktf → cdktn 0.24.0, cdktf-cli → cdktn-cli, @cdktf/* → @cdktn/*, constructs
 *    into cdktn's peer range, `cdktf` commands, engines), the imports, the `cdktf` commands in scripts and
 *    workflows, and list every rewrite; install (on Node 22 from npm when this Node is older than cdktn-cli's
 *    22.19; both cached under .tools/); generate the bindings with @cdktn/provider-generator; synthesize every
 *    stack with `cdktn synth`;
 * 3. compare: each stack's cdk.tf.json must be the same apart from the framework's metadata (the `"//"` blocks),
 *    and its other files (the flow assets) byte for byte; any difference is printed and fails the check;
 * 4. unless --no-deploy (these need Terraform and the provider mirror): scripts/check-bindings.sh as rewritten
 *    (`cdktn get` through the mirror must write the bindings the snapshot gave); then gc-dev, synthesized by cdktn
 *    with the provider's gateway block, deployed into the emulator through the real Terraform CLI and provider:
 *    apply, a second plan with no changes, destroy (scripts/cdktn/deploy.ts, run inside the switched copy);
 * 5. with --tests, the Jest suites of `npm test` under both frameworks; a test failing only under cdktn fails the check.
 *
 * Options: --no-deploy, --tests, --out <dir> (also write the switched copy, without node_modules, to a new
 * folder: a fork's starting point), --help. Exit 0 when everything held, 1 on a difference or a failed step
 * (one line, the command's output tail after it), 2 on bad usage. The scratch copy is removed in every case.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync } from "node:fs";
import { createHash } from "node:crypto";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { compareStack, formatDifferences, type JsonDifference } from "./cdktn/compare";
import type { DeployResult } from "./cdktn/deploy";
import { CDKTN_VERSION } from "./cdktn/rewrite";
import {
  ROOT,
  SwitchError,
  applySwitch,
  cliScript,
  copyProject,
  ensureCdktnInstall,
  ensureNode,
  envWithNode,
  formatRewrite,
  generateBindings,
  installedVersions,
  linkNodeModules,
  run,
  scratchFolder,
  terraformRcEnv,
  type RunResult,
} from "./cdktn/scratch";

const USAGE = `usage: npm run cdktn:check [-- --no-deploy] [--tests] [--out <new folder>]
  --no-deploy   skip what needs Terraform and the provider: the bindings check through the mirror, the deploy
  --tests       also run the unit tests (npm test's Jest suites) under both frameworks and compare
  --out <dir>   also write the switched copy (sources, package.json, lock file; no node_modules) to <dir>`;

const say = (line: string) => console.log(`cdktn:check: ${line}`);

/** Every file under `dir`, relative to it, sorted. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (at: string) => {
    for (const entry of readdirSync(at)) {
      const path = join(at, entry);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(relative(dir, path));
    }
  };
  walk(dir);
  return out.sort();
}

const sha256 = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

/** How the two frameworks' output folders compare. */
interface OutputComparison {
  readonly stacks: readonly string[];
  readonly lines: readonly string[];
  readonly failed: boolean;
  readonly metadata: readonly string[];
  readonly resources: number;
  readonly assets: number;
}

/** Compares two synth output folders (cdktf.out layout): manifest, every stack's cdk.tf.json and other files. */
function compareOutputs(cdktfOut: string, cdktnOut: string): OutputComparison {
  const lines: string[] = [];
  const metadata = new Set<string>();
  let failed = false;
  const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
  const [left, right] = [manifest(cdktfOut), manifest(cdktnOut)];
  const describe = (d: JsonDifference) => `${d.path}: ${JSON.stringify(d.left)} → ${JSON.stringify(d.right)}`;
  // The manifest's `version` is the framework's; everything else (stacks, paths, dependencies) must agree.
  if (left.version !== right.version)
    metadata.add(`manifest.json version: ${left.version} → ${right.version}`);
  const manifestDiff = compareStack({ ...left, version: undefined }, { ...right, version: undefined });
  if (!manifestDiff.same) {
    failed = true;
    lines.push(...formatDifferences("manifest.json", manifestDiff.differences));
  }
  const stacks = [...new Set([...Object.keys(left.stacks ?? {}), ...Object.keys(right.stacks ?? {})])].sort();
  let resources = 0;
  let assets = 0;
  for (const stack of stacks) {
    const [a, b] = [join(cdktfOut, "stacks", stack), join(cdktnOut, "stacks", stack)];
    const [filesA, filesB] = [filesUnder(a), filesUnder(b)];
    for (const file of [...new Set([...filesA, ...filesB])].sort()) {
      if (!filesA.includes(file) || !filesB.includes(file)) {
        failed = true;
        lines.push(`${stack}: ${file} is written only by ${filesA.includes(file) ? "cdktf" : "cdktn"}`);
        continue;
      }
      if (file !== "cdk.tf.json") {
        assets++;
        if (sha256(join(a, file)) !== sha256(join(b, file))) {
          failed = true;
          lines.push(`${stack}: ${file} differs between the frameworks`);
        }
        continue;
      }
      const jsonA = JSON.parse(readFileSync(join(a, file), "utf8"));
      const jsonB = JSON.parse(readFileSync(join(b, file), "utf8"));
      const comparison = compareStack(jsonA, jsonB);
      for (const block of [jsonA.resource ?? {}, jsonA.data ?? {}]) {
        for (const ofType of Object.values(block)) resources += Object.keys(ofType as object).length;
      }
      comparison.metadataDifferences.forEach((d) => metadata.add(describe(d)));
      if (!comparison.same) {
        failed = true;
        lines.push(...formatDifferences(stack, comparison.differences));
      }
    }
  }
  return { stacks, lines, failed, metadata: [...metadata], resources, assets };
}

/** How the generated bindings compare: files on one side only, identical once the library name is replaced, or not. */
function compareBindings(cdktfGen: string, cdktnGen: string): string {
  const [a, b] = [filesUnder(cdktfGen), filesUnder(cdktnGen)];
  const both = a.filter((file) => b.includes(file));
  let renamedOnly = 0;
  let changedLines = 0;
  const changedFiles: string[] = [];
  for (const file of both) {
    const left = readFileSync(join(cdktfGen, file), "utf8")
      .replace(/cdktf/g, "cdktn")
      .replace(/CDKTF/g, "CDKTN")
      .split("\n");
    const right = readFileSync(join(cdktnGen, file), "utf8").split("\n");
    if (left.join("\n") === right.join("\n")) {
      renamedOnly++;
      continue;
    }
    changedFiles.push(file);
    // Lines of one side missing from the other (a multiset difference: enough to size the change).
    const counts = new Map<string, number>();
    for (const line of left) counts.set(line, (counts.get(line) ?? 0) + 1);
    for (const line of right) counts.set(line, (counts.get(line) ?? 0) - 1);
    for (const n of counts.values()) changedLines += Math.abs(n);
  }
  const oneSide = a.length + b.length - 2 * both.length;
  return (
    `${both.length} files under both${oneSide ? `, ${oneSide} on one side only` : ""}; ` +
    `${renamedOnly} identical once cdktf is read as cdktn, ${changedFiles.length} differ in generated code ` +
    `(${changedLines} lines; the generator's own changes, not the schema's)`
  );
}

/** What one run of the unit tests found: passed count and the failing tests, "file › test name". */
interface TestRun {
  readonly passed: number;
  readonly failed: ReadonlySet<string>;
  readonly seconds: number;
}

/**
 * Runs the project's Jest suites (jest.config.js, what `npm test` runs) in `project` on `node`, with a private
 * TMPDIR inside the scratch folder. Jest is run directly rather than through scripts/run-tests.mjs, to read which
 * tests failed from its JSON results.
 */
async function unitTests(project: string, node: string, out: string, framework: string): Promise<TestRun> {
  const results = join(out, `jest-${framework}.json`);
  const tmp = join(out, `tmp-${framework}`);
  mkdirSync(tmp, { recursive: true });
  say(`tests: the Jest suites under ${framework} (npm test's; a few minutes)`);
  const started = Date.now();
  try {
    await run(node, ["node_modules/jest/bin/jest.js", "--ci", "--json", `--outputFile=${results}`], {
      cwd: project,
      env: envWithNode(node, { ...terraformRcEnv(), TMPDIR: tmp }),
      what: `the Jest suites under ${framework}`,
    });
  } catch (error) {
    if (!existsSync(results)) throw error; // Jest died before writing results
  }
  const json = JSON.parse(readFileSync(results, "utf8")) as {
    numPassedTests: number;
    testResults: {
      name: string;
      status: string;
      assertionResults: { fullName: string; status: string }[];
    }[];
  };
  const failed = new Set<string>();
  for (const file of json.testResults) {
    const name = relative(project, file.name);
    const failing = file.assertionResults.filter((test) => test.status === "failed");
    for (const test of failing) failed.add(`${name} › ${test.fullName}`);
    if (file.status === "failed" && failing.length === 0) failed.add(`${name} (the suite failed to run)`);
  }
  return { passed: json.numPassedTests, failed, seconds: (Date.now() - started) / 1000 };
}

interface Options {
  readonly deploy: boolean;
  readonly tests: boolean;
  readonly out?: string;
}

function parseOptions(argv: readonly string[]): Options | string {
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        "no-deploy": { type: "boolean", default: false },
        tests: { type: "boolean", default: false },
        out: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    });
    if (values.help) return "help";
    if (values.out !== undefined && existsSync(values.out)) {
      return `--out: ${values.out} exists; give a folder that does not exist yet`;
    }
    return { deploy: !values["no-deploy"], tests: values.tests, out: values.out };
  } catch (error) {
    return (error as Error).message;
  }
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (options === "help") {
    console.log(USAGE);
    return 0;
  }
  if (typeof options === "string") {
    console.error(`cdktn:check: ${options}\n${USAGE}`);
    return 2;
  }
  const started = Date.now();
  const node = await ensureNode(say);
  const scratch = scratchFolder("cdktn-check-");
  const project = join(scratch.dir, "project");
  const out = join(scratch.dir, "out");
  mkdirSync(project);
  const summary: string[] = [];
  let failed = false;
  try {
    const files = copyProject(project);
    say(
      `copy: ${files.length} files (git ls-files: tracked and new, as in the working tree) into a scratch folder`,
    );

    // 1. cdktf 0.21, as the project runs today (the checkout's node_modules, this Node).
    linkNodeModules(project, join(ROOT, "node_modules"));
    const cdktfVersions = installedVersions(project, [
      "cdktf",
      "cdktf-cli",
      "@cdktf/provider-generator",
      "constructs",
    ]);
    await generateBindings(project, process.execPath);
    cpSync(join(project, ".gen"), join(out, "gen-cdktf"), { recursive: true });
    const synthEnv = (nodePath: string) => {
      const env = envWithNode(nodePath, terraformRcEnv());
      // The stacks as `npm run synth` writes them for a real org: no gateway block (the deploy below has one).
      for (const name of Object.keys(env)) if (name.startsWith("GENESYSCLOUD_GATEWAY_")) delete env[name];
      return env;
    };
    const cdktfSynth: RunResult = await run(
      process.execPath,
      [cliScript(project, "cdktf"), "synth", "--output", join(out, "cdktf.out")],
      { cwd: project, env: synthEnv(process.execPath), what: "cdktf synth (before the switch)" },
    );
    say(
      `cdktf: bindings generated, every stack synthesized by cdktf ${cdktfVersions.cdktf} on Node ${process.version} (${cdktfSynth.seconds.toFixed(1)} s)`,
    );

    const cdktfTests = options.tests ? await unitTests(project, process.execPath, out, "cdktf") : undefined;

    // 2. The switch.
    const rewrites = applySwitch(project, files);
    const rewrittenFiles = new Set(rewrites.map((r) => r.file));
    say(`switch: ${rewrites.length} rewrites in ${rewrittenFiles.size} files:`);
    for (const rewrite of rewrites) console.log(`  ${formatRewrite(rewrite)}`);
    const install = await ensureCdktnInstall(project, node, say);
    linkNodeModules(project, install.nodeModules);
    const versions = installedVersions(project, [
      "cdktn",
      "cdktn-cli",
      "@cdktn/provider-generator",
      "@cdktn/commons",
      "constructs",
    ]);
    const wrong = Object.entries(versions).filter(
      ([name, v]) => name !== "constructs" && v !== CDKTN_VERSION,
    );
    if (wrong.length > 0) {
      throw new SwitchError(
        `install: expected ${CDKTN_VERSION}, got ${wrong.map(([n, v]) => `${n} ${v}`).join(", ")}`,
      );
    }
    const leftover = installedVersions(project, [
      "cdktf",
      "cdktf-cli",
      "@cdktf/provider-generator",
      "@cdktf/commons",
    ]);
    const stillThere = Object.entries(leftover).filter(([, v]) => v !== "missing");
    if (stillThere.length > 0) {
      throw new SwitchError(
        `install: cdktf packages still installed after the switch: ${stillThere.map(([n]) => n).join(", ")}`,
      );
    }
    say(
      `install: ${Object.entries(versions)
        .map(([n, v]) => `${n} ${v}`)
        .join(", ")} on Node ${node.version} (${node.source}); ` +
        (install.installed ? `npm install took ${install.seconds.toFixed(0)} s` : "reused .tools/cdktn"),
    );
    await generateBindings(project, node.path);
    const bindings = compareBindings(join(out, "gen-cdktf"), join(project, ".gen"));
    say(`bindings: @cdktn/provider-generator from provider/schema/; against cdktf's: ${bindings}`);
    const cdktnSynth = await run(
      node.path,
      [cliScript(project, "cdktn"), "synth", "--output", join(out, "cdktn.out")],
      { cwd: project, env: synthEnv(node.path), what: "cdktn synth (after the switch)" },
    );
    say(
      `cdktn: every stack synthesized by cdktn-cli ${versions["cdktn-cli"]} (${cdktnSynth.seconds.toFixed(1)} s)`,
    );

    // 3. Compare.
    const comparison = compareOutputs(join(out, "cdktf.out"), join(out, "cdktn.out"));
    for (const line of comparison.lines) console.log(line);
    const stacks = comparison.stacks.join(", ");
    if (comparison.failed) {
      failed = true;
      say(`synth: the frameworks wrote different stacks (above)`);
    }
    summary.push(
      `frameworks  cdktf ${cdktfVersions.cdktf} (cdktf-cli ${cdktfVersions["cdktf-cli"]}) on Node ${process.version} | ` +
        `cdktn ${versions.cdktn}, cdktn-cli ${versions["cdktn-cli"]}, @cdktn/provider-generator ${versions["@cdktn/provider-generator"]}, constructs ${versions.constructs} on Node ${node.version}`,
      `switch      ${rewrites.length} rewrites in ${rewrittenFiles.size} files (listed above); cdktf.json, cdktf.out/ and CDKTF_* unchanged`,
      `bindings    ${bindings}`,
      comparison.failed
        ? `synth       ${stacks}: DIFFERENT (above)`
        : `synth       ${stacks}: the same cdk.tf.json apart from framework metadata (${comparison.resources} resources and data sources; ${comparison.assets} asset files byte-identical)`,
      `metadata    ${
        comparison.metadata.length === 0
          ? "identical"
          : comparison.metadata.slice(0, 10).join("; ") +
            (comparison.metadata.length > 10 ? `; … and ${comparison.metadata.length - 10} more` : "")
      }`,
      `synth time  cdktf synth ${cdktfSynth.seconds.toFixed(1)} s, cdktn synth ${cdktnSynth.seconds.toFixed(1)} s (all stacks, through each CLI)`,
    );

    if (options.out) {
      cpSync(project, options.out, {
        recursive: true,
        filter: (source) => !/[\\/](node_modules|\.gen)$/.test(source),
      });
      say(
        `out: the switched copy is in ${options.out} (no node_modules or .gen: npm install generates them)`,
      );
    }

    // 4. One deploy under cdktn.
    if (options.deploy) {
      await run("bash", [join(ROOT, "scripts", "provider-install.sh")], {
        cwd: ROOT,
        what: "scripts/provider-install.sh",
      });
      // The harness and check-bindings.sh take the provider from <root>/.provider/terraformrc: the copy links the
      // checkout's mirror.
      symlinkSync(join(ROOT, ".provider"), join(project, ".provider"), "dir");
      // CI's bindings check, as the switch rewrote it: `npx cdktn get` through the mirror must write the same
      // bindings as @cdktn/provider-generator from the snapshot.
      const bindingsCheck = await run("bash", ["scripts/check-bindings.sh"], {
        cwd: project,
        env: envWithNode(node.path),
        what: "scripts/check-bindings.sh under cdktn (cdktn get through the provider mirror)",
      });
      summary.push(
        `get         scripts/check-bindings.sh under cdktn: ${bindingsCheck.output
          .trim()
          .split("\n")
          .pop()
          ?.replace(/^check-bindings: /, "")} (${bindingsCheck.seconds.toFixed(1)} s)`,
      );
      const resultFile = join(out, "deploy.json");
      try {
        await run(
          node.path,
          [
            join(project, "node_modules", "tsx", "dist", "cli.mjs"),
            "scripts/cdktn/deploy.ts",
            "dev",
            "--result",
            resultFile,
          ],
          {
            cwd: project,
            env: envWithNode(node.path, terraformRcEnv()),
            what: "the cdktn deploy of gc-dev into the emulator",
          },
        );
      } catch (error) {
        if (!existsSync(resultFile)) throw error;
      }
      const deploy = JSON.parse(readFileSync(resultFile, "utf8")) as DeployResult;
      if (!deploy.ok) {
        failed = true;
        say(`deploy: ${deploy.stack} failed at ${deploy.failed}`);
        if (deploy.detail) console.log(deploy.detail);
      }
      summary.push(
        deploy.ok
          ? `deploy      ${deploy.stack} (synthesized by cdktn with the gateway block) into the emulator, real Terraform CLI and provider: ` +
              `${deploy.created} resources created (${deploy.applyRequests} requests, ${deploy.applySeconds?.toFixed(1)} s), ` +
              `second plan no changes (${deploy.replanRequests} requests), ${deploy.destroyed} destroyed (${deploy.destroyRequests} requests), ` +
              `${deploy.leftAfterDestroy} objects left, ${deploy.unexpected?.length ?? 0} unexpected answers`
          : `deploy      ${deploy.stack}: FAILED at ${deploy.failed} ${JSON.stringify({ ...deploy, detail: undefined })}`,
      );
    } else {
      summary.push("deploy      skipped (--no-deploy)");
    }

    // 5. The unit tests, on request: the same copy's tests under each framework; a test that fails under both is
    // the project's, one that fails only under cdktn is the switch's and fails the check.
    if (cdktfTests) {
      const cdktnTests = await unitTests(project, node.path, out, "cdktn");
      const onlyCdktn = [...cdktnTests.failed].filter((test) => !cdktfTests.failed.has(test));
      const onlyCdktf = [...cdktfTests.failed].filter((test) => !cdktnTests.failed.has(test));
      const both = [...cdktnTests.failed].filter((test) => cdktfTests.failed.has(test));
      for (const test of onlyCdktn) console.log(`  fails only under cdktn: ${test}`);
      for (const test of onlyCdktf) console.log(`  fails only under cdktf: ${test}`);
      if (onlyCdktn.length > 0) failed = true;
      summary.push(
        `tests       npm test's suites under cdktf: ${cdktfTests.passed} passed, ${cdktfTests.failed.size} failed (${cdktfTests.seconds.toFixed(0)} s); ` +
          `under cdktn: ${cdktnTests.passed} passed, ${cdktnTests.failed.size} failed (${cdktnTests.seconds.toFixed(0)} s); ` +
          `${onlyCdktn.length} fail only under cdktn${onlyCdktn.length ? " (listed above)" : ""}, ${both.length} under both (the project's own), ${onlyCdktf.length} only under cdktf`,
      );
    }
  } catch (error) {
    if (!(error instanceof SwitchError)) throw error;
    say(error.message);
    if (error.detail) console.log(error.detail);
    summary.push(`failed      ${error.message}`);
    failed = true;
  } finally {
    scratch.remove();
  }
  const seconds = Math.round((Date.now() - started) / 1000);
  summary.push(`result      ${failed ? "FAILED" : "passed"} in ${seconds} s`);
  console.log(`\ncdktn:check summary\n${summary.map((line) => `  ${line}`).join("\n")}`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`cdktn:check: unexpected error: ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
