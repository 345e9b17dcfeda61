/**
 * The review of REAL plans (fixtures made by test/e2e/plan-summary.e2e.test.ts with the real provider), and of
 * real plans edited into the cases Terraform cannot be made to plan against gc-dev.
 */
import { CREATE_REQUESTS, DESTROY_REQUESTS, needsAllow, parsePlanJson, reviewPlan } from "../../plan-review";
import { rawPlan, realPlan } from "./fixtures";

const SHARD_CREATE =
  CREATE_REQUESTS.genesyscloud_routing_queue +
  CREATE_REQUESTS.genesyscloud_flow +
  CREATE_REQUESTS.genesyscloud_webdeployments_deployment;
const SHARD_DESTROY =
  DESTROY_REQUESTS.genesyscloud_routing_queue +
  DESTROY_REQUESTS.genesyscloud_flow +
  DESTROY_REQUESTS.genesyscloud_webdeployments_deployment;

describe("plan review of real gc-dev plans (3 shards deployed)", () => {
  it("no change: nothing to review, the refresh cost of 3 shards", () => {
    const review = reviewPlan(realPlan("no-change"));
    expect(review.stack).toBe("gc-dev");
    expect(review.counts).toEqual({ create: 0, update: 0, replace: 0, delete: 0, forget: 0, unchanged: 16 });
    expect(review.shards).toMatchObject({ before: [0, 1, 2], after: [0, 1, 2], added: [], removed: [] });
    expect(review.destructive).toEqual([]);
    expect(review.orgWide).toEqual([]);
    expect(needsAllow(review)).toBe(false);
    // measured no-change plan: 6 per shard; configuration 1, 3 wrap-up codes, integration 2, action 3,
    // utilization 1; start-up 2; two data sources
    expect(review.cost.planRequests).toBe(3 * 6 + 1 + 3 + 2 + 3 + 1 + 2 + 2);
    expect(review.cost.applyRequests).toBe(2);
  });

  it("scale up: only creates, shards 003–004 added, one wave of deployment waits", () => {
    const review = reviewPlan(realPlan("scale-up"));
    expect(review.counts).toMatchObject({ create: 6, update: 0, replace: 0, delete: 0 });
    expect(review.shards).toMatchObject({ before: [0, 1, 2], after: [0, 1, 2, 3, 4], added: [3, 4] });
    expect(review.shards.removed).toEqual([]);
    expect(review.destructive).toEqual([]);
    expect(needsAllow(review)).toBe(false);
    expect(review.cost).toMatchObject({
      applyRequests: 2 + 2 * SHARD_CREATE,
      newDeployments: 2,
      boundBy: "deployment waits",
      assumedTypes: [],
    });
    expect(review.cost.applyMinutes).toBeCloseTo(10 / 60);
  });

  it("scale down: deletes the highest shards, every object flagged as live", () => {
    const review = reviewPlan(realPlan("scale-down"));
    expect(review.counts).toMatchObject({ create: 0, update: 0, replace: 0, delete: 6 });
    expect(review.shards).toMatchObject({ before: [0, 1, 2], after: [0], removed: [1, 2], added: [] });
    expect(review.destructive.map((d) => `${d.subject} ${d.action} (${d.cause})`)).toEqual([
      "shard 001 Messenger deployment delete (removed from the stack)",
      "shard 001 inbound message flow delete (removed from the stack)",
      "shard 001 queue delete (removed from the stack)",
      "shard 002 Messenger deployment delete (removed from the stack)",
      "shard 002 inbound message flow delete (removed from the stack)",
      "shard 002 queue delete (removed from the stack)",
    ]);
    expect(review.destructive[0].impact).toBe("every guest session on it is dropped");
    expect(needsAllow(review)).toBe(true);
    expect(review.cost.applyRequests).toBe(2 + 2 * SHARD_DESTROY);
  });

  it("replace (forced with -replace: no deployment attribute is ForceNew in 1.82.0): flagged as live", () => {
    const review = reviewPlan(realPlan("replace"));
    expect(review.counts).toMatchObject({ create: 0, update: 0, replace: 1, delete: 0 });
    expect(review.shards).toMatchObject({ added: [], removed: [], replaced: [1], after: [0, 1, 2] });
    expect(review.destructive).toEqual([
      expect.objectContaining({
        address: expect.stringMatching(
          /^genesyscloud_webdeployments_deployment\.Channel_Shard001_Deployment_/,
        ),
        action: "replace",
        kind: "shard-deployment",
        shard: 1,
        subject: "shard 001 Messenger deployment",
        cause: "requested with -replace",
      }),
    ]);
    expect(review.destructive[0].impact).toMatch(
      /^every guest session on it is dropped; the new deployment has a new id/,
    );
    expect(needsAllow(review)).toBe(true);
    expect(review.cost).toMatchObject({ applyRequests: 2 + 3 + 3, newDeployments: 1 });
  });

  it("utilization change: an org-wide update, reported with old → new, not blocking", () => {
    const review = reviewPlan(realPlan("utilization"));
    expect(review.counts).toMatchObject({ create: 0, update: 1, replace: 0, delete: 0 });
    expect(review.orgWide).toEqual([
      expect.objectContaining({
        subject: "agent utilization (org-wide)",
        attributes: ["message.maximum_capacity: 10 → 12"],
      }),
    ]);
    expect(review.orgWide[0].impact).toContain("every agent in the org");
    expect(review.destructive).toEqual([]);
    expect(needsAllow(review)).toBe(false);
    expect(review.cost.assumedTypes).toEqual(["genesyscloud_routing_utilization"]);
  });

  it("Data Action timeout: old → new seconds, by the action's name", () => {
    const review = reviewPlan(realPlan("data-action-timeout"));
    expect(review.timeouts).toEqual([
      expect.objectContaining({ name: "Dev CustomerLookup", beforeSeconds: 5, afterSeconds: 10 }),
    ]);
    expect(needsAllow(review)).toBe(false);
  });

  it("takes the stack name given over the plan's own", () => {
    expect(reviewPlan(realPlan("no-change"), "gc-prod").stack).toBe("gc-prod");
  });
});

