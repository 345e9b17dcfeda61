import type { TerraformStack } from "cdktf";
import { GenesyscloudProvider } from "../.gen/providers/genesyscloud/provider";

/**
 * The OAuth clients the provider holds at once. Terraform runs at most 10 operations at a time
 * (`-parallelism=10`), and each needs a client from the pool: fewer would serialize an apply, more cannot raise
 * throughput, which the Platform API caps at 300 requests per minute per OAuth client whatever the pool size.
 * The provider's default is the same 10; it is written down so a change is a reviewed decision.
 */
export const TOKEN_POOL_SIZE = 10;

/**
 * How long the provider retries a read that answers 404 right after a create or update (Genesys Cloud is
 * eventually consistent; the provider's default is 5 minutes). Two minutes covers the seconds the API usually
 * takes, while a genuinely missing object (a wrong id, a deleted dependency) fails a deploy in 2 minutes, not 5.
 */
export const CUSTOM_RETRY_TIMEOUT = "2m";

/** How a stack reaches the Genesys Cloud Platform API. */
export interface GenesysProviderOptions {
  /** The org's region key (`us-east-1`, `eu-west-1`, ...), from the environment file. */
  readonly region: string;
  /**
   * Send every API call to a local gateway (the emulator) instead of the region's API. The block is left empty:
   * the provider reads its host, port and protocol from `GENESYSCLOUD_GATEWAY_HOST`, `_PORT` and `_PROTOCOL` when
   * it runs, so the synthesized JSON names no machine-specific address.
   * @default false - calls go to the region's `api.<domain>` over HTTPS
   */
  readonly localGateway?: boolean;
  /**
   * An OAuth client of the stack's own (a shard group's), as references to sensitive Terraform variables that
   * default to null: null leaves the provider on `GENESYSCLOUD_OAUTHCLIENT_ID` / `_SECRET`. Never literals.
   * @default - the provider reads the environment's client from its environment variables
   */
  readonly client?: { readonly id: string; readonly secret: string };
}

/**
 * Configures the `genesyscloud` provider of a stack. Credentials are never part of it: the provider reads
 * `GENESYSCLOUD_OAUTHCLIENT_ID` / `GENESYSCLOUD_OAUTHCLIENT_SECRET` (or `GENESYSCLOUD_ACCESS_TOKEN`) from the
 * environment of `terraform plan`/`apply`, so nothing sensitive is in code, props or `cdktf.out/`.
 * The region comes from the environment file, so a stray `GENESYSCLOUD_REGION` cannot point prod at another org.
 */
export function configureGenesysProvider(
  stack: TerraformStack,
  options: GenesysProviderOptions,
): GenesyscloudProvider {
  return new GenesyscloudProvider(stack, "genesyscloud", {
    awsRegion: options.region,
    tokenPoolSize: TOKEN_POOL_SIZE,
    customRetryTimeout: CUSTOM_RETRY_TIMEOUT,
    gateway: options.localGateway ? [{}] : undefined,
    ...(options.client === undefined
      ? {}
      : { oauthclientId: options.client.id, oauthclientSecret: options.client.secret }),
  });
}
