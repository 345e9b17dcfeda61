import { readFileSync } from "node:fs";
import { join } from "node:path";
import { providerPin, pruneSchema, type ProviderPin, type ProviderSchemaJson } from "../../provider/schema";

const ADDRESS = "registry.terraform.io/mypurecloud/genesyscloud";

/** A schema shaped like `terraform providers schema -json` output; the blocks' contents do not matter here. */
const schema: ProviderSchemaJson = {
  format_version: "1.0",
  provider_schemas: {
    [ADDRESS]: {
      provider: { version: 0, block: {} },
      resource_schemas: { genesyscloud_routing_queue: { version: 2 }, genesyscloud_user: { version: 1 } },
      data_source_schemas: {
        genesyscloud_auth_division_home: { version: 0 },
        genesyscloud_user: { version: 0 },
      },
    },
  },
};

const pin: ProviderPin = {
  source: "mypurecloud/genesyscloud",
  version: "1.84.1",
  resources: ["genesyscloud_routing_queue"],
  dataSources: ["genesyscloud_auth_division_home"],
};

describe("provider pin and schema snapshot", () => {
  it("pins one exact version", () => {
    expect(providerPin().version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(providerPin().source).toBe("mypurecloud/genesyscloud");
  });

  it("cdktf.json asks cdktf get for exactly the pinned version", () => {
    const cdktf = JSON.parse(readFileSync(join(__dirname, "..", "..", "cdktf.json"), "utf8"));
    const pinned = providerPin();
    expect(cdktf.terraformProviders).toEqual([`${pinned.source}@${pinned.version}`]);
  });

  it("keeps only the listed types and stamps the exact provider version", () => {
    const pruned = pruneSchema(schema, pin);
    expect(Object.keys(pruned.provider_schemas[ADDRESS].resource_schemas ?? {})).toEqual([
      "genesyscloud_routing_queue",
    ]);
    expect(Object.keys(pruned.provider_schemas[ADDRESS].data_source_schemas ?? {})).toEqual([
      "genesyscloud_auth_division_home",
    ]);
    expect(pruned.provider_versions).toEqual({ [ADDRESS]: "1.84.1" });
  });

  it("fails when a listed type is not in the schema", () => {
    expect(() => pruneSchema(schema, { ...pin, resources: ["genesyscloud_routing_queu"] })).toThrow(
      `the ${ADDRESS} schema has no resource genesyscloud_routing_queu`,
    );
  });

  it("fails when the schema holds another provider", () => {
    expect(() => pruneSchema(schema, { ...pin, source: "hashicorp/aws" })).toThrow(
      `the schema has no provider registry.terraform.io/hashicorp/aws (it has: ${ADDRESS})`,
    );
  });
});
