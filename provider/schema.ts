/**
 * The provider pin (`provider/genesyscloud.json`) and the schema snapshot of the real provider binary: where it
 * lives and how it is cut down to the types we generate bindings for.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** What `provider/genesyscloud.json` holds. */
export interface ProviderPin {
  /** Registry source, e.g. "mypurecloud/genesyscloud". */
  readonly source: string;
  /** The exact version every stack pins and the build script builds. */
  readonly version: string;
  /** Resource types to generate bindings for. */
  readonly resources: readonly string[];
  /** Data-source types to generate bindings for. */
  readonly dataSources: readonly string[];
}

/** The part of `terraform providers schema -json` that matters here. */
export interface ProviderSchemaJson {
  readonly format_version: string;
  readonly provider_schemas: Record<
    string,
    {
      readonly provider: unknown;
      readonly resource_schemas?: Record<string, unknown>;
      readonly data_source_schemas?: Record<string, unknown>;
    }
  >;
  readonly provider_versions?: Record<string, string>;
}

/** The registry address Terraform gives the provider. */
export function providerAddress(pin: ProviderPin): string {
  return `registry.terraform.io/${pin.source}`;
}

/** Reads the provider pin. */
export function providerPin(file = join(__dirname, "genesyscloud.json")): ProviderPin {
  return JSON.parse(readFileSync(file, "utf8")) as ProviderPin;
}

/** Where the committed schema snapshot of a version lives. */
export function schemaSnapshotPath(version: string): string {
  return join(__dirname, "schema", `genesyscloud-${version}.json.gz`);
}

/**
 * Keeps only the pinned provider and the listed resource and data-source types, and stamps `provider_versions`
 * so synthesized stacks pin the exact version. Fails naming any listed type the schema lacks: a typo must not
 * silently drop a binding.
 */
export function pruneSchema(schema: ProviderSchemaJson, pin: ProviderPin): ProviderSchemaJson {
  const address = providerAddress(pin);
  const provider = schema.provider_schemas[address];
  if (!provider) {
    throw new Error(
      `the schema has no provider ${address} (it has: ${Object.keys(schema.provider_schemas).join(", ")})`,
    );
  }
  const pick = (all: Record<string, unknown> | undefined, wanted: readonly string[], kind: string) => {
    const missing = wanted.filter((type) => !(all && type in all));
    if (missing.length > 0) throw new Error(`the ${address} schema has no ${kind} ${missing.join(", ")}`);
    return Object.fromEntries(wanted.map((type) => [type, all![type]]));
  };
  return {
    format_version: schema.format_version,
    provider_schemas: {
      [address]: {
        provider: provider.provider,
        resource_schemas: pick(provider.resource_schemas, pin.resources, "resource"),
        data_source_schemas: pick(provider.data_source_schemas, pin.dataSources, "data source"),
      },
    },
    provider_versions: { [address]: pin.version },
  };
}
