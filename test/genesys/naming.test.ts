import {
  MAX_QUEUE_GROUPS_PER_STACK,
  MAX_SHARDS_PER_STACK,
  QUEUE_GROUP_NUMBER_WIDTH,
  SHARD_NUMBER_WIDTH,
  defaultLocalStatePath,
  displayName,
  idFromName,
  localStateFileName,
  queueGroupId,
  queueGroupNumber,
  queueGroupOf,
  shardId,
  shardNumber,
  stackName,
} from "../../genesys";

describe("genesys naming", () => {
  it("numbers shards with at least three digits, so no shard is renamed when shard groups pass 999", () => {
    expect(SHARD_NUMBER_WIDTH).toBe(3);
    expect(MAX_SHARDS_PER_STACK).toBe(1000);
    expect([0, 7, 99, 100, 999, 1000, 1250].map(shardNumber)).toEqual([
      "000",
      "007",
      "099",
      "100",
      "999",
      "1000",
      "1250",
    ]);
    expect(shardId(7)).toBe("Shard007");
    expect(shardId(1000)).toBe("Shard1000");
  });

  it.each([-1, 2.5])("fails when a shard index is %s, not a shard's", (index) => {
    expect(() => shardNumber(index)).toThrow(`shard index must be an integer >= 0, got ${index}`);
  });

  it("numbers queue groups with the same fixed width, QueueGroup000 to QueueGroup999", () => {
    expect(QUEUE_GROUP_NUMBER_WIDTH).toBe(3);
    expect(MAX_QUEUE_GROUPS_PER_STACK).toBe(1000);
    expect(queueGroupNumber(2)).toBe("002");
    expect(queueGroupId(12)).toBe("QueueGroup012");
    expect(displayName("Prod", "Messaging Group", 1)).toBe("Prod Messaging Group 001");
    expect(() => queueGroupNumber(1000)).toThrow(
      "queue group index must be an integer from 0 to 999, got 1000",
    );
  });

  it("puts deployment i on queue group floor(i / d): contiguous blocks that growth never moves", () => {
    expect([0, 1, 4, 5, 9, 10].map((i) => queueGroupOf(i, 5))).toEqual([0, 0, 0, 1, 1, 2]);
    expect([0, 7, 999].map((i) => queueGroupOf(i, 1))).toEqual([0, 7, 999]);
    expect(() => queueGroupOf(3, 0)).toThrow("deploymentsPerQueue must be an integer >= 1, got 0");
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
