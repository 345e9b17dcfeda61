import { actionOf, classify, kindOf, shardOf } from "../../plan-review";
import { rawPlan } from "./fixtures";

describe("classifying resource changes", () => {
  it.each([
    [["no-op"], "no-op"],
    [["create"], "create"],
    [["update"], "update"],
    [["delete"], "delete"],
    [["delete", "create"], "replace"],
    [["create", "delete"], "replace"],
    [["read"], "read"],
    [["forget"], "forget"],
  ])("actions %j are a %s", (actions, expected) => {
    expect(actionOf(actions)).toBe(expected);
  });

  it.each([
    ["genesyscloud_routing_queue.Channel_Shard003_Queue_0515FF77", 3],
    ["Channel_Shard085_Deployment_1851736E", 85],
    ["module.x.genesyscloud_flow.Channel_Shard999_Flow_BB7D5529", 999],
    ["genesyscloud_routing_utilization.Utilization_E5746438", undefined],
    ["genesyscloud_webdeployments_configuration.Channel_Messenger_1FF2D101", undefined],
    ["genesyscloud_routing_queue.Channel_Shard03_Queue_0515FF77", undefined],
    ["genesyscloud_routing_queue.Channel_Shard0003_Queue_0515FF77", undefined],
    ["genesyscloud_routing_queue.Channel_MyShard003_Queue", undefined],
  ])("%s is in shard %p", (address, expected) => {
    expect(shardOf(address)).toBe(expected);
  });

  it.each([
    ["genesyscloud_webdeployments_deployment", 1, "shard-deployment"],
    ["genesyscloud_flow", 1, "shard-flow"],
    ["genesyscloud_routing_queue", 1, "shard-queue"],
    ["genesyscloud_routing_wrapupcode", 1, "shard-other"],
    ["genesyscloud_routing_utilization", undefined, "utilization"],
    ["genesyscloud_webdeployments_configuration", undefined, "messenger-configuration"],
    ["genesyscloud_integration_action", undefined, "data-action"],
    ["genesyscloud_routing_queue", undefined, "other"],
  ])("%s in shard %p is a %s", (type, shard, expected) => {
    expect(kindOf(type, shard)).toBe(expected);
  });

  it("reads every change of a real scale-down plan: shards 001–002 deleted, the rest unchanged", () => {
    const changes = rawPlan("scale-down").resource_changes.map(classify);
    const deleted = changes.filter((c: { action: string }) => c.action === "delete");
    expect(deleted.map((c: { kind: string; shard: number }) => `${c.shard} ${c.kind}`).sort()).toEqual([
      "1 shard-deployment",
      "1 shard-flow",
      "1 shard-queue",
      "2 shard-deployment",
      "2 shard-flow",
      "2 shard-queue",
    ]);
    expect(deleted.every((c: { reason: string }) => c.reason === "delete_because_no_resource_config")).toBe(
      true,
    );
    expect(changes.filter((c: { action: string }) => c.action !== "delete" && c.action !== "no-op")).toEqual(
      [],
    );
  });
});
