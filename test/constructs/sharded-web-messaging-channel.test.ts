import { Testing, TerraformStack } from "cdktf";
import { planShards } from "../../capacity";
import {
  ShardedWebMessagingChannel,
  type ShardedWebMessagingChannelProps,
} from "../../constructs/sharded-web-messaging-channel";
import { WrapupCodes } from "../../constructs/wrapup-codes";
import { expectPropsError, FLOW_TEMPLATES } from "./helpers";

type Resources = Record<string, Record<string, { name?: string; lifecycle?: { prevent_destroy?: boolean } }>>;

const SHARDED_TYPES = [
  "genesyscloud_routing_queue",
  "genesyscloud_flow",
  "genesyscloud_webdeployments_deployment",
] as const;

function plan(targetSessions: number) {
  return planShards({ targetSessions, sessionsPerShard: 150, headroom: 0.8, spares: 1 });
}

/** Synthesizes a stack holding one channel, and answers its resources by type. */
function synth(props: Partial<ShardedWebMessagingChannelProps> & { target?: number } = {}) {
  const stack = new TerraformStack(Testing.app(), "test");
  const channel = new ShardedWebMessagingChannel(stack, "Channel", {
    plan: plan(props.target ?? 200),
    namePrefix: "Prod",
    flowTemplates: FLOW_TEMPLATES,
    allowedDomains: ["www.example.com"],
    ...props,
  });
  const json = JSON.parse(Testing.synth(stack));
  return { channel, resources: json.resource as Resources, json };
}

/** "type.address → display name" of every sharded resource (flows carry their name in substitutions). */
function identities(resources: Resources): Map<string, string> {
  const result = new Map<string, string>();
  for (const type of SHARDED_TYPES) {
    for (const [address, resource] of Object.entries(resources[type] ?? {})) {
      const name =
        resource.name ?? (resource as { substitutions?: { flow_name?: string } }).substitutions?.flow_name;
      result.set(`${type}.${address}`, String(name));
    }
  }
  return result;
}

