import {
  LIMITS_CATALOG,
  LIMIT_KEYS,
  PlanInputError,
  isLimitKey,
  resolveLimitValues,
  resolveLimits,
} from "../../capacity";
import type { LimitKey } from "../../capacity";

/** Every LimitKey of capacity/types.ts, spelled out so a key missing from the catalog fails here. */
const ALL_KEYS: readonly LimitKey[] = [
  "webMessagingSessionsPerDeployment",
  "webMessagingSessionsPerOrg",
  "webMessagingConnectionsPerDeploymentPerMinute",
  "webMessagingMessagesPerSessionPerSecond",
  "webDeploymentsPerOrg",
  "queuesPerOrg",
  "queueMembersPerQueue",
  "queueConversationsPerQueue",
  "dataActionConcurrentExecutions",
  "dataActionExecutionsPerMinute",
  "oauthClientRequestsPerMinute",
  "platformApiRequestsPerOrgPerMinute",
  "agentMaxMessageCapacity",
];

describe("LIMITS_CATALOG", () => {
  it("has exactly the LimitKeys, each under its own key", () => {
    expect([...LIMIT_KEYS].sort()).toEqual([...ALL_KEYS].sort());
    expect(Object.keys(LIMITS_CATALOG)).toEqual([...LIMIT_KEYS]);
    for (const key of ALL_KEYS) expect(LIMITS_CATALOG[key].key).toBe(key);
  });

  it("gives every limit a title, a unit, a source and a short reference for messages", () => {
    for (const key of ALL_KEYS) {
      const limit = LIMITS_CATALOG[key];
      expect(limit.title).not.toBe("");
      expect(limit.unit).not.toBe("");
      expect(limit.source.length).toBeGreaterThan(20);
      expect(limit.reference.length).toBeGreaterThan(10);
      expect(limit.reference.length).toBeLessThan(limit.source.length);
    }
  });

  it("models a tenant-wide sessions ceiling with no known value or key, matched by its candidate key names", () => {
    const tenant = LIMITS_CATALOG.webMessagingSessionsPerOrg;
    expect(tenant.scope).toBe("org");
    expect(tenant.source).toContain("Max concurrent connections exceeded for tenant");
    const matches = (key: string) => tenant.genesysCandidates!.keys.test(key);
    expect(tenant.genesysCandidates!.namespace).toBe("web.messaging");
    expect(
      [
        "concurrent.connections.max",
        "connections.max",
        "sessions.concurrent.max",
        "concurrent.sessions.max",
      ].every(matches),
    ).toBe(true);
    // Per-session and per-minute keys of the same namespace are other limits.
    expect(["session.connections.max", "connections.rate.per.minute", "xconnections.max"].some(matches)).toBe(
      false,
    );
  });

  it.each<[LimitKey, number | undefined, string, boolean | "unknown", string | undefined]>([
    ["webMessagingSessionsPerDeployment", 150, "observed", "unknown", undefined],
    ["webMessagingSessionsPerOrg", undefined, "observed", "unknown", undefined],
    [
      "webMessagingConnectionsPerDeploymentPerMinute",
      1000,
      "secondary",
      true,
      "web.messaging/connections.rate.per.minute",
    ],
    [
      "webMessagingMessagesPerSessionPerSecond",
      2,
      "confirmed",
      "unknown",
      "web.messaging/messages.per.session.rate.per.second",
    ],
    ["webDeploymentsPerOrg", undefined, "secondary", "unknown", "web.deployments/deployments.max"],
    ["queuesPerOrg", 5000, "secondary", "unknown", "routing/queues.max"],
    ["queueMembersPerQueue", 5000, "secondary", "unknown", undefined],
    ["queueConversationsPerQueue", undefined, "none", "unknown", undefined],
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
    ["platformApiRequestsPerOrgPerMinute", undefined, "none", "unknown", undefined],
    ["agentMaxMessageCapacity", 25, "confirmed", false, undefined],
  ])("%s defaults to %p (%s, raisable %p, Limits API %p)", (key, value, evidence, raisable, genesys) => {
    const limit = LIMITS_CATALOG[key];
    expect(limit.defaultValue).toBe(value);
    expect(limit.evidence).toBe(evidence);
    expect(limit.raisable).toBe(raisable);
    expect(limit.genesys && `${limit.genesys.namespace}/${limit.genesys.key}`).toBe(genesys);
  });

  it("records no org-wide Platform API rate, and why org.app.user.rate.per.minute (3000) is not one", () => {
    const org = LIMITS_CATALOG.platformApiRequestsPerOrgPerMinute;
    expect(org.scope).toBe("org");
    expect(org.source).toContain("org.app.user.rate.per.minute 3000");
    expect(org.source).toContain("per organization per OAuth client per user");
    expect(org.source).toContain("community.genesys.com/discussion/api-limits");
  });

  it("models the queue-level limits: members per queue (third-party), conversations per queue (no source)", () => {
    const members = LIMITS_CATALOG.queueMembersPerQueue;
    expect(members.scope).toBe("queue");
    expect(members.source).toContain("wiki.tinod.net");
    const matches = (key: string) => members.genesysCandidates!.keys.test(key);
    expect(members.genesysCandidates!.namespace).toBe("routing");
    expect(["members.max", "queue.members.max", "members.per.queue.max"].every(matches)).toBe(true);
    expect(["queues.max", "wrapupcodes.max"].some(matches)).toBe(false);
    const conversations = LIMITS_CATALOG.queueConversationsPerQueue;
    expect(conversations.scope).toBe("queue");
    expect(conversations.reference).toBe("no source found");
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

describe("resolveLimitValues", () => {
  it("takes the org's value over an override over the catalog, and says where each came from", () => {
    const { values, origins } = resolveLimitValues(
      { queuesPerOrg: 80, dataActionConcurrentExecutions: 60 },
      { dataActionConcurrentExecutions: 20 },
    );
    expect(values).toMatchObject({
      queuesPerOrg: 80,
      dataActionConcurrentExecutions: 20,
      oauthClientRequestsPerMinute: 300,
    });
    expect(origins).toMatchObject({
      queuesPerOrg: "limits",
      dataActionConcurrentExecutions: "org",
      oauthClientRequestsPerMinute: "catalog",
      webDeploymentsPerOrg: "catalog",
    });
    expect(values.webDeploymentsPerOrg).toBeUndefined();
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
        "webMessagingSessionsPerOrg, webMessagingConnectionsPerDeploymentPerMinute, " +
        "webMessagingMessagesPerSessionPerSecond, webDeploymentsPerOrg, queuesPerOrg, queueMembersPerQueue, " +
        "queueConversationsPerQueue, dataActionConcurrentExecutions, dataActionExecutionsPerMinute, oauthClientRequestsPerMinute, " +
        "platformApiRequestsPerOrgPerMinute, agentMaxMessageCapacity",
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
