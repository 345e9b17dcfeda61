/**
 * The comparison `npm run cdktn:check` makes between what cdktf 0.21 and CDK Terrain synthesize for the same
 * stack (scripts/cdktn/compare.ts): framework metadata (the `"//"` blocks) and formatting never count, a change
 * of any Terraform value does, and the diff names it.
 */
import {
  compareStack,
  formatDifferences,
  jsonDifferences,
  shortJson,
  withoutMetadata,
} from "../../scripts/cdktn/compare";

/** A cut-down gc-dev cdk.tf.json as cdktf 0.21 writes it (the shape and names of the real file). */
function stack(version: string, queueName = "Dev Messaging 000"): Record<string, unknown> {
  return {
    "//": {
      metadata: { backend: "local", stackName: "gc-dev", version },
      outputs: { "gc-dev": { capacity_plan: "capacity_plan", shard_map: "shard_map" } },
    },
    terraform: {
      backend: { local: { path: "/work/terraform.gc-dev.tfstate" } },
      required_providers: {
        genesyscloud: { source: "registry.terraform.io/mypurecloud/genesyscloud", version: "1.82.0" },
      },
    },
    resource: {
      genesyscloud_routing_queue: {
        Channel_Shard000_Queue_6C3B9E1A: {
          "//": {
            metadata: {
              path: "gc-dev/Channel/Shard000/Queue/Resource",
              uniqueId: "Channel_Shard000_Queue_6C3B9E1A",
            },
          },
          name: queueName,
          skill_groups: [],
          wrapup_codes: ["${genesyscloud_routing_wrapupcode.WrapupCodes_Resolved_E68CB19D.id}"],
        },
      },
    },
  };
}

describe("compareStack", () => {
  it("finds a metadata-only difference the same stack, and reports it apart", () => {
    const cdktf = stack("0.21.0");
    const cdktn = stack("0.24.0");
    // A construct path that only the metadata carries.
    const queue = (cdktn.resource as Record<string, Record<string, Record<string, unknown>>>)
      .genesyscloud_routing_queue.Channel_Shard000_Queue_6C3B9E1A;
    queue["//"] = {
      metadata: { path: "gc-dev/Channel/Shard000/Queue", uniqueId: "Channel_Shard000_Queue_6C3B9E1A" },
    };

    const comparison = compareStack(cdktf, cdktn);

    expect(comparison.same).toBe(true);
    expect(comparison.differences).toEqual([]);
    expect(comparison.metadataDifferences).toEqual([
      { path: '"//".metadata.version', left: "0.21.0", right: "0.24.0" },
      {
        path: 'resource.genesyscloud_routing_queue.Channel_Shard000_Queue_6C3B9E1A."//".metadata.path',
        left: "gc-dev/Channel/Shard000/Queue/Resource",
        right: "gc-dev/Channel/Shard000/Queue",
      },
    ]);
    expect(formatDifferences("gc-dev", comparison.differences)).toEqual([]);
  });

  it("finds the same stack when only the JSON formatting differs (cdktf 0.21 writes [] over two lines)", () => {
    const cdktf = JSON.parse(
      JSON.stringify(stack("0.21.0"), null, 2).replace('"skill_groups": []', '"skill_groups": [\n]'),
    );
    expect(compareStack(cdktf, stack("0.21.0")).same).toBe(true);
  });

  it("fails when a Terraform value differs, naming its path and both values", () => {
    const comparison = compareStack(stack("0.21.0"), stack("0.24.0", "Dev Messaging 0"));

    expect(comparison.same).toBe(false);
    expect(comparison.differences).toEqual([
      {
        path: "resource.genesyscloud_routing_queue.Channel_Shard000_Queue_6C3B9E1A.name",
        left: "Dev Messaging 000",
        right: "Dev Messaging 0",
      },
    ]);
    expect(formatDifferences("gc-dev", comparison.differences)).toEqual([
      "gc-dev: 1 difference outside the framework metadata",
      "  resource.genesyscloud_routing_queue.Channel_Shard000_Queue_6C3B9E1A.name",
      '    - cdktf: "Dev Messaging 000"',
      '    + cdktn: "Dev Messaging 0"',
    ]);
  });

  it("fails when a resource, a key or a list item is on one side only, metadata and all", () => {
    const cdktf = stack("0.21.0");
    const cdktn = stack("0.21.0");
    const resources = cdktn.resource as Record<string, Record<string, Record<string, unknown>>>;
    resources.genesyscloud_routing_wrapupcode = { WrapupCodes_Resolved_E68CB19D: { name: "Resolved" } };
    const queue = resources.genesyscloud_routing_queue.Channel_Shard000_Queue_6C3B9E1A;
    (queue.wrapup_codes as string[]).push(
      "${genesyscloud_routing_wrapupcode.WrapupCodes_Escalated_356B1733.id}",
    );
    delete queue.skill_groups;

    const comparison = compareStack(cdktf, cdktn);

    expect(comparison.same).toBe(false);
    expect(comparison.differences.map((d) => d.path)).toEqual([
      "resource.genesyscloud_routing_queue.Channel_Shard000_Queue_6C3B9E1A.skill_groups",
      "resource.genesyscloud_routing_queue.Channel_Shard000_Queue_6C3B9E1A.wrapup_codes[1]",
      "resource.genesyscloud_routing_wrapupcode",
    ]);
    const lines = formatDifferences("gc-dev", comparison.differences);
    expect(lines[0]).toBe("gc-dev: 3 differences outside the framework metadata");
    expect(lines).toContain("    - cdktf: []");
    expect(lines).toContain("    + cdktn: (absent)");
    expect(lines).toContain('    + cdktn: {"WrapupCodes_Resolved_E68CB19D":{"name":"Resolved"}}');
  });

  it("caps the diff at the given number of differences and says how many more", () => {
    const many = Array.from({ length: 5 }, (_, i) => ({ path: `output.o${i}.value`, left: i, right: i + 1 }));
    const lines = formatDifferences("gc-prod", many, ["cdktf", "cdktn"], 2);
    expect(lines[0]).toBe("gc-prod: 5 differences outside the framework metadata");
    expect(lines.at(-1)).toBe("  … and 3 more");
    expect(lines).toHaveLength(1 + 2 * 3 + 1);
  });
});

describe("withoutMetadata", () => {
  it("removes every metadata block, at any depth, and leaves its input alone", () => {
    const input = stack("0.21.0");
    const normalized = withoutMetadata(input) as Record<string, unknown>;
    expect(JSON.stringify(normalized)).not.toContain('"//"');
    expect(JSON.stringify(input)).toContain('"//"');
    expect(normalized).toEqual(withoutMetadata(stack("0.24.0")));
    expect(normalized).not.toEqual(withoutMetadata(stack("0.24.0", "Other")));
  });
});

describe("jsonDifferences and shortJson", () => {
  it("names a change of the whole document, and quotes keys that are not plain words", () => {
    expect(jsonDifferences(1, 2)).toEqual([{ path: "(the whole document)", left: 1, right: 2 }]);
    expect(jsonDifferences({ tags: { "a.b": 1 } }, { tags: { "a.b": 2 } })).toEqual([
      { path: 'tags."a.b"', left: 1, right: 2 },
    ]);
  });

  it("cuts long values to one line", () => {
    expect(shortJson("x".repeat(300), 20)).toHaveLength(20);
    expect(shortJson(undefined)).toBe("(absent)");
  });
});