describe("ShardedWebMessagingChannel", () => {
  it("creates one queue, flow and deployment per planned shard, with fixed-width names", () => {
    const { channel, resources } = synth({ target: 1000 }); // 9 base + 1 spare
    expect(channel.shards).toHaveLength(10);
    for (const type of SHARDED_TYPES) expect(Object.keys(resources[type])).toHaveLength(10);
    const queueNames = Object.values(resources.genesyscloud_routing_queue).map((q) => q.name);
    expect(queueNames).toContain("Prod Messaging 000");
    expect(queueNames).toContain("Prod Messaging 009");
    expect(Object.values(resources.genesyscloud_webdeployments_deployment).map((d) => d.name)).toContain(
      "Prod Messenger 009",
    );
    expect(channel.shards.map((s) => s.index)).toEqual([...Array(10).keys()]);
    expect(channel.shards.reduce((sum, s) => sum + s.sessions, 0)).toBe(1000);
  });

  it("shares one Messenger configuration and one Home division look-up among all shards", () => {
    const { json, resources } = synth({ target: 1000 });
    expect(Object.keys(resources.genesyscloud_webdeployments_configuration)).toHaveLength(1);
    expect(Object.keys(json.data.genesyscloud_auth_division_home)).toHaveLength(1);
    const configurationRef = Object.values(resources.genesyscloud_webdeployments_deployment).map(
      (d) => (d as unknown as { configuration: { id: string } }).configuration.id,
    );
    expect(new Set(configurationRef).size).toBe(1);
  });

  it("raising the target only adds shards: every existing address and display name is unchanged", () => {
    const before = identities(synth({ target: 10000 }).resources); // 85 shards
    const after = identities(synth({ target: 15000 }).resources); // 126 shards: crosses 99 → 100
    expect(before.size).toBe(85 * 3);
    expect(after.size).toBe(126 * 3);
    for (const [address, name] of before) expect([address, after.get(address)]).toEqual([address, name]);
  });

  it("lowering the target removes only the highest shards", () => {
    const before = identities(synth({ target: 1000 }).resources);
    const after = identities(synth({ target: 500 }).resources);
    const removed = [...before.keys()].filter((address) => !after.has(address));
    expect(removed.length).toBe((10 - 6) * 3);
    for (const address of removed) expect(address).toMatch(/_Shard00[6-9]_/);
    for (const [address, name] of after) expect(before.get(address)).toBe(name);
  });

  it("puts the same membership and wrap-up codes on every shard queue", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    const codes = new WrapupCodes(stack, "Codes", { codes: ["Resolved"] });
    new ShardedWebMessagingChannel(stack, "Channel", {
      plan: plan(400),
      namePrefix: "Prod",
      flowTemplates: FLOW_TEMPLATES,
      allowedDomains: ["www.example.com"],
      wrapupCodes: codes,
      membership: { groupIds: ["g-1"], skillGroupIds: ["s-1"], teamIds: ["t-1"] },
    });
    const queues = Object.values(JSON.parse(Testing.synth(stack)).resource.genesyscloud_routing_queue) as {
      groups: string[];
      skill_groups: string[];
      teams: string[];
      wrapup_codes: string[];
    }[];
    expect(queues).toHaveLength(5);
    for (const queue of queues) {
      expect(queue.groups).toEqual(["g-1"]);
      expect(queue.skill_groups).toEqual(["s-1"]);
      expect(queue.teams).toEqual(["t-1"]);
      expect(queue.wrapup_codes).toEqual([expect.stringMatching(/genesyscloud_routing_wrapupcode\./)]);
    }
  });

  it("protects every shard's queue, flow and deployment when asked, and nothing otherwise", () => {
    const protectedResources = synth({ protectFromDestroy: true }).resources;
    const open = synth().resources;
    for (const type of SHARDED_TYPES) {
      for (const resource of Object.values(protectedResources[type])) {
        expect(resource.lifecycle?.prevent_destroy).toBe(true);
      }
      for (const resource of Object.values(open[type])) expect(resource.lifecycle).toBeUndefined();
    }
  });

  it("fails when the plan has no shard", () => {
    expectPropsError(
      () =>
        new ShardedWebMessagingChannel(new TerraformStack(Testing.app(), "test"), "Channel", {
          plan: { perShard: [] },
          namePrefix: "Prod",
          flowTemplates: FLOW_TEMPLATES,
          allowedDomains: ["www.example.com"],
        }),
      "test/Channel",
      [
        "plan.perShard.length must be from 1 to 1000, got 0 (one stack holds at most that many shards; more are split into shard groups)",
      ],
    );
  });

  it("fails when the plan has more shards than one stack holds", () => {
    const perShard = Array.from({ length: 1001 }, (_, index) => ({
      index,
      sessions: 1,
      arrivalsPerMinute: undefined,
    }));
    expectPropsError(
      () =>
        new ShardedWebMessagingChannel(new TerraformStack(Testing.app(), "test"), "Channel", {
          plan: { perShard },
          namePrefix: "Prod",
          flowTemplates: FLOW_TEMPLATES,
          allowedDomains: ["www.example.com"],
        }),
      "test/Channel",
      [
        "plan.perShard.length must be from 1 to 1000, got 1001 (one stack holds at most that many shards; more are split into shard groups)",
      ],
    );
  });

  it("with one deployment per queue group (the default, or d = 1 given), synthesizes exactly the layout it always had", () => {
    const byDefault = synth({ target: 1000 });
    const explicit = synth({
      plan: planShards({
        targetSessions: 1000,
        sessionsPerShard: 150,
        headroom: 0.8,
        deploymentsPerQueue: 1,
      }),
    });
    expect(explicit.json).toEqual(byDefault.json);
    expect(byDefault.channel.queueGroups.map((group) => group.queue.node.path)).toEqual(
      byDefault.channel.shards.map(
        (shard) => `test/Channel/Shard${String(shard.index).padStart(3, "0")}/Queue`,
      ),
    );
  });

  describe("with deployments sharing queue groups (d = 5)", () => {
    const shared = (targetSessions: number) =>
      synth({
        plan: planShards({ targetSessions, sessionsPerShard: 150, headroom: 0.8, deploymentsPerQueue: 5 }),
      });

    it("makes one queue and flow per queue group under QueueGroup<kkk>, and one deployment per shard", () => {
      const { channel, resources } = shared(600); // 5 base + 1 spare = 6 deployments: groups 0,0,0,0,0,1
      expect(channel.shards.map((shard) => shard.queueGroup)).toEqual([0, 0, 0, 0, 0, 1]);
      expect(channel.queueGroups.map((group) => [group.index, group.shards])).toEqual([
        [0, [0, 1, 2, 3, 4]],
        [1, [5]],
      ]);
      expect(channel.queueGroups.map((group) => [group.queue.node.path, group.flow.node.path])).toEqual([
        ["test/Channel/QueueGroup000/Queue", "test/Channel/QueueGroup000/Flow"],
        ["test/Channel/QueueGroup001/Queue", "test/Channel/QueueGroup001/Flow"],
      ]);
      expect(Object.keys(resources.genesyscloud_webdeployments_deployment)).toHaveLength(6);
      expect([...identities(resources).values()].sort()).toEqual(
        [
          "Prod Messaging Group 000",
          "Prod Messaging Group 001",
          "Prod Messaging Group Inbound 000",
          "Prod Messaging Group Inbound 001",
          ...[0, 1, 2, 3, 4, 5].map((i) => `Prod Messenger 00${i}`),
        ].sort(),
      );
      // Every deployment starts its group's flow; each flow transfers to its group's queue.
      for (const shard of channel.shards) {
        const group = channel.queueGroups[shard.queueGroup];
        expect(shard.queue).toBe(group.queue);
        expect(shard.flow).toBe(group.flow);
        const deployment =
          resources.genesyscloud_webdeployments_deployment[shard.deployment.resource.friendlyUniqueId];
        expect((deployment as { flow_id?: string }).flow_id).toBe(
          `\${genesyscloud_flow.${group.flow.resource.friendlyUniqueId}.id}`,
        );
      }
      const flow = resources.genesyscloud_flow[channel.queueGroups[1].flow.resource.friendlyUniqueId] as {
        substitutions: { queue_name: string };
      };
      expect(flow.substitutions.queue_name).toBe(
        `\${genesyscloud_routing_queue.${channel.queueGroups[1].queue.resource.friendlyUniqueId}.name}`,
      );
    });

    it("raising the target fills the last group, then adds groups: nothing existing moves or is renamed", () => {
      const before = shared(600); // 6 deployments on 2 groups
      const after = shared(1200); // 11 deployments on 3 groups
      const deployments = (result: ReturnType<typeof shared>) =>
        result.resources.genesyscloud_webdeployments_deployment;
      for (const [address, deployment] of Object.entries(deployments(before))) {
        expect(deployments(after)[address]).toEqual(deployment); // same flow_id, name, description
      }
      for (const [address, name] of identities(before.resources))
        expect(identities(after.resources).get(address)).toBe(name);
      expect(after.channel.queueGroups).toHaveLength(3);
    });
  });

  it("fails when a share's queue group is not floor(index / deploymentsPerQueue), or d is out of range", () => {
    const stack = () => new TerraformStack(Testing.app(), "test");
    const base = { namePrefix: "Prod", flowTemplates: FLOW_TEMPLATES, allowedDomains: ["www.example.com"] };
    expectPropsError(
      () =>
        new ShardedWebMessagingChannel(stack(), "Channel", {
          ...base,
          plan: {
            perShard: [
              { index: 0, queueGroup: 0, sessions: 10, arrivalsPerMinute: undefined },
              { index: 1, queueGroup: 1, sessions: 10, arrivalsPerMinute: undefined },
            ],
            queueGroups: { deploymentsPerQueue: 2 },
          },
        }),
      "test/Channel",
      [
        "plan.perShard[1].queueGroup must be 0, got 1 (shard i is in queue group floor(i / deploymentsPerQueue), " +
          "so no deployment moves when shards are added)",
      ],
    );
    expectPropsError(
      () =>
        new ShardedWebMessagingChannel(stack(), "Channel", {
          ...base,
          plan: {
            perShard: [{ index: 0, sessions: 10, arrivalsPerMinute: undefined }],
            queueGroups: { deploymentsPerQueue: 0 },
          },
        }),
      "test/Channel",
      [
        "plan.queueGroups.deploymentsPerQueue must be an integer from 1 to 1000, got 0 (deployments per queue group)",
      ],
    );
  });

  it("fails when shard indexes are not 0..N-1 in order", () => {
    expectPropsError(
      () =>
        new ShardedWebMessagingChannel(new TerraformStack(Testing.app(), "test"), "Channel", {
          plan: {
            perShard: [
              { index: 0, sessions: 10, arrivalsPerMinute: undefined },
              { index: 2, sessions: 10, arrivalsPerMinute: undefined },
            ],
          },
          namePrefix: "Prod",
          flowTemplates: FLOW_TEMPLATES,
          allowedDomains: ["www.example.com"],
        }),
      "test/Channel",
      [
        "plan.perShard[1].index must be 1, got 2 (shards are indexed contiguously in order (0..N-1, or a shard group's k×G…), so each keeps its id)",
      ],
    );
  });
});
