import { LIMITS_CATALOG, LIMIT_KEYS, PlanInputError, isLimitKey, resolveLimits } from "../../capacity";
import type { LimitKey } from "../../capacity";

/** Every LimitKey of capacity/types.ts, spelled out so a key missing from the catalog fails here. */
const ALL_KEYS: readonly LimitKey[] = [
  "webMessagingSessionsPerDeployment",
  "webMessagingConnectionsPerDeploymentPerMinute",
  "webDeploymentsPerOrg",
  "queuesPerOrg",
  "dataActionConcurrentExecutions",
  "dataActionExecutionsPerMinute",
  "oauthClientRequestsPerMinute",
  "agentMaxMessageCapacity",
];

describe("LIMITS_CATALOG", () => {
  it("has exactly the LimitKeys, each under its own key", () => {
    expect([...LIMIT_KEYS].sort()).toEqual([...ALL_KEYS].sort());
    expect(Object.keys(LIMITS_CATALOG)).toEqual([...LIMIT_KEYS]);
    for (const key of ALL_KEYS) expect(LIMITS_CATALOG[key].key).toBe(key);
  });

  it("gives every limit a title, a unit and a source", () => {
    for (const key of ALL_KEYS) {
      const limit = LIMITS_CATALOG[key];
      expect(limit.title).not.toBe("");
      expect(limit.unit).not.toBe("");
      expect(limit.source.length).toBeGreaterThan(20);
    }
  });

  it.each<[LimitKey, number | undefined, string, boolean | "unknown", string | undefined]>([
    ["webMessagingSessionsPerDeployment", 150, "observed", "unknown", undefined],
    [
      "webMessagingConnectionsPerDeploymentPerMinute",
      1000,
      "secondary",
      true,
      "web.messaging/connections.rate.per.minute",
    ],
    ["webDeploymentsPerOrg", undefined, "secondary", "unknown", "web.deployments/deployments.max"],
    ["queuesPerOrg", 5000, "secondary", "unknown", "routing/queues.max"],
    [
      "dataActionConcurrentExecutions",
      50,
      "confirmed",
      "unknown",
      "dataactions/actions.concurrent.executions.max",
    ],
    ["dataActionExecutionsPerMinute", 2500, "confirmed", "unknown", "dataactions/requests.volume.max"],
    [
      "oauthClientRequestsPerMinute",
      300,
      "confirmed",
      true,
      "platform.api/client.credentials.token.rate.per.minute",
    ],
    ["agentMaxMessageCapacity", 25, "confirmed", false, undefined],
  ])("%s defaults to %p (%s, raisable %p, Limits API %p)", (key, value, evidence, raisable, genesys) => {
    const limit = LIMITS_CATALOG[key];
    expect(limit.defaultValue).toBe(value);
    expect(limit.evidence).toBe(evidence);
    expect(limit.raisable).toBe(raisable);
    expect(limit.genesys && `${limit.genesys.namespace}/${limit.genesys.key}`).toBe(genesys);
  });

  it("cites the 503 load-test observation for sessions per deployment and issue #347 for connections", () => {
    expect(LIMITS_CATALOG.webMessagingSessionsPerDeployment.source).toContain(
      "Max concurrent connections exceeded",
    );
    expect(LIMITS_CATALOG.webMessagingConnectionsPerDeploymentPerMinute.source).toContain(
      "genesys-messenger-transport-mobile-sdk/issues/347",
    );
  });
});

describe("isLimitKey", () => {
  it("accepts catalog keys and refuses others, including Object.prototype members", () => {
    expect(isLimitKey("queuesPerOrg")).toBe(true);
    expect(isLimitKey("queues")).toBe(false);
    expect(isLimitKey("toString")).toBe(false);
  });
});

describe("resolveLimits", () => {
  it("returns the catalog defaults without overrides", () => {
    const limits = resolveLimits();
    for (const key of ALL_KEYS) expect(limits[key]).toBe(LIMITS_CATALOG[key].defaultValue);
  });

  it("replaces defaults with overrides and keeps the rest", () => {
    const limits = resolveLimits({ dataActionConcurrentExecutions: 200, webDeploymentsPerOrg: 40 });
    expect(limits.dataActionConcurrentExecutions).toBe(200);
    expect(limits.webDeploymentsPerOrg).toBe(40);
    expect(limits.queuesPerOrg).toBe(5000);
  });

  it("ignores an override whose value is undefined", () => {
    expect(resolveLimits({ queuesPerOrg: undefined }).queuesPerOrg).toBe(5000);
  });

  it("fails when an override names an unknown key", () => {
    const overrides = { queues: 10 } as unknown as Parameters<typeof resolveLimits>[0];
    expect(() => resolveLimits(overrides)).toThrow(
      "limits.queues is not a catalog limit (got 10); allowed keys: webMessagingSessionsPerDeployment, " +
        "webMessagingConnectionsPerDeploymentPerMinute, webDeploymentsPerOrg, queuesPerOrg, " +
        "dataActionConcurrentExecutions, dataActionExecutionsPerMinute, oauthClientRequestsPerMinute, " +
        "agentMaxMessageCapacity",
    );
  });

  it.each([0, -5, 1.5, Number.NaN, Number.POSITIVE_INFINITY])("fails when an override is %p", (value) => {
    let error: unknown;
    try {
      resolveLimits({ dataActionExecutionsPerMinute: value });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PlanInputError);
    expect(error).toMatchObject({
      field: "limits.dataActionExecutionsPerMinute",
      value,
      allowed: "an integer >= 1 (executions/min)",
      message: `limits.dataActionExecutionsPerMinute must be an integer >= 1 (executions/min), got ${value}`,
    });
  });
});