describe("plan review of real plans of deployments sharing queue groups (d = 5, 9 deployments on 2 groups)", () => {
  it("growing to 11 deployments: shards 009–010 and queue group 002 added, nothing destroyed", () => {
    const review = reviewPlan(realPlan("queue-groups-grow"));
    expect(review.counts).toMatchObject({ create: 4, update: 0, replace: 0, delete: 0 });
    expect(review.shards).toMatchObject({ added: [9, 10], removed: [], updated: [] });
    expect(review.queueGroups).toMatchObject({ before: [0, 1], after: [0, 1, 2], added: [2], removed: [] });
    expect(review.destructive).toEqual([]);
    // Two deployments and one queue group's queue and flow: 2 × 3 + 9 + 4, and the provider's start.
    expect(review.cost.applyRequests).toBe(2 + 2 * 3 + 9 + 4);
    expect(review.cost.newDeployments).toBe(2);
  });

  it("deploymentsPerQueue 5 → 4: the deployments that move are updated in place, nothing destroyed", () => {
    const review = reviewPlan(realPlan("queue-groups-regroup"));
    expect(review.counts).toMatchObject({ create: 0, update: 3, replace: 0, delete: 0 });
    expect(review.shards.updated).toEqual([4, 8, 9]);
    expect(review.queueGroups).toMatchObject({ added: [], removed: [], updated: [] });
    expect(needsAllow(review)).toBe(false);
  });

  it("removing a queue group (the growth undone) flags its queue and flow as live, for every deployment of it", () => {
    const raw = rawPlan("queue-groups-grow");
    for (const change of raw.resource_changes) {
      if (change.change.actions.join() !== "create") continue;
      change.change.actions = ["delete"];
      change.change.before = change.change.after;
      change.change.after = null;
      change.action_reason = "delete_because_no_resource_config";
    }
    const review = reviewPlan(parsePlanJson(JSON.stringify(raw)));
    expect(review.queueGroups).toMatchObject({ removed: [2] });
    expect(review.destructive.filter((d) => d.queueGroup === 2)).toEqual([
      expect.objectContaining({
        kind: "group-flow",
        subject: "queue group 002 inbound message flow",
        cause: "removed from the stack",
        impact: "messages arriving through every deployment of the queue group have no flow to enter",
      }),
      expect.objectContaining({
        kind: "group-queue",
        subject: "queue group 002 queue",
        impact:
          "conversations waiting in it are lost and its statistics start over, for every deployment of the queue group",
      }),
    ]);
    expect(needsAllow(review)).toBe(true);
  });
});

