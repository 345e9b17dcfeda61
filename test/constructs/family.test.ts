/**
 * The constructs are one family (README, "What each stack deploys"): every construct `constructs/` exports
 * validates the same way, exposes the resources it generates, takes the one destroy-protection prop with the same
 * meaning and default, and documents its props in one layout. A construct exported without a case below, or one
 * that leaves the family, fails here.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { TerraformResource, TerraformStack, Testing } from "cdktf";
import { Construct } from "constructs";
import * as ts from "typescript";
import { RoutingQueue } from "../../.gen/providers/genesyscloud/routing-queue";
import * as family from "../../constructs";
import {
  acknowledgeDataActionProps,
  AgentUtilization,
  ConstructPropsError,
  DataAction,
  DEFAULT_PROTECT_FROM_DESTROY,
  InboundCallFlow,
  InboundMessageFlow,
  Ivr,
  MessagingDeployment,
  MessengerConfiguration,
  Queue,
  ShardedWebMessagingChannel,
  VoiceEntry,
  WrapupCode,
  WrapupCodes,
  type DataActionProps,
  type DestroyProtectionProps,
} from "../../constructs";
import { readInboundCallTemplates } from "../../stacks/voice";
import { FLOW_TEMPLATES } from "./helpers";

const CALL_TEMPLATES = readInboundCallTemplates();
const TICKET = acknowledgeDataActionProps({ name: "Ticket", endpoint: "https://tickets.example.com/calls" });

/** How the family test builds one construct; `scope` is a fresh stack named `test`, the construct's id `Subject`. */
interface FamilyCase<C extends Construct> {
  /** Builds it with valid props and the given protection (spread last over the props). */
  readonly create: (scope: Construct, protection: DestroyProtectionProps) => C;
  /** Every generated resource, reached only through the construct's public accessors. */
  readonly exposed: (construct: C) => readonly (TerraformResource | undefined)[];
  /** Builds it with props that have at least two problems. */
  readonly invalid: (scope: Construct) => unknown;
}

const ID = "Subject";

/** A construct with a queue's name and its resource as `Resource`, for the flow to transfer to. */
function testQueue(scope: Construct): { queueName: string } & Construct {
  const queue = new Construct(scope, "TestQueue");
  return Object.assign(queue, { queueName: new RoutingQueue(queue, "Resource", { name: "Support" }).name });
}

const LOOKUP: DataActionProps = {
  name: "Customer Lookup",
  request: { method: "GET", urlTemplate: "https://crm.example.com/customers/${input.conversationId}" },
  contractInput: { type: "object", properties: { conversationId: { type: "string" } } },
  contractOutput: { type: "object", properties: {} },
  credential: { type: "basicAuth", fields: { userName: "svc" } },
};

const flowProps = (scope: Construct) => ({
  name: "Messaging 000",
  queue: testQueue(scope),
  templates: FLOW_TEMPLATES,
});

const deploymentProps = (scope: Construct) => ({
  name: "Messenger 000",
  flow: new InboundMessageFlow(scope, "Flow", flowProps(scope)),
  allowedDomains: ["www.example.com"],
});

const shares = [0, 1].map((index) => ({ index, sessions: 10, arrivalsPerMinute: undefined }));

