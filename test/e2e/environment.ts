/**
 * Deploys an environment stack the way a user does, for end-to-end suites: an environment file (a copy of one
 * under environments/ with edits), synthesized by the real app (`tsx main.ts`) with the provider's gateway
 * block on, then Terraform in `cdktf.out/stacks/gc-<name>` against the emulator.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
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
  readonly environmentsDir = join(this.root, "environments");
  readonly outdir = join(this.root, "cdktf.out");
  readonly stateFile = join(this.root, "terraform.tfstate");
  private terraform?: Terraform;

  constructor(
    readonly name: string,
    readonly emulator: E2eEmulator,
  ) {
    mkdirSync(this.environmentsDir);
  }

  /** The stack's Terraform working directory. */
  get stackDir(): string {
    return join(this.outdir, "stacks", `gc-${this.name}`);
  }

  /**
   * Writes the environment file (its backend forced to local state in the workspace) and synthesizes it with
   * `tsx main.ts`, as `npm run synth` does, with GENESYSCLOUD_GATEWAY_HOST set. Throws with the app's output on
   * failure. Answers the Terraform working directory, initialized on first use.
   */
  async synth(environment: EnvironmentYaml): Promise<Terraform> {
    const file = { ...environment, name: this.name, backend: { type: "local", path: this.stateFile } };
    writeFileSync(join(this.environmentsDir, `${this.name}.yaml`), stringify(file));
    const result = spawnSync(join(REPO_ROOT, "node_modules", ".bin", "tsx"), [join(REPO_ROOT, "main.ts")], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      env: {
        ...process.env,
        GENESYS_ENVIRONMENTS_DIR: this.environmentsDir,
        CDKTF_OUTDIR: this.outdir,
        GENESYSCLOUD_GATEWAY_HOST: "127.0.0.1",
      },
    });
    if (result.status !== 0)
      throw new Error(`synth of gc-${this.name} failed:\n${result.stderr}${result.stdout}`);
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