describe("plan review of real plans edited into other cases", () => {
  /** A real plan with the change of the first resource of `type` set to `actions`. */
  function edited(type: string, actions: string[], reason?: string) {
    const raw = rawPlan("no-change");
    const change = raw.resource_changes.find((c: { type: string }) => c.type === type);
    change.change.actions = actions;
    if (actions.includes("create") && actions.includes("delete")) change.change.after_unknown = { id: true };
    if (reason) change.action_reason = reason;
    return reviewPlan(parsePlanJson(JSON.stringify(raw)));
  }

  it("a replaced utilization is flagged as resetting the whole org", () => {
    const review = edited(
      "genesyscloud_routing_utilization",
      ["delete", "create"],
      "replace_because_cannot_update",
    );
    expect(review.destructive).toEqual([
      expect.objectContaining({
        kind: "utilization",
        subject: "agent utilization (org-wide)",
        cause: "an attribute cannot be updated in place",
        impact: expect.stringContaining("every agent in the org"),
      }),
    ]);
    expect(needsAllow(review)).toBe(true);
  });

  it("a destroyed Messenger configuration is flagged as shared", () => {
    const review = edited("genesyscloud_webdeployments_configuration", ["delete"]);
    expect(review.destructive[0]).toMatchObject({
      subject: 'Messenger configuration (shared by every shard) "Dev Messenger"',
      impact: "every shard's deployment uses it",
    });
  });

  it("names the attributes that force a replacement", () => {
    const raw = rawPlan("no-change");
    const action = raw.resource_changes.find(
      (c: { type: string }) => c.type === "genesyscloud_integration_action",
    );
    action.change.actions = ["delete", "create"];
    action.change.replace_paths = [["contract_input"]];
    action.action_reason = "replace_because_cannot_update";
    const review = reviewPlan(parsePlanJson(JSON.stringify(raw)));
    expect(review.destructive[0]).toMatchObject({
      subject: 'Data Action "Dev CustomerLookup"',
      cause: "`contract_input` forces replacement",
    });
  });

  it("does not count data source reads or flag forgotten objects", () => {
    const raw = rawPlan("no-change");
    raw.resource_changes.push({
      address: "data.genesyscloud_group.Late",
      mode: "data",
      type: "genesyscloud_group",
      name: "Late",
      change: { actions: ["read"], before: null, after: {} },
    });
    raw.resource_changes[0].change.actions = ["forget"];
    const review = reviewPlan(parsePlanJson(JSON.stringify(raw)));
    expect(review.counts).toMatchObject({ forget: 1, unchanged: 15, create: 0, delete: 0 });
    expect(review.destructive).toEqual([]);
  });

  it("never shows a sensitive value, only that it changes", () => {
    const raw = rawPlan("utilization");
    const utilization = raw.resource_changes.find(
      (c: { type: string }) => c.type === "genesyscloud_routing_utilization",
    );
    utilization.change.before_sensitive = { message: [{ maximum_capacity: true }] };
    utilization.change.after_sensitive = { message: [{ maximum_capacity: true }] };
    const review = reviewPlan(parsePlanJson(JSON.stringify(raw)));
    expect(review.orgWide[0].attributes).toEqual(["message.maximum_capacity: (sensitive value changes)"]);
    expect(JSON.stringify(review.orgWide)).not.toMatch(/\b1[02]\b/);
  });

  it("never shows a sensitive name", () => {
    const raw = rawPlan("no-change");
    const action = raw.resource_changes.find(
      (c: { type: string }) => c.type === "genesyscloud_integration_action",
    );
    action.change.actions = ["delete"];
    action.change.before_sensitive = { name: true };
    const review = reviewPlan(parsePlanJson(JSON.stringify(raw)));
    expect(review.destructive[0].subject).toBe("Data Action");
  });
});
