/**
 * Deploys an environment stack the way a user does, for end-to-end suites: an environment file (a copy of one
 * under environments/ with edits), synthesized by the real app with the provider's gateway block on
 * (`synthLocalStack`, as `npm run demo` does), then Terraform in `cdktf.out/stacks/gc-<name>` against the emulator.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { localStackPaths, synthLocalStack, type LocalStackPaths } from "../../local-deploy";
import { REPO_ROOT, Terraform, type E2eEmulator } from "./harness";

/** An environment file as parsed YAML, to edit in a test. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a test edits the parsed YAML freely
export type EnvironmentYaml = Record<string, any>;

/** The committed environment file `name`, parsed. */
export function environmentYaml(name: string): EnvironmentYaml {
  return parse(readFileSync(join(REPO_ROOT, "environments", `${name}.yaml`), "utf8"));
}

/** A workspace: an environments folder, a cdktf output folder and a local state file, all temporary. */
export class EnvironmentWorkspace {
  readonly root = mkdtempSync(join(tmpdir(), "e2e-env-"));
  readonly paths: LocalStackPaths;
  private terraform?: Terraform;

  constructor(
    readonly name: string,
    readonly emulator: E2eEmulator,
  ) {
    this.paths = localStackPaths(this.root, name);
  }

  /** The stack's Terraform working directory. */
  get stackDir(): string {
    return this.paths.stackDir;
  }

  /**
   * Writes the environment file (its backend forced to local state in the workspace) and synthesizes it with the
   * gateway on. Answers the Terraform working directory, initialized on first use.
   */
  async synth(environment: EnvironmentYaml): Promise<Terraform> {
    await synthLocalStack({ ...environment, name: this.name }, this.paths, {
      GENESYSCLOUD_GATEWAY_HOST: "127.0.0.1",
    });
    if (!this.terraform) {
      this.terraform = new Terraform(this.stackDir, this.emulator);
      await this.terraform.init();
    }
    return this.terraform;
  }

  cleanup(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
