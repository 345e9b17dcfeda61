/**
 * One deploy of an environment's stack synthesized by CDK Terrain, into the local emulator through the real
 * Terraform CLI and genesyscloud provider: synth (the `cdktn` CLI, with the provider's gateway block on), init,
 * apply, a second plan that must have no changes, destroy, and the emulator must hold none of the stack's
 * objects afterwards and have answered nothing the real API would not.
 *
 * scripts/cdktn-check.ts runs this file inside its switched scratch copy, on Node 22 with cdktn installed, so
 * every import below (the harness, local-deploy, the app it synthesizes) resolves to the switched copy:
 *
 *   node22 node_modules/tsx/dist/cli.mjs scripts/cdktn/deploy.ts [env] --result <file.json>
 *
 * It reuses the end-to-end harness (test/e2e/harness.ts: emulator on a free port, Terraform with the mirror's CLI
 * config and the gateway variables) and local-deploy's seed and paths. Exit 0 when every step held, 1 otherwise.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { stringify } from "yaml";
import { loadEnvironment } from "../../config/environment";
import { localStackPaths, seedFor } from "../../local-deploy";
import { requestsByResourceType, startEmulator, Terraform, unexpectedAnswers } from "../../test/e2e/harness";
import { run } from "./scratch";

const ROOT = resolve(__dirname, "..", "..");

/** What the deploy did, for the check's summary. */
export interface DeployResult {
  readonly stack: string;
  readonly ok: boolean;
  /** The step that failed, when one did. */
  readonly failed?: string;
  readonly synthSeconds?: number;
  readonly created?: number;
  readonly applyRequests?: number;
  readonly applySeconds?: number;
  /** 0: the second plan has no changes (terraform plan -detailed-exitcode). */
  readonly replanExitCode?: number;
  readonly replanRequests?: number;
  readonly destroyed?: number;
  readonly destroyRequests?: number;
  readonly destroySeconds?: number;
  /** The stack's objects the emulator still holds after destroy (the org's seeded groups aside). */
  readonly leftAfterDestroy?: number;
  /** Answers the real API never gives (see unexpectedAnswers): must be none. */
  readonly unexpected?: readonly string[];
  readonly requestsByType?: Record<string, number>;
  readonly detail?: string;
}

/** The emulator collections a gc-<env> stack creates objects in. */
const STACK_COLLECTIONS = [
  "queues",
  "flows",
  "webDeployments",
  "webDeploymentConfigurations",
  "wrapupcodes",
  "integrations",
  "integrationActions",
  "integrationCredentials",
];

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const resultAt = args.indexOf("--result");
  const resultFile = resultAt >= 0 ? args[resultAt + 1] : undefined;
  const name = args.find((arg, i) => !arg.startsWith("--") && i !== resultAt + 1) ?? "dev";
  const environment = loadEnvironment(name);
  const stack = `gc-${environment.name}`;
  const workdir = mkdtempSync(join(tmpdir(), "cdktn-deploy-"));
  const paths = localStackPaths(workdir, environment.name);
  const emulator = await startEmulator({ seedObjects: seedFor(environment) });
  let result: DeployResult = { stack, ok: false };
  let step = "synth";
  try {
    // The validated file with its defaults, its state forced into the workspace (never the real backend).
    mkdirSync(paths.environmentsDir, { recursive: true });
    const file = {
      ...JSON.parse(JSON.stringify(environment)),
      backend: { type: "local", path: paths.stateFile },
    };
    writeFileSync(join(paths.environmentsDir, `${environment.name}.yaml`), stringify(file));
    const gateway = {
      GENESYSCLOUD_GATEWAY_HOST: "127.0.0.1",
      GENESYSCLOUD_GATEWAY_PORT: String(emulator.port),
      GENESYSCLOUD_GATEWAY_PROTOCOL: "http",
    };
    // Synthesized by the cdktn CLI (cdktf.json's app, `npx tsx main.ts`, on this Node), as `npm run synth` does
    // after the switch; the app gives the stack its gateway block because GENESYSCLOUD_GATEWAY_HOST is set.
    const synth = await run(
      process.execPath,
      [join(ROOT, "node_modules", "cdktn-cli", "bin", "cdktn"), "synth", "--output", paths.outdir],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          PATH: `${resolve(process.execPath, "..")}:${process.env.PATH ?? ""}`,
          GENESYS_ENVIRONMENTS_DIR: paths.environmentsDir,
          CHECKPOINT_DISABLE: "1",
          DISABLE_VERSION_CHECK: "1",
          ...gateway,
        },
        what: `cdktn synth of ${stack}`,
      },
    );
    const stackJson = JSON.parse(readFileSync(join(paths.stackDir, "cdk.tf.json"), "utf8"));
    if (!stackJson.provider?.genesyscloud?.[0]?.gateway) {
      throw new Error(
        `${stack}: the synthesized provider has no gateway block, so it would call Genesys Cloud`,
      );
    }
    const tf = new Terraform(paths.stackDir, emulator);
    step = "terraform init";
    await tf.init();
    step = "terraform apply";
    emulator.resetStats();
    const apply = await tf.apply();
    const created = (await tf.stateList()).filter((address) => !address.startsWith("data.")).length;
    const applyRequests = emulator.stats().totals.requests;
    step = "the second plan (must have no changes)";
    emulator.resetStats();
    const replanExitCode = await tf.planDetailedExitCode();
    const replanRequests = emulator.stats().totals.requests;
    step = "terraform destroy";
    emulator.resetStats();
    const destroy = await tf.destroy();
    const destroyRequests = emulator.stats().totals.requests;
    const destroyed = (destroy.stdout.match(/: Destruction complete after /g) ?? []).length;
    const left = STACK_COLLECTIONS.reduce((sum, collection) => sum + emulator.objects(collection).length, 0);
    const unexpected = unexpectedAnswers(emulator.stats());
    result = {
      stack,
      ok:
        replanExitCode === 0 && left === 0 && unexpected.length === 0 && created > 0 && destroyed === created,
      synthSeconds: synth.seconds,
      created,
      applyRequests,
      applySeconds: apply.seconds,
      replanExitCode,
      replanRequests,
      destroyed,
      destroyRequests,
      destroySeconds: destroy.seconds,
      leftAfterDestroy: left,
      unexpected,
      requestsByType: requestsByResourceType(emulator.stats()),
    };
    if (!result.ok) result = { ...result, failed: "the deploy's checks (see the numbers)" };
  } catch (error) {
    const detail = (error as { detail?: string }).detail ?? "";
    result = { ...result, ok: false, failed: step, detail: `${(error as Error).message}\n${detail}`.trim() };
  } finally {
    await emulator.close();
    rmSync(workdir, { recursive: true, force: true });
  }
  const json = JSON.stringify(result);
  if (resultFile) writeFileSync(resultFile, `${json}\n`);
  else console.log(json);
  return result.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`cdktn deploy: ${error.message}`);
    process.exit(1);
  },
);
