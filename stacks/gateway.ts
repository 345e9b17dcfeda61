/**
 * Whether synth points the stacks at a gateway (the local emulator) instead of Genesys Cloud. The entry point
 * passes its variables in; nothing here reads `process.env`.
 *
 * `GENESYSCLOUD_GATEWAY_HOST` set at synth puts an empty `gateway {}` block in every stack, and the provider then
 * sends every API call to the gateway when Terraform runs. Left exported from an emulator session, it would do so
 * silently, prod included, so synth says it per stack, and refuses a stack whose state is remote (S3, HCP
 * Terraform) unless that stack is named in `GENESYS_ALLOW_GATEWAY_ON_REMOTE_BACKEND`: a plan through the gateway
 * refreshes the real, shared state against the gateway's objects, and an apply writes the gateway's ids into it.
 */
import type { EnvironmentConfig } from "../config/environment";

/** Set at synth, it gives every stack the provider's `gateway {}` block. */
export const GATEWAY_HOST_VARIABLE = "GENESYSCLOUD_GATEWAY_HOST";

/**
 * Names the stacks with remote state that may still get the gateway block, comma-separated
 * (`GENESYS_ALLOW_GATEWAY_ON_REMOTE_BACKEND=gc-prod` or `=gc-test,gc-prod`). It names stacks instead of being a
 * yes/no switch because a switch would be left exported just as the gateway host was, and would then wave every
 * remote stack through, the very failure it guards against; a stack name confirms one stack, and an environment
 * added later is not covered by an old confirmation.
 */
export const ALLOW_GATEWAY_ON_REMOTE_BACKEND_VARIABLE = "GENESYS_ALLOW_GATEWAY_ON_REMOTE_BACKEND";

/** A stack synth is about to write, and where its state lives. */
export interface GatewayStack {
  /** The stack name, e.g. `gc-prod`. */
  readonly stack: string;
  /** The environment file's backend type. */
  readonly backend: EnvironmentConfig["backend"]["type"];
}

/** What synth does about a gateway. */
export interface GatewayVerdict {
  /** Give every stack the provider's empty `gateway {}` block. */
  readonly localGateway: boolean;
  /** Lines synth prints and goes on: one per stack pointed at the gateway, and allowances that match no stack. */
  readonly notices: readonly string[];
  /** One line per stack with remote state that the gateway may not touch; synth writes nothing. */
  readonly problems: readonly string[];
}

const REMOTE_STATE: Record<Exclude<GatewayStack["backend"], "local">, string> = {
  s3: "S3",
  cloud: "HCP Terraform",
};

/** Decides, from the variables synth runs with, whether the stacks get the gateway block, and says so. */
export function gatewayVerdict(
  variables: Readonly<Record<string, string | undefined>>,
  stacks: readonly GatewayStack[],
): GatewayVerdict {
  const host = variables[GATEWAY_HOST_VARIABLE]?.trim();
  if (!host) return { localGateway: false, notices: [], problems: [] };

  const allowed = new Set(
    (variables[ALLOW_GATEWAY_ON_REMOTE_BACKEND_VARIABLE] ?? "")
      .split(",")
      .map((name) => name.trim())
      .filter((name) => name !== ""),
  );
  const target = gatewayAddress(host, variables);
  const notices: string[] = [];
  const problems: string[] = [];
  for (const { stack, backend } of stacks) {
    const pointed = `${stack}: ${GATEWAY_HOST_VARIABLE} is set: the provider will send every API call to ${target}, not to Genesys Cloud`;
    if (backend === "local") {
      notices.push(pointed);
    } else if (allowed.has(stack)) {
      notices.push(
        `${pointed}; its state is in ${REMOTE_STATE[backend]}, allowed by ${ALLOW_GATEWAY_ON_REMOTE_BACKEND_VARIABLE}`,
      );
    } else {
      problems.push(
        `${stack}: ${GATEWAY_HOST_VARIABLE} is set, but ${stack} keeps its state in ${REMOTE_STATE[backend]}: a ` +
          `deploy through the gateway would write the gateway's objects into that state; unset ` +
          `${GATEWAY_HOST_VARIABLE}, or confirm with ${ALLOW_GATEWAY_ON_REMOTE_BACKEND_VARIABLE}=${stack}`,
      );
    }
  }
  const remote = stacks.filter(({ backend }) => backend !== "local").map(({ stack }) => stack);
  for (const name of allowed) {
    if (!remote.includes(name)) {
      notices.push(
        `${ALLOW_GATEWAY_ON_REMOTE_BACKEND_VARIABLE} names ${name}, which is not a stack with remote state ` +
          `(${remote.join(", ") || "none here"}): nothing to allow`,
      );
    }
  }
  return { localGateway: true, notices, problems };
}

/**
 * Where the provider will send its calls, as far as synth can tell: the provider reads
 * `GENESYSCLOUD_GATEWAY_PROTOCOL`, `_HOST` and `_PORT` again when Terraform runs, and has no default protocol or
 * port, so an unset one is left out rather than guessed.
 */
function gatewayAddress(host: string, variables: Readonly<Record<string, string | undefined>>): string {
  const protocol = variables.GENESYSCLOUD_GATEWAY_PROTOCOL?.trim();
  const port = variables.GENESYSCLOUD_GATEWAY_PORT?.trim();
  return `${protocol ? `${protocol}://` : ""}${host}${port ? `:${port}` : ""}`;
}
