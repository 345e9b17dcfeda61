/**
 * End-to-end harness: the project's Platform API emulator, started in this process on a free 127.0.0.1 port, and
 * the real `terraform` CLI with the real `mypurecloud/genesyscloud` provider pointed at it.
 *
 *   const emulator = await startEmulator({ seedObjects: seed });
 *   const tf = await Terraform.fromFixture("test/e2e/fixtures/fidelity", emulator);
 *   await tf.init();
 *   await tf.apply();
 *   expect(await tf.planDetailedExitCode()).toBe(0);
 *   await tf.destroy();
 *   await tf.cleanup();
 *   await emulator.close();
 *
 * The provider reads everything from the environment `Terraform` sets: GENESYSCLOUD_ACCESS_TOKEN (a token made
 * for this emulator) and GENESYSCLOUD_GATEWAY_HOST/PORT/PROTOCOL, which an empty `gateway {}` block picks up
 * (`schema.EnvDefaultFunc` on each gateway attribute, genesyscloud/provider/provider_schema.go). The provider comes
 * from .provider/ (test/e2e/global-setup.js installs it). Terraform runs as an asynchronous child process, so the
 * in-process emulator keeps answering while it runs.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createEmulator, type Emulator, type EmulatorOptions } from "../../emulator/server";
import type { TargetedFault } from "../../emulator/faults";
import { applySeed, seedSchema, type Seed, type SeedResult } from "../../emulator/seed";
import type { StatsSnapshot } from "../../emulator/stats";
import type { StateFile, StoredEntity } from "../../emulator/store";
import { PROVIDER_CONFIGURE_RETRIES, providerConfigureRace } from "../../local-deploy";

export const REPO_ROOT = resolve(__dirname, "../..");
/** The Terraform CLI configuration scripts/provider-install.sh writes (filesystem mirror, offline). */
export const TERRAFORM_RC = join(REPO_ROOT, ".provider", "terraformrc");

/** An emulator for end-to-end tests, with the access token the provider must send. */
export interface E2eEmulator {
  readonly url: string;
  readonly port: number;
  /** The bearer token the emulator accepts (GENESYSCLOUD_ACCESS_TOKEN for the provider). */
  readonly token: string;
  /** The in-process emulator (its store, stats and fault injector). */
  readonly emulator: Emulator;
  /** Request counts since the start or the last `resetStats()`. */
  stats(): StatsSnapshot;
  resetStats(): void;
  /** The whole state, as `GET /__emulator/state` answers it. */
  state(): StateFile;
  /** The entities of one collection, e.g. "queues", "flows", "webDeployments". */
  objects(collection: string): readonly StoredEntity[];
  /** Creates users, groups, teams and skill groups (as `POST /__emulator/seed`); answers their ids. */
  seed(seed: Seed): SeedResult;
  /** One authenticated Platform API request, e.g. `api("GET", "/api/v2/routing/queues/{id}/members")`. */
  api<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** Adds a targeted fault (as `POST /__emulator/faults`): the next `count` requests under `pathPrefix` fail. */
  addFault(rule: TargetedFault): void;
  clearFaults(): void;
  close(): Promise<void>;
}

/** Starts an emulator on a free port of 127.0.0.1 that accepts a freshly generated access token. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<E2eEmulator> {
  const token = `e2e-${randomBytes(18).toString("base64url")}`;
  const emulator = await createEmulator({
    host: "127.0.0.1",
    port: 0,
    ...options,
    accessTokens: [token, ...(options.accessTokens ?? [])],
  });
  return {
    url: emulator.url,
    port: emulator.port,
    token,
    emulator,
    stats: () => emulator.stats.snapshot(),
    resetStats: () => emulator.stats.reset(),
    state: () => emulator.state.snapshot(),
    objects: (collection) => emulator.state.snapshot().collections[collection] ?? [],
    seed: (seed) => applySeed(emulator.state, seedSchema.parse(seed)),
    api: async <T>(method: string, path: string, body?: unknown) => {
      const answer = await fetch(`${emulator.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await answer.text();
      return { status: answer.status, body: (text === "" ? undefined : JSON.parse(text)) as T };
    },
    addFault: (rule) => emulator.faults.addTargeted(rule),
    clearFaults: () => emulator.faults.clearTargeted(),
    close: () => emulator.close(),
  };
}

/** The outcome of one `terraform` command. */
export interface TerraformResult {
  readonly args: readonly string[];
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}

