/** Where a rehearsal connects and with what Origin (rehearsal/target.ts, genesys/regions.ts): pure, no network. */
import fc from "fast-check";
import { GENESYS_REGIONS } from "../../config/schema";
import { REGION_DOMAINS, guestEndpoint, regionDomain } from "../../genesys";
import { guestOrigin, isLoopbackHost, orgGuestUrl } from "../../rehearsal/target";

describe("isLoopbackHost", () => {
  it.each([
    ["127.0.0.1", true],
    ["127.255.3.9", true],
    ["localhost", true],
    ["LOCALHOST", true],
    ["[::1]", true],
    ["::1", true],
    ["127.0.0.256", false],
    ["128.0.0.1", false],
    ["10.0.0.1", false],
    ["0.0.0.0", false],
    ["[::2]", false],
    ["localhost.example.com", false],
    ["127.0.0.1.nip.io", false], // resolves to 127.0.0.1, but nothing is resolved to decide
    ["webmessaging.mypurecloud.com", false],
  ])("%s is loopback: %p", (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });

  it("takes no host name but localhost, whatever it looks like (property)", () => {
    fc.assert(
      fc.property(fc.domain(), (domain) => isLoopbackHost(domain) === (domain.toLowerCase() === "localhost")),
    );
  });
});

describe("the org's guest endpoint", () => {
  it("is wss://webmessaging.<region domain>/v1, as the Java Web Messaging SDK's hosts", () => {
    expect(orgGuestUrl("us-east-1")).toBe("wss://webmessaging.mypurecloud.com/v1");
    expect(orgGuestUrl("eu-central-1")).toBe("wss://webmessaging.mypurecloud.de/v1");
    expect(orgGuestUrl("ap-southeast-2")).toBe("wss://webmessaging.mypurecloud.com.au/v1");
    expect(orgGuestUrl("EU-WEST-2")).toBe("wss://webmessaging.euw2.pure.cloud/v1");
  });

  it("is known for every region an environment file may name (config's list and genesys/'s table agree)", () => {
    expect([...GENESYS_REGIONS].sort()).toEqual(Object.keys(REGION_DOMAINS).sort());
    for (const region of GENESYS_REGIONS)
      expect(guestEndpoint(region)).toMatch(/^wss:\/\/webmessaging\.[a-z0-9.-]+\/v1$/);
  });

  it("fails on an unknown region, and no Object member passes for one", () => {
    expect(regionDomain("constructor")).toBeUndefined();
    expect(guestEndpoint("mars-north-1")).toBeUndefined();
    expect(() => orgGuestUrl("mars-north-1")).toThrow('no guest endpoint is known for region "mars-north-1"');
  });
});

describe("guestOrigin", () => {
  it.each<[Parameters<typeof guestOrigin>[0], string | undefined]>([
    [{ allowedDomains: ["dev.example.com", "localhost"] }, "https://dev.example.com"],
    [{ allowedDomains: ["*.example.com"] }, "https://example.com"],
    [{ allowedDomains: ["https://shop.example.com:8443/path"] }, "https://shop.example.com:8443"],
    [{ allowedDomains: [" ", "www.example.com"] }, "https://www.example.com"],
    [{ allowAllDomains: true }, undefined],
    [{ allowAllDomains: true, allowedDomains: ["ignored.example.com"] }, undefined],
    [{ allowedDomains: [] }, undefined],
    [{}, undefined],
  ])("%j sends Origin %p", (messaging, expected) => {
    expect(guestOrigin(messaging)).toBe(expected);
  });
});
