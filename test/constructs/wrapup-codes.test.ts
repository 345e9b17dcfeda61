import { propsErrorMessage } from "./helpers";
import { Testing, TerraformStack } from "cdktf";
import { RoutingWrapupcode } from "../../.gen/providers/genesyscloud/routing-wrapupcode";
import { WrapupCode, wrapupCodeId, WrapupCodes, type WrapupCodesProps } from "../../constructs/wrapup-codes";
import { WRAPUP_CODE_NAME_MAX_LENGTH } from "../../genesys";

function newStack(): TerraformStack {
  return new TerraformStack(Testing.app(), "test");
}

function synthCodes(props: WrapupCodesProps) {
  const stack = newStack();
  const codes = new WrapupCodes(stack, "Codes", props);
  return { codes, synth: Testing.synth(stack), json: JSON.parse(Testing.synth(stack)) };
}

/** The error message of creating the codes, or fails the test when they are created. */
function errorOf(props: WrapupCodesProps): string {
  return propsErrorMessage(() => new WrapupCodes(newStack(), "Codes", props));
}

describe("wrapupCodeId", () => {
  it.each([
    ["Billing issue", "BillingIssue"],
    ["billing-issue", "BillingIssue"],
    ["VIP callback", "VIPCallback"],
    ["  resolved / closed  ", "ResolvedClosed"],
    ["2nd contact", "2ndContact"],
    ["Résolu à distance", "RésoluÀDistance"],
  ])("%j → %s", (name, id) => {
    expect(wrapupCodeId(name)).toBe(id);
  });
});

