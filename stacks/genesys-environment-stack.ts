import { TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { CapacityPlan } from "../capacity";
import type { EnvironmentConfig } from "../config/environment";
import { configureBackend } from "./backend";
import { configureGenesysProvider } from "./provider";

/** Props of {@link GenesysEnvironmentStack}. */
export interface GenesysEnvironmentStackProps {
  /** The validated environment file. */
  readonly environment: EnvironmentConfig;
  /** The capacity plan computed from it (how many shards, each shard's share). */
  readonly plan: CapacityPlan;
  /**
   * Deploy into a local Platform API (the emulator) through the provider's `gateway` block.
   * @default false - the org's region API
   */
  readonly localGateway?: boolean;
}

/**
 * Everything one Genesys Cloud environment's Terraform state holds.
 *
 * Today it carries the state backend and the capacity plan as outputs. The Genesys Cloud objects (the sharded
 * messaging channel, queues, flows, Data Actions, utilization) join it once typed bindings of the real
 * `mypurecloud/genesyscloud` provider can be generated: see the README, "Status".
 */
export class GenesysEnvironmentStack extends TerraformStack {
  /** The environment this stack deploys. */
  public readonly environment: EnvironmentConfig;
  /** The capacity plan it was sized with. */
  public readonly plan: CapacityPlan;

  constructor(scope: Construct, id: string, props: GenesysEnvironmentStackProps) {
    super(scope, id);
    this.environment = props.environment;
    this.plan = props.plan;
    configureBackend(this, props.environment.backend);
    configureGenesysProvider(this, { region: props.environment.region, localGateway: props.localGateway });

    new TerraformOutput(this, "capacity_plan", {
      description:
        "How many messaging shards the target needs, what binds, and each shard's share of sessions",
      value: {
        environment: props.environment.name,
        shards: props.plan.shards,
        base_shards: props.plan.baseShards,
        spares: props.plan.spares,
        binding: props.plan.binding,
        per_shard: props.plan.perShard.map((s) => ({
          index: s.index,
          sessions: s.sessions,
          arrivals_per_minute: s.arrivalsPerMinute,
        })),
      },
    });
  }
}
