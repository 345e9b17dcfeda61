/** Org-wide routing utilization, as `genesyscloud_routing_utilization` uses it. */
import { useEmulator } from "./helpers";

const PATH = "/api/v2/routing/utilization";

describe("routing utilization", () => {
  const env = useEmulator();
  const { call } = env;

  it("answers the defaults, saves a PUT and resets on DELETE", async () => {
    const defaults = await call("GET", PATH);
    expect(defaults.status).toBe(200);
    expect(defaults.body.utilization).toMatchObject({
      call: { maximumCapacity: 1 },
      chat: { maximumCapacity: 4 },
      message: { maximumCapacity: 4 },
    });

    const put = await call("PUT", PATH, {
      utilization: {
        message: { maximumCapacity: 10, includeNonAcd: true, interruptableMediaTypes: ["call"] },
        email: { maximumCapacity: 0 },
      },
      labelUtilizations: { "label-1": { maximumCapacity: 2, interruptingLabelIds: ["label-2"] } },
    });
    expect(put.status).toBe(200);
    const read = await call("GET", PATH);
    expect(read.body).toEqual(put.body);
    expect(read.body.utilization).toMatchObject({
      message: { maximumCapacity: 10, includeNonAcd: true, interruptableMediaTypes: ["call"] },
      email: { maximumCapacity: 0, includeNonAcd: false },
      call: { maximumCapacity: 1 },
    });
    expect(read.body.labelUtilizations).toEqual({
      "label-1": { maximumCapacity: 2, interruptingLabelIds: ["label-2"] },
    });

    expect((await call("DELETE", PATH)).status).toBe(204);
    expect((await call("GET", PATH)).body).toEqual(defaults.body);
  });

  it.each([
    ["a media capacity over 25", { utilization: { chat: { maximumCapacity: 26 } } }],
    ["a negative media capacity", { utilization: { call: { maximumCapacity: -1 } } }],
    ["a label capacity over 25", { labelUtilizations: { l: { maximumCapacity: 30 } } }],
    ["an unknown media type", { utilization: { fax: { maximumCapacity: 1 } } }],
    ["a media type without a capacity", { utilization: { call: { includeNonAcd: true } } }],
  ])("fails with 400 for %s and keeps the old values", async (_label, body) => {
    const answer = await call("PUT", PATH, body);
    expect(answer.status).toBe(400);
    expect((await call("GET", PATH)).body.utilization.chat.maximumCapacity).toBe(4);
  });
});