describe("WrapupCodes", () => {
  it("makes one wrap-up code per name with only the name set by default", () => {
    const { json, synth } = synthCodes({ codes: ["Resolved", "Escalated"] });
    const resources = Object.values(json.resource.genesyscloud_routing_wrapupcode);
    expect(resources).toHaveLength(2);
    expect(resources).toEqual(expect.arrayContaining([{ name: "Resolved" }, { name: "Escalated" }]));
    expect(synth).toHaveResourceWithProperties(RoutingWrapupcode, { name: "Resolved" });
  });

  it("addresses each code by its name, so reordering the list keeps every construct id", () => {
    const first = synthCodes({ codes: ["Resolved", "Billing issue"] }).codes;
    const reordered = synthCodes({ codes: ["Billing issue", "Resolved"] }).codes;
    expect(first.node.children.map((c) => c.node.id).sort()).toEqual(["BillingIssue", "Resolved"]);
    expect(reordered.code("resolved").node.path).toBe(first.code("Resolved").node.path);
    expect(first.code("Billing issue").node.findChild("Resource")).toBeInstanceOf(RoutingWrapupcode);
  });

  it("prefixes names, and sets descriptions and divisions per code or for the whole set", () => {
    const { synth, codes } = synthCodes({
      codes: ["Resolved", { name: "Escalated", description: "Handed to tier 2", divisionId: "div-b" }],
      namePrefix: "Prod",
      divisionId: "div-a",
    });
    expect(synth).toHaveResourceWithProperties(RoutingWrapupcode, {
      name: "Prod Resolved",
      division_id: "div-a",
    });
    expect(synth).toHaveResourceWithProperties(RoutingWrapupcode, {
      name: "Prod Escalated",
      description: "Handed to tier 2",
      division_id: "div-b",
    });
    expect(codes.codes.map((code) => code.codeName)).toEqual(["Prod Resolved", "Prod Escalated"]);
    expect(codes.code("escalated").codeName).toBe("Prod Escalated");
  });

  it("exposes each code's id as a reference to the created code", () => {
    const { codes } = synthCodes({ codes: ["Resolved", "Escalated"] });
    expect(codes.codeIds).toHaveLength(2);
    expect(codes.codeIds[0]).toBe(codes.codes[0].codeId);
    expect(codes.codeIds[0]).toMatch(/\$\{TfToken\[/);
  });

  it("protects every code from destroy when asked", () => {
    const { json } = synthCodes({ codes: ["Resolved", "Escalated"], protectFromDestroy: true });
    for (const code of Object.values(json.resource.genesyscloud_routing_wrapupcode)) {
      expect(code).toMatchObject({ lifecycle: { prevent_destroy: true } });
    }
  });

  it("leaves codes unprotected by default", () => {
    const { json } = synthCodes({ codes: ["Resolved"] });
    expect(Object.values(json.resource.genesyscloud_routing_wrapupcode)[0]).not.toHaveProperty("lifecycle");
  });

  it("throws a plain error when asked for a code it does not have", () => {
    const { codes } = synthCodes({ codes: ["Resolved"] });
    expect(() => codes.code("Escalated")).toThrow('test/Codes has no wrap-up code named "Escalated"');
  });

  it("fails when there are no codes", () => {
    expect(errorOf({ codes: [] })).toContain("codes must be at least one code, got []");
  });

  it("fails when two names differ only in case or blanks, listing the duplicates", () => {
    expect(errorOf({ codes: ["Resolved", "Escalated", "resolved ", "ESCALATED"] })).toContain(
      'codes must have names unique ignoring case, got the same name at codes[0] "Resolved", codes[2] "resolved "',
    );
  });

  it("fails when two different names make the same construct id", () => {
    expect(errorOf({ codes: ["Billing issue", "Billing-Issue"] })).toContain(
      'codes must have names that make distinct construct ids, got "BillingIssue" from codes[0] "Billing issue", codes[1] "Billing-Issue" (rename one)',
    );
  });

  it("fails when a name is blank or has no letter or digit", () => {
    const message = errorOf({ codes: ["  ", { name: "--" }] });
    expect(message).toContain('codes[0].name must be a non-empty name, got "  "');
    expect(message).toContain(
      'codes[1].name must be a name with a letter or digit (the construct id is made of them), got "--"',
    );
  });

  it("fails when a name with its prefix is longer than the limit", () => {
    const name = "x".repeat(WRAPUP_CODE_NAME_MAX_LENGTH - 2);
    expect(errorOf({ codes: [name], namePrefix: "Prod" })).toContain(
      `codes[0].name must be a non-empty string of at most ${WRAPUP_CODE_NAME_MAX_LENGTH} characters, got "Prod ${name}"`,
    );
  });

  it("fails when a name is a token, since the construct id is made from it", () => {
    const stack = newStack();
    const other = new WrapupCode(stack, "Other", { name: "Other" });
    expect(() => new WrapupCodes(stack, "Codes", { codes: [other.codeId] })).toThrow(
      /codes\[0\]\.name must be a literal string \(the code's construct id is made from it\), got "\$\{TfToken/,
    );
  });

  it("fails with every problem at once, starting with the construct path", () => {
    const message = errorOf({ codes: ["Resolved", "resolved", ""], divisionId: " " });
    expect(message.split("\n")).toEqual([
      "test/Codes: invalid props",
      '  - divisionId must be a non-empty string of at most 255 characters, got " "',
      '  - codes[2].name must be a non-empty name, got ""',
      '  - codes must have names unique ignoring case, got the same name at codes[0] "Resolved", codes[1] "resolved"',
    ]);
  });
});

describe("WrapupCode", () => {
  it("makes one wrap-up code with id Resource, protected when asked", () => {
    const stack = newStack();
    const code = new WrapupCode(stack, "Resolved", { name: "Resolved", protectFromDestroy: true });
    expect(code.node.findChild("Resource")).toBeInstanceOf(RoutingWrapupcode);
    expect(Testing.synth(stack)).toHaveResourceWithProperties(RoutingWrapupcode, {
      name: "Resolved",
      lifecycle: { prevent_destroy: true },
    });
  });

  it("fails when the name is blank", () => {
    expect(() => new WrapupCode(newStack(), "Blank", { name: "" })).toThrow(
      'test/Blank: invalid props\n  - name must be a non-empty string of at most 255 characters, got ""',
    );
  });
});