export class TerraformError extends Error {
  constructor(readonly result: TerraformResult) {
    super(
      `terraform ${result.args.join(" ")} exited ${result.code}\n${tail(result.stderr || result.stdout, 60)}`,
    );
  }
}

/** `terraform show -json` of a saved plan, trimmed to what tests read. */
export interface PlanJson {
  readonly resource_changes?: readonly {
    readonly address: string;
    readonly type: string;
    readonly change: { readonly actions: readonly string[] };
  }[];
  readonly [key: string]: unknown;
}

/** `terraform show -json` of the state, trimmed to what tests read. */
export interface StateJson {
  readonly values?: {
    readonly root_module: {
      readonly resources?: readonly {
        readonly address: string;
        readonly type: string;
        readonly mode: "managed" | "data";
        readonly values: Record<string, unknown>;
      }[];
    };
  };
}

/** A Terraform working directory (a copy of a fixture) bound to one emulator. */
export class Terraform {
  /** Copies `fixtureDir` (relative to the repository root, or absolute) into a fresh temporary directory. */
  static fromFixture(
    fixtureDir: string,
    emulator: E2eEmulator,
    extraEnv: Record<string, string> = {},
  ): Terraform {
    const dir = mkdtempSync(join(tmpdir(), "e2e-tf-"));
    cpSync(resolve(REPO_ROOT, fixtureDir), dir, { recursive: true });
    return new Terraform(dir, emulator, extraEnv);
  }

  /** The environment every command runs with. */
  readonly env: Record<string, string>;

  constructor(
    readonly dir: string,
    emulator: E2eEmulator,
    extraEnv: Record<string, string> = {},
  ) {
    this.env = {
      TF_CLI_CONFIG_FILE: TERRAFORM_RC,
      CHECKPOINT_DISABLE: "1",
      TF_IN_AUTOMATION: "1",
      TF_INPUT: "0",
      GENESYSCLOUD_ACCESS_TOKEN: emulator.token,
      GENESYSCLOUD_GATEWAY_HOST: "127.0.0.1",
      GENESYSCLOUD_GATEWAY_PORT: String(emulator.port),
      GENESYSCLOUD_GATEWAY_PROTOCOL: "http",
      ...extraEnv,
    };
  }

  /**
   * Runs `terraform <args>` in the working directory. Throws a `TerraformError` (with the output's tail) unless
   * the exit code is in `okCodes`.
   */
  async run(args: readonly string[], okCodes: readonly number[] = [0]): Promise<TerraformResult> {
    for (let attempt = 1; ; attempt++) {
      const result = await this.runOnce(args);
      if (okCodes.includes(result.code)) return result;
      // The provider's rare configure-time crash with a gateway block (local-deploy explains it): the crashed
      // provider instance made no call, but an earlier one of the same command may have (a destroy's refresh), and
      // the command runs again from the start. Said next to the request counts it inflates.
      if (providerConfigureRace(result.stderr + result.stdout) && attempt <= PROVIDER_CONFIGURE_RETRIES) {
        process.stdout.write(
          `terraform ${args[0]}: the provider crashed while being configured (README "Known provider issue"); ` +
            "running it again, so the requests before the crash count twice\n",
        );
        continue;
      }
      throw new TerraformError(result);
    }
  }