/** One case per construct class `constructs/` exports, by class name. */
const CASES: Record<string, FamilyCase<Construct>> = {
  Queue: familyCase({
    create: (scope, protection) => new Queue(scope, ID, { name: "Support", ...protection }),
    exposed: (queue) => [queue.resource],
    invalid: (scope) => new Queue(scope, ID, { name: "", alertingTimeoutSeconds: 1 }),
  }),
  WrapupCode: familyCase({
    create: (scope, protection) => new WrapupCode(scope, ID, { name: "Resolved", ...protection }),
    exposed: (code) => [code.resource],
    invalid: (scope) => new WrapupCode(scope, ID, { name: "", divisionId: " " }),
  }),
  WrapupCodes: familyCase({
    create: (scope, protection) =>
      new WrapupCodes(scope, ID, { codes: ["Resolved", "Escalated"], ...protection }),
    exposed: (codes) => codes.codes.map((code) => code.resource),
    invalid: (scope) => new WrapupCodes(scope, ID, { codes: ["Resolved", "resolved"], divisionId: " " }),
  }),
  AgentUtilization: familyCase({
    create: (scope, protection) =>
      new AgentUtilization(scope, ID, { message: { maximumCapacity: 4 }, ...protection }),
    exposed: (utilization) => [utilization.resource],
    invalid: (scope) =>
      new AgentUtilization(scope, ID, { call: { maximumCapacity: 30 }, chat: { maximumCapacity: -1 } }),
  }),
  DataAction: familyCase({
    create: (scope, protection) => new DataAction(scope, ID, { ...LOOKUP, ...protection }),
    exposed: (action) => [action.resource, action.integration, action.credential],
    invalid: (scope) => new DataAction(scope, ID, { ...LOOKUP, name: "", timeoutSeconds: 0 }),
  }),
  InboundMessageFlow: familyCase({
    create: (scope, protection) => new InboundMessageFlow(scope, ID, { ...flowProps(scope), ...protection }),
    exposed: (flow) => [flow.resource],
    invalid: (scope) =>
      new InboundMessageFlow(scope, ID, { ...flowProps(scope), name: " ", dataActionInput: "id" }),
  }),
  InboundCallFlow: familyCase({
    create: (scope, protection) =>
      new InboundCallFlow(scope, ID, {
        name: "Voice Entry",
        queue: testQueue(scope),
        templates: CALL_TEMPLATES,
        ...protection,
      }),
    exposed: (flow) => [flow.resource],
    invalid: (scope) =>
      new InboundCallFlow(scope, ID, {
        name: " ",
        queue: testQueue(scope),
        templates: CALL_TEMPLATES,
        greeting: "{{x}}",
      }),
  }),
  Ivr: familyCase({
    create: (scope, protection) =>
      new Ivr(scope, ID, {
        name: "Voice IVR",
        dnis: ["+13175550100"],
        openHoursFlow: { flowId: "flow" },
        ...protection,
      }),
    exposed: (ivr) => [ivr.resource],
    invalid: (scope) => new Ivr(scope, ID, { name: "", dnis: ["0"], openHoursFlow: { flowId: "flow" } }),
  }),
  VoiceEntry: familyCase({
    create: (scope, protection) =>
      new VoiceEntry(scope, ID, {
        namePrefix: "Prod",
        dnis: ["+13175550100"],
        templates: CALL_TEMPLATES,
        dataAction: TICKET,
        ...protection,
      }),
    exposed: (entry) => [
      entry.queue.resource,
      entry.flow.resource,
      entry.ivr.resource,
      entry.dataAction?.resource,
      entry.dataAction?.integration,
      entry.dataAction?.credential,
    ],
    invalid: (scope) =>
      new VoiceEntry(scope, ID, {
        namePrefix: "Prod",
        dnis: [],
        templates: CALL_TEMPLATES,
        dataAction: { ...TICKET, timeoutSeconds: 40 },
      }),
  }),
  MessengerConfiguration: familyCase({
    create: (scope, protection) =>
      new MessengerConfiguration(scope, ID, { name: "Messenger", ...protection }),
    exposed: (configuration) => [configuration.resource],
    invalid: (scope) => new MessengerConfiguration(scope, ID, { name: "", languages: [] }),
  }),
  MessagingDeployment: familyCase({
    create: (scope, protection) =>
      new MessagingDeployment(scope, ID, { ...deploymentProps(scope), ...protection }),
    exposed: (deployment) => [deployment.resource, deployment.configuration.resource],
    invalid: (scope) =>
      new MessagingDeployment(scope, ID, { ...deploymentProps(scope), name: "", allowedDomains: [] }),
  }),
  ShardedWebMessagingChannel: familyCase({
    create: (scope, protection) =>
      new ShardedWebMessagingChannel(scope, ID, {
        plan: { perShard: shares },
        namePrefix: "Prod",
        flowTemplates: FLOW_TEMPLATES,
        allowedDomains: ["www.example.com"],
        ...protection,
      }),
    exposed: (channel) => [
      channel.messengerConfiguration.resource,
      ...channel.shards.flatMap((shard) => [
        shard.queue.resource,
        shard.flow.resource,
        shard.deployment.resource,
      ]),
    ],
    invalid: (scope) =>
      new ShardedWebMessagingChannel(scope, ID, {
        plan: { perShard: [{ ...shares[1], index: 1 }, ...Array(1000).fill(shares[0])] },
        namePrefix: "Prod",
        flowTemplates: FLOW_TEMPLATES,
        allowedDomains: ["www.example.com"],
      }),
  }),
};

/** Keeps each case's construct type for its own functions. */
function familyCase<C extends Construct>(spec: FamilyCase<C>): FamilyCase<Construct> {
  return spec as unknown as FamilyCase<Construct>;
}

/** Compile-time: every exported construct's props carry `protectFromDestroy?: boolean` (tsc checks this file). */
type Exports = typeof family;
type ConstructClass = new (scope: Construct, id: string, props: never) => Construct;
type ConstructNames = { [K in keyof Exports]: Exports[K] extends ConstructClass ? K : never }[keyof Exports];
type PropsOf<C> = C extends new (scope: Construct, id: string, props: infer P) => Construct ? P : never;
type Unprotected = {
  [K in ConstructNames]: "protectFromDestroy" extends keyof PropsOf<Exports[K]>
    ? PropsOf<Exports[K]>["protectFromDestroy"] extends boolean | undefined
      ? never
      : K
    : K;
}[ConstructNames];
const everyConstructTakesProtectFromDestroy: [Unprotected] extends [never] ? true : Unprotected = true;

/** The class names of every construct `constructs/` exports. */
const exportedConstructs = Object.entries(family)
  .filter(([, value]) => typeof value === "function" && value.prototype instanceof Construct)
  .map(([name]) => name)
  .sort();

