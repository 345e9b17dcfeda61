/**
 * Types of the capacity planner. This module is pure: it imports nothing from cdktf, constructs, the file
 * system or the network, so the stacks, the CLI and the preflight can all share it.
 */

/** Who a limit applies to. */
export type LimitScope = "org" | "deployment" | "session" | "agent" | "oauth-client";

/**
 * How much a catalog value can be trusted.
 * - `confirmed`: a Genesys help/developer page, SDK/API definition or Genesys-owned repository states it.
 * - `secondary`: a community reply or third-party notes; confirm it through the org's Limits API.
 * - `observed`: seen in load tests or forum reports of errors, not published by Genesys.
 */
export type LimitEvidence = "confirmed" | "secondary" | "observed";

/** Keys of the limits catalog. Environments override values by these keys. */
export type LimitKey =
  | "webMessagingSessionsPerDeployment"
  | "webMessagingConnectionsPerDeploymentPerMinute"
  | "webDeploymentsPerOrg"
  | "queuesPerOrg"
  | "dataActionConcurrentExecutions"
  | "dataActionExecutionsPerMinute"
  | "oauthClientRequestsPerMinute"
  | "agentMaxMessageCapacity";

/** One entry of the limits catalog. */
export interface LimitDefinition {
  readonly key: LimitKey;
  /** Human title, e.g. "Concurrent web messaging sessions per deployment". */
  readonly title: string;
  /** The default value, or undefined when no source publishes one (the org's Limits API must tell). */
  readonly defaultValue: number | undefined;
  /** Unit of the value, e.g. "sessions", "connections/min", "executions/min". */
  readonly unit: string;
  readonly scope: LimitScope;
  /** Whether Genesys lets an org raise it on request ("unknown" where no source says). */
  readonly raisable: boolean | "unknown";
  readonly evidence: LimitEvidence;
  /** Where the default comes from: a URL or repository path, with a short quote or note. */
  readonly source: string;
  /** The Limits API namespace and key that carry the org's effective value, when Genesys exposes one. */
  readonly genesys?: { readonly namespace: string; readonly key: string };
}

/** Per-environment (or per-org) overrides of catalog values. */
export type LimitOverrides = Partial<Record<LimitKey, number>>;
