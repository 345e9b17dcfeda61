import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { scratchDir } from "../scratch";
import { Testing } from "cdktf";
import { planShards } from "../../capacity";
import { providerPin } from "../../provider/schema";
import { main as shardsCli } from "../../cli/shards";
import { ENVIRONMENTS_DIR, loadEnvironment } from "../../config/environment";
import { planEnvironment } from "../../config/plan";
import { GenesysEnvironmentStack } from "../../stacks/genesys-environment-stack";

const ROOT = resolve(__dirname, "..", "..");

function synthEnvironment(name: string) {
  const environment = loadEnvironment(name);
  const plan = planEnvironment(environment, `environments/${name}.yaml`);
  const app = Testing.app();
  const stack = new GenesysEnvironmentStack(app, `gc-${name}`, {
    environment,
    plan,
  });
  return { plan, json: JSON.parse(Testing.synth(stack)) };
}

/** Synthesizes a stack from an environment (already validated), planned as synth plans it. */
function synthWith(environment: ReturnType<typeof loadEnvironment>) {
  const plan = planEnvironment(environment, `environments/${environment.name}.yaml`);
  const stack = new GenesysEnvironmentStack(Testing.app(), `gc-${environment.name}`, { environment, plan });
  return { plan, json: JSON.parse(Testing.synth(stack)) };
}

/** "type.address" → display name of every resource with a name (flows: their flow_name substitution). */
function namesByAddress(json: {
  resource: Record<string, Record<string, { name?: string; substitutions?: { flow_name?: string } }>>;
}): Map<string, string> {
  const result = new Map<string, string>();
  for (const [type, resources] of Object.entries(json.resource)) {
    for (const [address, resource] of Object.entries(resources)) {
      result.set(`${type}.${address}`, String(resource.name ?? resource.substitutions?.flow_name ?? ""));
    }
  }
  return result;
}

