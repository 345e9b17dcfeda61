import {
  MAX_SHARDS_PER_STACK,
  SHARD_NUMBER_WIDTH,
  defaultLocalStatePath,
  displayName,
  idFromName,
  localStateFileName,
  shardId,
  shardNumber,
  stackName,
} from "../../genesys";

describe("genesys naming", () => {
  it("numbers shards with a fixed width, so a stack names at most 1,000", () => {
    expect(SHARD_NUMBER_WIDTH).toBe(3);
    expect(MAX_SHARDS_PER_STACK).toBe(1000);
    expect([0, 7, 99, 100, 999].map(shardNumber)).toEqual(["000", "007", "099", "100", "999"]);
    expect(shardId(7)).toBe("Shard007");
  });

  it.each([-1, 1000, 2.5])("fails when a shard index is %s, outside the names a stack has", (index) => {
    expect(() => shardNumber(index)).toThrow(`shard index must be an integer from 0 to 999, got ${index}`);
  });

  it("makes display names, construct ids and stack names one way", () => {
    expect(displayName("Prod", "Messaging", 7)).toBe("Prod Messaging 007");
    expect(displayName("", "Messenger")).toBe("Messenger");
    expect(idFromName("Follow-up required")).toBe("FollowUpRequired");
    expect(stackName("dev")).toBe("gc-dev");
  });

  it("keeps local state in the project root, three folders above where Terraform runs", () => {
    expect(localStateFileName("gc-dev")).toBe("terraform.gc-dev.tfstate");
    expect(defaultLocalStatePath("gc-dev")).toBe("../../../terraform.gc-dev.tfstate");
  });
});
