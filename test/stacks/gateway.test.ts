import { gatewayVerdict, type GatewayStack } from "../../stacks/gateway";

const STACKS: readonly GatewayStack[] = [
  { stack: "gc-dev", backend: "local" },
  { stack: "gc-prod", backend: "s3" },
  { stack: "gc-test", backend: "cloud" },
];
const EMULATOR = {
  GENESYSCLOUD_GATEWAY_HOST: "127.0.0.1",
  GENESYSCLOUD_GATEWAY_PORT: "8089",
  GENESYSCLOUD_GATEWAY_PROTOCOL: "http",
};
const pointed = (stack: string, target = "http://127.0.0.1:8089") =>
  `${stack}: GENESYSCLOUD_GATEWAY_HOST is set: the provider will send every API call to ${target}, not to Genesys Cloud`;
const refused = (stack: string, state: string) =>
  `${stack}: GENESYSCLOUD_GATEWAY_HOST is set, but ${stack} keeps its state in ${state}: a deploy through the ` +
  `gateway would write the gateway's objects into that state; unset GENESYSCLOUD_GATEWAY_HOST, or confirm with ` +
  `GENESYS_ALLOW_GATEWAY_ON_REMOTE_BACKEND=${stack}`;

describe("gatewayVerdict", () => {
  it.each([
    ["unset", {}],
    ["blank", { GENESYSCLOUD_GATEWAY_HOST: " " }],
  ])("leaves every stack on Genesys Cloud, silently, when the gateway host is %s", (_label, variables) => {
    expect(gatewayVerdict(variables, STACKS)).toEqual({ localGateway: false, notices: [], problems: [] });
  });

  it("points a stack with local state at the gateway and says so, naming the address", () => {
    expect(gatewayVerdict(EMULATOR, [STACKS[0]])).toEqual({
      localGateway: true,
      notices: [pointed("gc-dev")],
      problems: [],
    });
  });

  it("names only what is set: the provider has no default protocol or port", () => {
    const verdict = gatewayVerdict({ GENESYSCLOUD_GATEWAY_HOST: "127.0.0.1" }, [STACKS[0]]);
    expect(verdict.notices).toEqual([pointed("gc-dev", "127.0.0.1")]);
  });

  it("fails when a stack keeps its state in S3 or HCP Terraform and is not named in the allowance", () => {
    const verdict = gatewayVerdict(EMULATOR, STACKS);
    expect(verdict.problems).toEqual([refused("gc-prod", "S3"), refused("gc-test", "HCP Terraform")]);
    expect(verdict.notices).toEqual([pointed("gc-dev")]);
  });

  it("fails for a remote stack the allowance does not name, even when it names another", () => {
    const verdict = gatewayVerdict(
      { ...EMULATOR, GENESYS_ALLOW_GATEWAY_ON_REMOTE_BACKEND: "gc-prod" },
      STACKS,
    );
    expect(verdict.problems).toEqual([refused("gc-test", "HCP Terraform")]);
  });

  it("points remote stacks at the gateway when the allowance names each of them", () => {
    const verdict = gatewayVerdict(
      { ...EMULATOR, GENESYS_ALLOW_GATEWAY_ON_REMOTE_BACKEND: "gc-prod, gc-test" },
      STACKS,
    );
    expect(verdict).toEqual({
      localGateway: true,
      notices: [
        pointed("gc-dev"),
        `${pointed("gc-prod")}; its state is in S3, allowed by GENESYS_ALLOW_GATEWAY_ON_REMOTE_BACKEND`,
        `${pointed("gc-test")}; its state is in HCP Terraform, allowed by GENESYS_ALLOW_GATEWAY_ON_REMOTE_BACKEND`,
      ],
      problems: [],
    });
  });

  it("points out an allowance that names no stack with remote state (a typo, or a local stack)", () => {
    const verdict = gatewayVerdict(
      { ...EMULATOR, GENESYS_ALLOW_GATEWAY_ON_REMOTE_BACKEND: "gc-prod,gc-prd,gc-dev" },
      STACKS.slice(0, 2),
    );
    expect(verdict.problems).toEqual([]);
    expect(verdict.notices.slice(2)).toEqual([
      "GENESYS_ALLOW_GATEWAY_ON_REMOTE_BACKEND names gc-prd, which is not a stack with remote state (gc-prod): " +
        "nothing to allow",
      "GENESYS_ALLOW_GATEWAY_ON_REMOTE_BACKEND names gc-dev, which is not a stack with remote state (gc-prod): " +
        "nothing to allow",
    ]);
  });
});
