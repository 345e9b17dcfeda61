/**
 * The rewrites of the switch to CDK Terrain (scripts/cdktn/rewrite.ts) and the Node version rule
 * (scripts/cdktn/scratch.ts): package names, module specifiers and `cdktf` commands change; mentions of
 * cdktf.json and cdktf.out, which CDK Terrain keeps, do not.
 */
import {
  CDKTN_VERSION,
  CONSTRUCTS_FOR_CDKTN,
  cdktnPackage,
  formatRewrite,
  rewriteCommands,
  rewritePackageJson,
  rewriteSource,
  rewriteWorkflow,
  rewriterFor,
} from "../../scripts/cdktn/rewrite";
import { nodeSatisfiesCdktn } from "../../scripts/cdktn/scratch";

describe("cdktnPackage", () => {
  it.each([
    ["cdktf", "cdktn"],
    ["cdktf-cli", "cdktn-cli"],
    ["@cdktf/provider-generator", "@cdktn/provider-generator"],
    ["@cdktf/commons", "@cdktn/commons"],
    ["constructs", undefined],
    ["cdktf-injector", undefined],
  ])("%s → %s", (name, expected) => {
    expect(cdktnPackage(name)).toBe(expected);
  });
});

describe("rewriteSource", () => {
  it("rewrites every kind of module specifier, with its line", () => {
    const source = [
      'import { App, TerraformStack } from "cdktf";',
      'import type { TerraformStack as S } from "cdktf";',
      'import "cdktf/lib/testing/adapters/jest";',
      "const { Testing } = require('cdktf');",
      'const lazy = await import("cdktf");',
      'import { CodeMaker } from "@cdktf/provider-generator";',
      'export { Token } from "cdktf";',
    ].join("\n");
    const { text, rewrites } = rewriteSource("x.ts", source);
    expect(text).toBe(
      [
        'import { App, TerraformStack } from "cdktn";',
        'import type { TerraformStack as S } from "cdktn";',
        'import "cdktn/lib/testing/adapters/jest";',
        "const { Testing } = require('cdktn');",
        'const lazy = await import("cdktn");',
        'import { CodeMaker } from "@cdktn/provider-generator";',
        'export { Token } from "cdktn";',
      ].join("\n"),
    );
    expect(rewrites.map(formatRewrite)).toEqual([
      "x.ts:1: cdktf → cdktn",
      "x.ts:2: cdktf → cdktn",
      "x.ts:3: cdktf/lib/testing/adapters/jest → cdktn/lib/testing/adapters/jest",
      "x.ts:4: cdktf → cdktn",
      "x.ts:5: cdktf → cdktn",
      "x.ts:6: @cdktf/provider-generator → @cdktn/provider-generator",
      "x.ts:7: cdktf → cdktn",
    ]);
  });

  it("leaves names CDK Terrain keeps, and other packages, alone", () => {
    const source = [
      'const out = join(root, "cdktf.out");',
      "// the cdktf app: see cdktf.json",
      'import { Construct } from "constructs";',
      'import { thing } from "cdktf-injector";',
      'const env = process.env.CDKTF_OUTDIR ?? "cdktf.out";',
    ].join("\n");
    expect(rewriteSource("y.ts", source)).toEqual({ text: source, rewrites: [] });
  });
});

describe("rewriteCommands and rewriteWorkflow", () => {
  it("renames cdktf commands, keeping what surrounds them", () => {
    const { text, rewrites } = rewriteCommands(
      ".ci/run",
      "CHECKPOINT_DISABLE=1 cdktf synth\n(cd x && npx cdktf get --force >/dev/null)\nrm -rf cdktf.out",
    );
    expect(text).toBe(
      "CHECKPOINT_DISABLE=1 cdktn synth\n(cd x && npx cdktn get --force >/dev/null)\nrm -rf cdktf.out",
    );
    expect(rewrites.map(formatRewrite)).toEqual([
      ".ci/run:1: cdktf synth → cdktn synth",
      ".ci/run:2: npx cdktf get → npx cdktn get",
    ]);
  });

  it("raises a workflow's Node to 22, which cdktn-cli 0.24 needs", () => {
    const { text, rewrites } = rewriteWorkflow(
      ".github/workflows/plan.yml",
      "      - uses: actions/setup-node@v4\n        with:\n          node-version: 20\n          cache: npm",
    );
    expect(text).toContain("          node-version: 22\n");
    expect(rewrites).toEqual([
      { file: ".github/workflows/plan.yml", line: 3, from: "node-version: 20", to: "node-version: 22" },
    ]);
  });
});

