/**
 * What applying a plan costs in Genesys Cloud Platform API requests, per resource type and action, as MEASURED
 * with the real provider 1.82.0 against the emulator (request counts from `GET /__emulator/stats`, grouped by
 * resource type with test/e2e/harness.ts `requestsByResourceType`). The only place the plan review reads costs
 * from: re-measure and update here when the provider version changes.
 *
 * Where: test/e2e/environment-stack.e2e.test.ts (gc-dev, 3 shards: "apply", "no-change plan", "destroy") and
 * test/e2e/fidelity.e2e.test.ts, as reported in emulator/ENDPOINTS.md ("What the real provider's traffic taught").
 */
import {
  DEPLOY_API_REQUESTS_PER_SHARD_BY_RESOURCE,
  LIMITS_CATALOG,
  PLAN_API_REQUESTS_BY_RESOURCE,
} from "../capacity";

/**
 * Requests the provider makes to create one resource of a type. Measured: gc-dev apply of 3 shards. The shard
 * objects' costs are the planner's (capacity/plan.ts), so the plan review and the deploy estimate agree.
 */
export const CREATE_REQUESTS: Readonly<Record<string, number>> = {
  genesyscloud_routing_queue: DEPLOY_API_REQUESTS_PER_SHARD_BY_RESOURCE.queue,
  genesyscloud_flow: DEPLOY_API_REQUESTS_PER_SHARD_BY_RESOURCE.inboundMessageFlow,
  genesyscloud_webdeployments_deployment: DEPLOY_API_REQUESTS_PER_SHARD_BY_RESOURCE.messengerDeployment,
  genesyscloud_webdeployments_configuration: 7, // measured: gc-dev apply, shared once
  genesyscloud_integration: 7, // measured: gc-dev apply, shared once
  genesyscloud_integration_action: 4, // measured: gc-dev apply, shared once
  genesyscloud_routing_wrapupcode: 2, // measured: gc-dev apply, each code
  genesyscloud_routing_utilization: 2, // measured: gc-dev apply
};

/**
 * Requests to refresh (read) one existing resource while planning. Measured: gc-dev no-change plan. The queue,
 * flow and deployment costs are the planner's (capacity/plan.ts), as for creates.
 */
export const REFRESH_REQUESTS: Readonly<Record<string, number>> = {
  genesyscloud_routing_queue: PLAN_API_REQUESTS_BY_RESOURCE.queue, // queue, its wrap-up codes, queue again, members
  genesyscloud_flow: PLAN_API_REQUESTS_BY_RESOURCE.inboundMessageFlow,
  genesyscloud_webdeployments_deployment: PLAN_API_REQUESTS_BY_RESOURCE.messengerDeployment,
  genesyscloud_webdeployments_configuration: 1, // measured: gc-dev no-change plan
  genesyscloud_routing_wrapupcode: 1, // measured: gc-dev no-change plan, each code
  genesyscloud_integration: 2, // measured: gc-dev no-change plan
  genesyscloud_integration_action: 3, // measured: gc-dev no-change plan
  genesyscloud_routing_utilization: 1, // measured: gc-dev no-change plan
};

/** Requests to destroy one resource. Measured: gc-dev destroy of 3 shards (shard objects only). */
export const DESTROY_REQUESTS: Readonly<Record<string, number>> = {
  genesyscloud_routing_queue: 6, // measured: gc-dev destroy, per shard
  genesyscloud_flow: 2, // measured: gc-dev destroy, per shard
  genesyscloud_webdeployments_deployment: 3, // measured: gc-dev destroy, per shard
};

/** Requests to update one resource in place, by type. Assumed, not measured: a read and a write. */
export const UPDATE_REQUESTS: Readonly<Record<string, number>> = {
  genesyscloud_flow: 4, // assumed: an update publishes a new flow version, a new publish job like a create's
};

/** Update cost of a type not in UPDATE_REQUESTS. Assumed: a read and a write. */
export const DEFAULT_UPDATE_REQUESTS = 2;
/** Create cost of a type not measured. Assumed: a write and a read. */
export const DEFAULT_CREATE_REQUESTS = 2;
/** Destroy cost of a type not measured (the shared objects). Assumed: a delete and the read that confirms it. */
export const DEFAULT_DESTROY_REQUESTS = 2;
/** Refresh cost of a type not measured. Assumed: one read. */
export const DEFAULT_REFRESH_REQUESTS = 1;

/** Requests per data source read while planning. Measured: gc-dev, each data source once per plan/apply/destroy. */
export const DATA_SOURCE_REQUESTS = 1;

/**
 * Requests the provider makes when it starts, per Terraform run (`GET /organizations/me`, `GET
 * /authorization/products`). Measured: 4 for a gc-dev apply (plan + apply), 2 for a no-change plan.
 */
export const PROVIDER_START_REQUESTS_PER_RUN = 2;

/** Platform API requests per minute allowed per OAuth client (Genesys's published rate limit, from the catalog). */
export const REQUESTS_PER_MINUTE = LIMITS_CATALOG.oauthClientRequestsPerMinute.defaultValue ?? 300;

/**
 * Seconds the provider sleeps after it creates a web deployment, fixed: `time.Sleep(10 * time.Second)` in
 * `createWebDeployment` (webdeployments_deployment/resource_genesyscloud_webdeployments_deployment.go, v1.82.0);
 * every gc-dev apply waits it once per wave of up to TERRAFORM_PARALLELISM new deployments.
 */
export const DEPLOYMENT_CREATE_SLEEP_SECONDS = 10;

/** Operations Terraform runs at once (its default `-parallelism`, and the provider's token pool size). */
export const TERRAFORM_PARALLELISM = 10;

/** The measured (or, when `measured` is false, assumed) cost of one action on one resource type. */
export interface Cost {
  readonly requests: number;
  readonly measured: boolean;
}

function lookup(table: Readonly<Record<string, number>>, type: string, fallback: number): Cost {
  const value = table[type];
  return value === undefined ? { requests: fallback, measured: false } : { requests: value, measured: true };
}

export const createCost = (type: string): Cost => lookup(CREATE_REQUESTS, type, DEFAULT_CREATE_REQUESTS);
export const destroyCost = (type: string): Cost => lookup(DESTROY_REQUESTS, type, DEFAULT_DESTROY_REQUESTS);
export const refreshCost = (type: string): Cost => lookup(REFRESH_REQUESTS, type, DEFAULT_REFRESH_REQUESTS);
/** Updates are never measured: the cost is an assumption for every type. */
export const updateCost = (type: string): Cost => ({
  requests: UPDATE_REQUESTS[type] ?? DEFAULT_UPDATE_REQUESTS,
  measured: false,
});