  private async runOnce(args: readonly string[]): Promise<TerraformResult> {
    const started = Date.now();
    const child = spawn("terraform", [...args], {
      cwd: this.dir,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? this.dir, ...this.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number>((done, fail) => {
      child.on("error", fail);
      child.on("close", (status) => done(status ?? 1));
    });
    return { args, code, stdout, stderr, seconds: (Date.now() - started) / 1000 };
  }

  init(): Promise<TerraformResult> {
    return this.run(["init", "-input=false", "-no-color"]);
  }

  apply(): Promise<TerraformResult> {
    return this.run(["apply", "-input=false", "-auto-approve", "-no-color"]);
  }

  /** `terraform plan -detailed-exitcode`: 0 when there are no changes, 2 when there are (1 throws). */
  async planDetailedExitCode(): Promise<0 | 2> {
    const result = await this.run(["plan", "-input=false", "-detailed-exitcode", "-no-color"], [0, 2]);
    return result.code as 0 | 2;
  }

  /** Saves a plan and answers `terraform show -json` of it. */
  async planJson(): Promise<PlanJson> {
    await this.run(["plan", "-input=false", "-no-color", "-out=e2e.tfplan"]);
    return JSON.parse((await this.run(["show", "-json", "e2e.tfplan"])).stdout) as PlanJson;
  }

  destroy(): Promise<TerraformResult> {
    return this.run(["destroy", "-input=false", "-auto-approve", "-no-color"]);
  }

  /** `terraform show -json` of the current state. */
  async state(): Promise<StateJson> {
    return JSON.parse((await this.run(["show", "-json"])).stdout) as StateJson;
  }

  /** The addresses in the state (`terraform state list`). */
  async stateList(): Promise<string[]> {
    const { stdout } = await this.run(["state", "list"]);
    return stdout.split("\n").filter((line) => line.trim() !== "");
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Requests per endpoint ("METHOD /route/:pattern"), faulted ones included, for printing. */
export function requestCounts(snapshot: StatsSnapshot): Record<string, number> {
  return Object.fromEntries(
    Object.entries(snapshot.endpoints)
      .map(([endpoint, entry]): [string, number] => [endpoint, entry.requests])
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

/**
 * Which Terraform object an endpoint serves, by path prefix (first match). Attribution is by path: the
 * deployment's `GET .../configurations/{id}/versions` is counted under the configuration.
 */
const RESOURCE_OF_PATH: readonly (readonly [string, string])[] = [
  ["/api/v2/organizations/me", "provider start-up"],
  ["/api/v2/authorization/products", "provider start-up"],
  ["/api/v2/authorization/divisions/home", "data.genesyscloud_auth_division_home"],
  ["/api/v2/groups", "data.genesyscloud_group"],
  ["/api/v2/teams", "data.genesyscloud_team"],
  ["/api/v2/routing/skillgroups", "data.genesyscloud_routing_skill_group"],
  ["/api/v2/routing/wrapupcodes", "genesyscloud_routing_wrapupcode"],
  ["/api/v2/routing/queues", "genesyscloud_routing_queue"],
  ["/api/v2/routing/utilization", "genesyscloud_routing_utilization"],
  ["/api/v2/flows", "genesyscloud_flow"],
  ["/api/v2/architect/ivrs", "genesyscloud_architect_ivr"],
  ["/__uploads", "genesyscloud_flow"],
  ["/api/v2/webdeployments/configurations", "genesyscloud_webdeployments_configuration"],
  ["/api/v2/webdeployments/deployments", "genesyscloud_webdeployments_deployment"],
  ["/api/v2/integrations/credentials", "genesyscloud_integration_credential"],
  ["/api/v2/integrations/actions", "genesyscloud_integration_action"],
  ["/api/v2/integrations", "genesyscloud_integration"],
];

/** Requests per Terraform resource type (or "provider start-up"), from a stats snapshot. */
export function requestsByResourceType(snapshot: StatsSnapshot): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const [endpoint, entry] of Object.entries(snapshot.endpoints)) {
    const path = endpoint.slice(endpoint.indexOf(" ") + 1);
    const owner = RESOURCE_OF_PATH.find(([prefix]) => path.startsWith(prefix))?.[1] ?? "other";
    totals[owner] = (totals[owner] ?? 0) + entry.requests;
  }
  return totals;
}

/** The statuses the emulator's fault injector answers with. */
const INJECTED_STATUSES = [429, 500, 502, 503];

/**
 * Answers the real API never gives the provider, so an emulator bug when the emulator gives them: unknown endpoints
 * (501), 4xx other than 404 (which the provider expects after deletes) and 5xx, except as many 429s and 5xx per
 * endpoint as the fault injector injected there. One line per endpoint and status; empty when all is well.
 */
export function unexpectedAnswers(stats: StatsSnapshot): string[] {
  const bad = Object.entries(stats.unknown).map(([path, count]) => `${path}: ${count}× unknown (501)`);
  for (const [endpoint, entry] of Object.entries(stats.endpoints)) {
    let injected = entry.faults;
    for (const [status, count] of Object.entries(entry.statuses)) {
      const code = Number(status);
      if (code === 404 || code < 400) continue;
      const excused = INJECTED_STATUSES.includes(code) ? Math.min(count, injected) : 0;
      injected -= excused;
      if (count > excused) bad.push(`${endpoint}: ${count - excused}× ${status}`);
    }
  }
  return bad;
}

function tail(text: string, lines: number): string {
  return text.split("\n").slice(-lines).join("\n");
}