describe("rewritePackageJson", () => {
  const pkg = {
    name: "genesys-cloud-cdktf",
    engines: { node: ">=20.19" },
    scripts: {
      synth: "CHECKPOINT_DISABLE=1 DISABLE_VERSION_CHECK=1 cdktf synth",
      test: "node scripts/run-tests.mjs",
    },
    dependencies: { ajv: "^8.20.0", cdktf: "0.21.0", constructs: "^10.4.2" },
    devDependencies: {
      "@cdktf/commons": "0.21.0",
      "@cdktf/provider-generator": "0.21.0",
      "cdktf-cli": "0.21.0",
    },
  };

  it("swaps every cdktf package for its cdktn namesake at the pinned version, in the same section", () => {
    const { pkg: next } = rewritePackageJson(pkg);
    expect(next.dependencies).toEqual({
      ajv: "^8.20.0",
      cdktn: CDKTN_VERSION,
      constructs: CONSTRUCTS_FOR_CDKTN,
    });
    expect(next.devDependencies).toEqual({
      "@cdktn/commons": CDKTN_VERSION,
      "@cdktn/provider-generator": CDKTN_VERSION,
      "cdktn-cli": CDKTN_VERSION,
    });
    expect(next.scripts).toEqual({
      synth: "CHECKPOINT_DISABLE=1 DISABLE_VERSION_CHECK=1 cdktn synth",
      test: "node scripts/run-tests.mjs",
    });
    expect(next.engines).toEqual({ node: ">=22.19" });
    expect(next.name).toBe("genesys-cloud-cdktf");
  });

  it("lists each change and leaves its input alone", () => {
    const before = JSON.stringify(pkg);
    const { rewrites } = rewritePackageJson(pkg);
    expect(JSON.stringify(pkg)).toBe(before);
    expect(rewrites.map(formatRewrite)).toEqual([
      "package.json: dependencies: cdktf 0.21.0 → dependencies: cdktn 0.24.0",
      "package.json: dependencies: constructs ^10.4.2 → dependencies: constructs 10.7.2 (cdktn 0.24.0 peer: >=10.6.0 <10.8.0)",
      "package.json: devDependencies: @cdktf/commons 0.21.0 → devDependencies: @cdktn/commons 0.24.0",
      "package.json: devDependencies: @cdktf/provider-generator 0.21.0 → devDependencies: @cdktn/provider-generator 0.24.0",
      "package.json: devDependencies: cdktf-cli 0.21.0 → devDependencies: cdktn-cli 0.24.0",
      "package.json: scripts.synth: cdktf synth → cdktn synth",
      "package.json: engines.node >=20.19 → engines.node >=22.19 (cdktn-cli's engines)",
    ]);
  });
});

describe("rewriterFor", () => {
  it.each([
    ["stacks/app.ts", "rewriteSource"],
    ["test/setup.js", "rewriteSource"],
    ["eslint.config.mjs", "rewriteSource"],
    [".github/workflows/plan.yml", "rewriteWorkflow"],
    ["scripts/check-bindings.sh", "rewriteCommands"],
    [".ci/run", "rewriteCommands"],
    [".gen/providers/genesyscloud/flow/index.ts", undefined],
    ["README.md", undefined],
    ["cdktf.json", undefined],
  ])("%s gets %s", (file, expected) => {
    expect(rewriterFor(file)?.name).toBe(expected);
  });
});

describe("nodeSatisfiesCdktn", () => {
  it.each([
    ["v20.20.2", false],
    ["22.18.0", false],
    ["v22.19.0", true],
    ["v22.23.3", true],
    ["v24.1.0", true],
  ])("%s → %s", (version, expected) => {
    expect(nodeSatisfiesCdktn(version)).toBe(expected);
  });
});