/** Builds a case in a fresh stack and synthesizes it. */
function build(name: string, protection: DestroyProtectionProps) {
  const stack = new TerraformStack(Testing.app(), "test");
  const construct = CASES[name].create(stack, protection);
  const json = JSON.parse(Testing.synth(stack)) as {
    resource: Record<string, Record<string, { lifecycle?: { prevent_destroy?: boolean } }>>;
  };
  const generated = construct.node
    .findAll()
    .filter((c): c is TerraformResource => c instanceof TerraformResource);
  const synthesized = (resource: TerraformResource) =>
    json.resource[resource.terraformResourceType][resource.friendlyUniqueId];
  return { construct, generated, synthesized };
}

describe("the construct family", () => {
  it("has a case for every construct constructs/ exports, and a case only for those", () => {
    expect(everyConstructTakesProtectFromDestroy).toBe(true);
    expect(exportedConstructs.length).toBeGreaterThanOrEqual(9);
    expect(Object.keys(CASES).sort()).toEqual(exportedConstructs);
  });

  describe.each(exportedConstructs)("%s", (name) => {
    it("exposes every resource it generates; one named Resource is its resource and node.defaultChild", () => {
      const { construct, generated } = build(name, {});
      expect(generated.length).toBeGreaterThan(0);
      const exposed = CASES[name].exposed(construct).filter((r) => r !== undefined);
      const paths = (resources: readonly TerraformResource[]) => resources.map((r) => r.node.path).sort();
      expect(paths(exposed)).toEqual(paths(generated));
      for (const resource of exposed) expect(generated).toContain(resource);
      const main = construct.node.tryFindChild("Resource");
      if (main) {
        expect(main).toBeInstanceOf(TerraformResource);
        expect(construct.node.defaultChild).toBe(main);
        expect((construct as unknown as { resource: unknown }).resource).toBe(main);
      } else {
        // A composite: its parts are its accessors (checked above), and it has no default child.
        expect(construct.node.defaultChild).toBeUndefined();
      }
    });

    it("takes protectFromDestroy: off by default, and when true prevent_destroy on every resource it generates", () => {
      expect(DEFAULT_PROTECT_FROM_DESTROY).toBe(false);
      for (const protection of [{}, { protectFromDestroy: false }]) {
        const { generated, synthesized } = build(name, protection);
        for (const resource of generated) {
          expect([resource.node.path, synthesized(resource).lifecycle]).toEqual([
            resource.node.path,
            undefined,
          ]);
        }
      }
      const { generated, synthesized } = build(name, { protectFromDestroy: true });
      for (const resource of generated) {
        expect([resource.node.path, synthesized(resource).lifecycle]).toEqual([
          resource.node.path,
          { prevent_destroy: true },
        ]);
      }
    });

    it("fails with one error that starts with its path and lists each problem, before it creates any child", () => {
      const stack = new TerraformStack(Testing.app(), "test");
      let error: unknown;
      try {
        CASES[name].invalid(stack);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConstructPropsError);
      const { path, problems, message } = error as ConstructPropsError;
      expect(path).toBe(`test/${ID}`);
      expect(problems.length).toBeGreaterThanOrEqual(2);
      expect(message.split("\n")).toEqual([`test/${ID}: invalid props`, ...problems.map((p) => `  - ${p}`)]);
      for (const problem of problems) expect(problem).toMatch(/^[\w.[\]]+ must /);
      expect(stack.node.findChild(ID).node.children).toEqual([]);
    });
  });

  describe("props documentation", () => {
    const folder = join(__dirname, "..", "..", "constructs");
    const members = readdirSync(folder)
      .filter((file) => file.endsWith(".ts"))
      .flatMap((file) => {
        const text = readFileSync(join(folder, file), "utf8");
        const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
        return source.statements
          .filter(ts.isInterfaceDeclaration)
          .filter((node) => node.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword))
          .flatMap((node) =>
            node.members.filter(ts.isPropertySignature).map((member) => {
              const ranges = ts.getLeadingCommentRanges(text, member.getFullStart()) ?? [];
              const last = ranges[ranges.length - 1];
              return {
                name: `${file}: ${node.name.text}.${member.name.getText(source)}`,
                optional: member.questionToken !== undefined,
                doc: last ? text.slice(last.pos, last.end) : "",
              };
            }),
          );
      });

    it("reads every exported interface of constructs/", () => {
      expect(members.map((m) => m.name)).toContain(
        "protection.ts: DestroyProtectionProps.protectFromDestroy",
      );
      expect(members.length).toBeGreaterThan(50);
    });

    it.each(members.map((m) => [m.name, m] as const))(
      "%s has a block JSDoc, with @default on its own line when optional",
      (_name, { optional, doc }) => {
        const lines = doc.split("\n").map((line) => line.trim());
        expect(lines[0]).toBe("/**");
        expect(lines[lines.length - 1]).toBe("*/");
        expect(lines.length).toBeGreaterThanOrEqual(3);
        const defaults = lines.filter((line) => line.includes("@default"));
        expect(defaults.every((line) => line.startsWith("* @default "))).toBe(true);
        expect(defaults.length).toBe(optional ? 1 : 0);
        expect(defaults.some((line) => line.includes("@default undefined"))).toBe(false);
      },
    );
  });
});