describe("GenesysEnvironmentStack", () => {
  it("dev keeps local state in the project root, outside cdktf.out", () => {
    const { json } = synthEnvironment("dev");
    // Relative to cdktf.out/stacks/gc-dev, where Terraform runs: the project root.
    expect(json.terraform.backend).toEqual({ local: { path: "../../../terraform.gc-dev.tfstate" } });
  });

  it("prod keeps encrypted state in S3 with S3-native locking", () => {
    const { json } = synthEnvironment("prod");
    expect(json.terraform.backend.s3).toEqual({
      bucket: "example-genesys-terraform-state",
      key: "genesys/prod.tfstate",
      region: "us-east-1",
      encrypt: true,
      use_lockfile: true,
    });
  });

  it("outputs the planner's shard count and each shard's share for prod's parameters", () => {
    const { json } = synthEnvironment("prod");
    const expected = planShards({
      targetSessions: 10000,
      sessionsPerShard: 150,
      arrivalsPerMinute: 1200,
      headroom: 0.8,
      spares: 1,
    });
    const output = json.output.capacity_plan.value;
    expect(output.shards).toBe(expected.shards);
    expect(output.shards).toBe(85); // ceil(10000 / floor(150 × 0.8)) + 1 spare
    expect(output.binding).toBe("sessions");
    expect(output.per_shard).toHaveLength(85);
    expect(output.per_shard.reduce((sum: number, s: { sessions: number }) => sum + s.sessions, 0)).toBe(
      10000,
    );
    expect(output.feasible).toBe(true);
    expect(output.warnings).toEqual(expect.any(Array));
    expect(output.binding_ceiling).toMatchObject({ only_observed: true });
  });

  it("requires exactly the pinned provider and configures it from the environment file, without credentials", () => {
    const { json } = synthEnvironment("prod");
    expect(json.terraform.required_providers.genesyscloud).toEqual({
      source: "mypurecloud/genesyscloud",
      version: providerPin().version,
    });
    expect(json.provider.genesyscloud).toEqual([
      { aws_region: "us-east-1", token_pool_size: 10, custom_retry_timeout: "2m" },
    ]);
  });

  it("sends API calls to a local gateway only when asked, leaving its address to the provider's variables", () => {
    const environment = loadEnvironment("dev");
    const app = Testing.app();
    const stack = new GenesysEnvironmentStack(app, "gc-dev", {
      environment,
      plan: planEnvironment(environment, "environments/dev.yaml"),
      localGateway: true,
    });
    const json = JSON.parse(Testing.synth(stack));
    expect(json.provider.genesyscloud[0].gateway).toEqual([{}]);
    expect(synthEnvironment("dev").json.provider.genesyscloud[0].gateway).toBeUndefined();
  });

  it.each(["dev", "test", "prod"])(
    "%s holds as many messaging deployments, and flows and queues as queue groups, as `shards --env %s --json` plans",
    async (name) => {
      const out: string[] = [];
      const code = await shardsCli(["--env", name, "--json"], {
        stdout: { write: (t: string) => out.push(t) },
        stderr: { write: () => true },
      });
      expect(code).toBe(0);
      const plan = JSON.parse(out.join("")) as { shards: number; queueGroups: { count: number } };
      const { json } = synthEnvironment(name);
      // The messaging channel's objects only: a voice entry (test.yaml's) adds a queue and a flow of its own.
      const count = (type: string) => [
        type,
        Object.keys(json.resource[type]).filter((address) => !address.startsWith("Voice_")).length,
      ];
      expect(count("genesyscloud_webdeployments_deployment")).toEqual([
        "genesyscloud_webdeployments_deployment",
        plan.shards,
      ]);
      for (const type of ["genesyscloud_flow", "genesyscloud_routing_queue"]) {
        expect(count(type)).toEqual([type, plan.queueGroups.count]);
      }
    },
  );

  describe("destroy protection", () => {
    /**
     * Resource types a protected stack deliberately leaves without `prevent_destroy`, each with its reason. None:
     * every object the stack manages is something a live session depends on. A new resource type that forgets
     * protection fails the test below until it is protected or listed here with a reason.
     */
    const UNPROTECTED_BY_DESIGN: Readonly<Record<string, string>> = {};

    type Lifecycle = { prevent_destroy?: boolean } | undefined;
    type Blocks = Record<string, Record<string, { lifecycle?: Lifecycle }>>;

    /** Type, "type.address" and lifecycle of every managed resource (data sources are under `data`). */
    function managed(resources: Blocks): [string, string, Lifecycle][] {
      return Object.entries(resources).flatMap(([type, byAddress]) =>
        Object.entries(byAddress).map(([address, resource]): [string, string, Lifecycle] => [
          type,
          `${type}.${address}`,
          resource.lifecycle,
        ]),
      );
    }

    it.each([
      ["prod as committed", {}],
      ["prod whose flows call a Data Action", { flowDataAction: "CustomerLookup" }],
    ])("%s: every managed resource has prevent_destroy", (_label, messaging) => {
      const environment = loadEnvironment("prod");
      expect(environment.protectFromDestroy).toBe(true);
      const { json } = synthWith({ ...environment, messaging: { ...environment.messaging, ...messaging } });
      const resources = managed(json.resource);
      // Not vacuous: the shared objects every shard depends on are among them.
      expect(new Set(resources.map(([type]) => type))).toEqual(
        new Set([
          "genesyscloud_routing_queue",
          "genesyscloud_flow",
          "genesyscloud_webdeployments_deployment",
          "genesyscloud_webdeployments_configuration",
          "genesyscloud_routing_wrapupcode",
          "genesyscloud_routing_utilization",
          "genesyscloud_integration",
          "genesyscloud_integration_action",
        ]),
      );
      for (const [type, address, lifecycle] of resources) {
        if (type in UNPROTECTED_BY_DESIGN) continue;
        expect([address, lifecycle?.prevent_destroy]).toEqual([address, true]);
      }
      // Data sources only read the org: nothing to protect.
      for (const [, address, lifecycle] of managed(json.data))
        expect([address, lifecycle]).toEqual([address, undefined]);
    });

    it("dev, which does not ask for protection, has none: terraform destroy removes everything", () => {
      const environment = loadEnvironment("dev");
      expect(environment.protectFromDestroy).toBe(false);
      const { json } = synthWith({
        ...environment,
        messaging: { ...environment.messaging, flowDataAction: "CustomerLookup" },
      });
      const resources = managed(json.resource);
      expect(resources.length).toBeGreaterThan(10);
      for (const [, address, lifecycle] of resources)
        expect([address, lifecycle]).toEqual([address, undefined]);
    });
  });

  it("raising prod's target by half changes no existing address or display name", () => {
    const environment = loadEnvironment("prod");
    const raised = {
      ...environment,
      capacity: {
        ...environment.capacity,
        targetConcurrentSessions: environment.capacity.targetConcurrentSessions * 1.5,
      },
      agents: environment.agents && { ...environment.agents, count: environment.agents.count * 2 },
    };
    const beforeJson = synthEnvironment("prod").json;
    const afterJson = synthWith(raised).json;
    const before = namesByAddress(beforeJson);
    const after = namesByAddress(afterJson);
    expect(after.size).toBeGreaterThan(before.size);
    for (const [address, name] of before) expect([address, after.get(address)]).toEqual([address, name]);
    // Nor any other attribute: a live shard is neither renamed nor updated by a scale change.
    for (const [type, resources] of Object.entries(beforeJson.resource as Record<string, object>)) {
      for (const [address, resource] of Object.entries(resources)) {
        expect([type, address, afterJson.resource[type][address]]).toEqual([type, address, resource]);
      }
    }
  });

  it.each([
    ["prod's target", 10000],
    ["a doubled target", 20000],
  ])("puts the environment's agent group on every shard queue, with %s", (_label, target) => {
    const environment = loadEnvironment("prod");
    const { json } = synthWith({
      ...environment,
      capacity: { ...environment.capacity, targetConcurrentSessions: target },
      agents: environment.agents && { ...environment.agents, count: Math.ceil(target / 16) },
    });
    const [groupAddress] = Object.keys(json.data.genesyscloud_group);
    expect(json.data.genesyscloud_group[groupAddress]).toMatchObject({ name: "Prod Messaging Agents" });
    const queues = Object.values(json.resource.genesyscloud_routing_queue) as { groups: string[] }[];
    expect(queues.length).toBeGreaterThanOrEqual(85);
    for (const queue of queues)
      expect(queue.groups).toEqual([`\${data.genesyscloud_group.${groupAddress}.id}`]);
  });

  it("makes every shard's flow call the file's flowDataAction first, passing the conversation id to its input", () => {
    const environment = loadEnvironment("dev");
    const { json } = synthWith({
      ...environment,
      messaging: { ...environment.messaging, flowDataAction: "CustomerLookup" },
    });
    const flows = Object.values(json.resource.genesyscloud_flow) as {
      filepath: string;
      substitutions: Record<string, string>;
    }[];
    expect(flows).toHaveLength(3);
    for (const flow of flows) {
      expect(flow.filepath).toMatch(/inbound-message-data-action\.yaml$/);
      expect(flow.substitutions).toMatchObject({
        data_action_input: "customerId", // the one ${input.*} of the endpoint
        data_action_name: expect.stringMatching(
          /^\$\{genesyscloud_integration_action\.DataActionCustomerLookup_\w+\.name\}$/,
        ),
      });
    }
    const [action] = Object.values(json.resource.genesyscloud_integration_action) as {
      contract_input: string;
      config_timeout_seconds: number;
    }[];
    expect(JSON.parse(action.contract_input)).toMatchObject({ required: ["customerId"] });
    expect(action.config_timeout_seconds).toBe(5);
  });

  it("names no agents when the file names none: the queues get no member groups", () => {
    const environment = loadEnvironment("dev");
    const { json } = synthWith({
      ...environment,
      agents: environment.agents && { ...environment.agents, groups: [] },
    });
    expect(json.data.genesyscloud_group).toBeUndefined();
    for (const queue of Object.values(json.resource.genesyscloud_routing_queue) as { groups: string[] }[]) {
      expect(queue.groups).toEqual([]);
    }
  });

  it("writes the shard map output: per shard its deployment, queue and flow ids and its share", () => {
    const { json, plan } = synthEnvironment("dev");
    const value = json.output.shard_map.value as Record<string, unknown>[];
    expect(value).toHaveLength(plan.shards);
    expect(value[0]).toEqual({
      index: 0,
      deployment_id: expect.stringMatching(
        /^\$\{genesyscloud_webdeployments_deployment\.Channel_Shard000_Deployment_\w+\.id\}$/,
      ),
      queue_id: expect.stringMatching(/^\$\{genesyscloud_routing_queue\.Channel_Shard000_Queue_\w+\.id\}$/),
      flow_id: expect.stringMatching(/^\$\{genesyscloud_flow\.Channel_Shard000_Flow_\w+\.id\}$/),
      sessions: plan.perShard[0].sessions,
      arrivals_per_minute: plan.perShard[0].arrivalsPerMinute,
    });
  });

  it("synthesizes byte for byte the same stack with deploymentsPerQueue 1 as without it (the layout before queue groups)", () => {
    const environment = loadEnvironment("prod");
    const explicit = { ...environment, capacity: { ...environment.capacity, deploymentsPerQueue: 1 } };
    expect(JSON.stringify(synthWith(explicit).json)).toBe(JSON.stringify(synthEnvironment("prod").json));
  });

  describe("prod with 50 deployments per queue group", () => {
    const environment = loadEnvironment("prod");
    const shared = { ...environment, capacity: { ...environment.capacity, deploymentsPerQueue: 50 } };
    const { json, plan } = synthWith(shared);
    type Output = Record<string, unknown>;

    it("deploys 85 deployments on 2 queues and 2 flows, under Channel/QueueGroup000 and 001", () => {
      expect(plan.shards).toBe(85);
      expect(Object.keys(json.resource.genesyscloud_webdeployments_deployment)).toHaveLength(85);
      expect(
        Object.keys(json.resource.genesyscloud_routing_queue).map((a) => a.replace(/_\w{8}$/, "")),
      ).toEqual(["Channel_QueueGroup000_Queue", "Channel_QueueGroup001_Queue"]);
      expect(Object.keys(json.resource.genesyscloud_flow)).toHaveLength(2);
      const names = [...namesByAddress(json).values()];
      expect(names).toContain("Prod Messaging Group 001");
      expect(names).toContain("Prod Messaging Group Inbound 001");
    });

    it("writes each shard's queue group to the shard map and the capacity plan outputs", () => {
      const map = json.output.shard_map.value as Output[];
      expect(map[49]).toMatchObject({
        index: 49,
        queue_group: 0,
        queue_id: expect.stringMatching(
          /^\$\{genesyscloud_routing_queue\.Channel_QueueGroup000_Queue_\w+\.id\}$/,
        ),
      });
      expect(map[50]).toMatchObject({
        index: 50,
        queue_group: 1,
        queue_id: expect.stringMatching(
          /^\$\{genesyscloud_routing_queue\.Channel_QueueGroup001_Queue_\w+\.id\}$/,
        ),
        flow_id: expect.stringMatching(/^\$\{genesyscloud_flow\.Channel_QueueGroup001_Flow_\w+\.id\}$/),
      });
      const output = json.output.capacity_plan.value as Output;
      expect(output).toMatchObject({ deployments_per_queue: 50, queue_groups: 2 });
      expect((output.per_shard as Output[])[84]).toMatchObject({ index: 84, queue_group: 1 });
    });

    it("keeps every deployment's address and name when prod moves from 1 to 50: only their flow_id changes", () => {
      const before = synthEnvironment("prod").json.resource.genesyscloud_webdeployments_deployment as Record<
        string,
        Output
      >;
      const after = json.resource.genesyscloud_webdeployments_deployment as Record<string, Output>;
      expect(Object.keys(after)).toEqual(Object.keys(before));
      const withoutFlow = (deployment: Output) => ({ ...deployment, flow_id: undefined });
      for (const [address, deployment] of Object.entries(before)) {
        expect(withoutFlow(after[address])).toEqual(withoutFlow(deployment));
        expect(after[address].flow_id).not.toEqual(deployment.flow_id);
      }
    });
  });

  it("uses a cloud backend with a named workspace when the file asks for HCP Terraform", () => {
    const environment = {
      ...loadEnvironment("test"),
      backend: { type: "cloud" as const, organization: "acme", workspace: "genesys-test" },
    };
    const app = Testing.app();
    const stack = new GenesysEnvironmentStack(app, "gc-test", {
      environment,
      plan: planEnvironment(environment, "environments/test.yaml"),
    });
    const json = JSON.parse(Testing.synth(stack));
    expect(json.terraform.cloud).toEqual({ organization: "acme", workspaces: { name: "genesys-test" } });
  });
});

