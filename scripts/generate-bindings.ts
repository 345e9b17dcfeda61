/**
 * Generates the TypeScript bindings in `.gen/` from the committed schema snapshot of the real provider
 * (`provider/schema/genesyscloud-<version>.json.gz`), keeping only the resource and data-source types listed in
 * `provider/genesyscloud.json`. No network, Go or Terraform is needed. Runs on `npm ci` (postinstall) and
 * through `npm run provider:generate`.
 *
 * Without a snapshot it says so and exits 0 during install (so `npm ci` still works while the provider cannot
 * be built, see the README's Status), and exits 1 when run directly.
 */
import { existsSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { ConstructsMakerProviderTarget, LANGUAGES, TerraformProviderConstraint } from "@cdktf/commons";
import { CodeMaker, TerraformProviderGenerator } from "@cdktf/provider-generator";
import { pruneSchema, providerPin, schemaSnapshotPath, type ProviderSchemaJson } from "../provider/schema";

const ROOT = join(__dirname, "..");

async function main(): Promise<number> {
  const duringInstall = process.argv.includes("--if-present");
  const pin = providerPin();
  const snapshot = schemaSnapshotPath(pin.version);
  if (!existsSync(snapshot)) {
    const message = `provider: no schema snapshot at ${snapshot}; bindings not generated (run npm run provider:refresh once the provider can be built)`;
    console.error(message);
    return duringInstall ? 0 : 1;
  }
  const schema = JSON.parse(gunzipSync(readFileSync(snapshot)).toString("utf8")) as ProviderSchemaJson;
  const pruned = pruneSchema(schema, pin);
  const out = join(ROOT, ".gen");
  rmSync(join(out, "providers", "genesyscloud"), { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  // Generated for the exact constraint, as `cdktf get` does with cdktf.json's terraformProviders, so every
  // synthesized stack requires exactly the pinned version (scripts/check-bindings.sh proves the two agree).
  const code = new CodeMaker();
  const generator = new TerraformProviderGenerator(code, pruned as never);
  generator.generate(
    new ConstructsMakerProviderTarget(
      new TerraformProviderConstraint(`${pin.source}@${pin.version}`),
      LANGUAGES[0],
    ),
  );
  await generator.save(out);
  writeFileSync(join(out, "provider-version.json"), `${JSON.stringify({ version: pin.version }, null, 2)}\n`);
  console.log(`provider: bindings for ${pin.source}@${pin.version} generated in .gen/`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`provider: binding generation failed: ${error.message}`);
    process.exit(1);
  },
);