describe("main.ts", () => {
  function runMain(dir: string, outdir: string, extraEnv: Record<string, string> = {}) {
    return spawnSync(process.execPath, [join(ROOT, "node_modules/tsx/dist/cli.mjs"), join(ROOT, "main.ts")], {
      cwd: ROOT,
      // A gateway host exported in the shell running Jest is blanked (synth refuses it for prod's S3 state).
      env: {
        ...process.env,
        GENESYSCLOUD_GATEWAY_HOST: "",
        GENESYS_ENVIRONMENTS_DIR: dir,
        CDKTF_OUTDIR: outdir,
        ...extraEnv,
      },
      encoding: "utf8",
    });
  }

  it("writes no credential into cdktf.out, whatever the environment holds when it synthesizes", () => {
    const canary = `canary-${process.pid}-${Date.now()}`;
    const outdir = scratchDir("synth-canary-");
    const run = runMain(ENVIRONMENTS_DIR, outdir, {
      GENESYSCLOUD_OAUTHCLIENT_ID: `${canary}-id`,
      GENESYSCLOUD_OAUTHCLIENT_SECRET: `${canary}-secret`,
      GENESYSCLOUD_ACCESS_TOKEN: `${canary}-token`,
      GENESYSCLOUD_GATEWAY_HOST: "127.0.0.1",
      GENESYS_ALLOW_GATEWAY_ON_REMOTE_BACKEND: "gc-prod,gc-test",
      TF_VAR_data_action_prod_customer_lookup_password: `${canary}-password`,
    });
    expect(run.status).toBe(0);
    const files = readdirSync(outdir, { recursive: true, withFileTypes: true }).filter((entry) =>
      entry.isFile(),
    );
    expect(files.length).toBeGreaterThan(3);
    for (const file of files) {
      const text = readFileSync(join(file.parentPath, file.name), "utf8");
      expect([file.name, text.includes(canary)]).toEqual([file.name, false]);
    }
    expect(run.stdout + run.stderr).not.toContain(canary);
  }, 30_000);

  it("synthesizes one stack per environment file", () => {
    const outdir = scratchDir("synth-");
    const run = runMain(ENVIRONMENTS_DIR, outdir);
    expect(run.status).toBe(0);
    const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8"));
    expect(Object.keys(manifest.stacks).sort()).toEqual(["gc-dev", "gc-prod", "gc-test"]);
  }, 30_000);

  it("fails when a parameter is bad: one line per problem, no stack trace, nothing written", () => {
    const dir = scratchDir("envs-");
    const prod = readFileSync(join(ENVIRONMENTS_DIR, "prod.yaml"), "utf8").replace(
      "headroom: 0.8",
      "headroom: 1.5",
    );
    writeFileSync(join(dir, "prod.yaml"), prod);
    const outdir = join(scratchDir("synth-"), "out");
    const run = runMain(dir, outdir);
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(
      `${join(dir, "prod.yaml")}: capacity.headroom must be > 0 and <= 1, got 1.5 (the fraction of each per-shard ceiling the plan may use)`,
    );
    expect(existsSync(outdir)).toBe(false);
  }, 30_000);

  it("fails when the planner rejects the parameters, naming the environment field", () => {
    const dir = scratchDir("envs-");
    const dev = readFileSync(join(ENVIRONMENTS_DIR, "dev.yaml"), "utf8").replace(
      "sessionsPerShard: 150",
      "sessionsPerShard: 1",
    );
    writeFileSync(join(dir, "dev.yaml"), dev);
    const run = runMain(dir, join(scratchDir("synth-"), "out"));
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(
      `${join(dir, "dev.yaml")}: floor(capacity.sessionsPerShard × capacity.headroom) must be >= 1 usable session per shard, got floor(1 × 0.8) = 0`,
    );
    expect(run.stderr).not.toMatch(/\n\s+at /);
  }, 30_000);
});
