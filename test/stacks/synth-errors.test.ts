import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { ENVIRONMENTS_DIR, parseEnvironment } from "../../config/environment";
import { ConstructPropsError } from "../../constructs";
import { stackErrorLines, unexpectedErrorLine } from "../../stacks/synth-errors";

const LABEL = "environments/prod.yaml";
const prod = parseEnvironment(
  parse(readFileSync(join(ENVIRONMENTS_DIR, "prod.yaml"), "utf8")),
  LABEL,
  "prod",
);

/** The line synth prints for one problem of the construct at `path` (under gc-prod). */
function lineFor(path: string, problem: string): string {
  const lines = stackErrorLines(
    new ConstructPropsError(`gc-prod/${path}`, [problem]),
    prod,
    LABEL,
    "gc-prod",
  );
  expect(lines).toHaveLength(1);
  return lines![0];
}

describe("stackErrorLines: a construct's refusal as synth prints it", () => {
  it.each([
    ["WrapupCodes", "codes[0].name must be x", "wrapupCodes"],
    ["Utilization", "message.maximumCapacity must be x", "agents.messageCapacity"],
    ["DataActionOrderStatus", "timeoutSeconds must be x", "dataActions[1]"],
    ["Channel", "plan.perShard.length must be x", "capacity"],
    ["Channel/Shard007/Queue", "acwTimeoutMs must be x", "queue"],
    ["Channel/Shard007/Queue", "name must be x", "namePrefix"],
    ["Channel/Shard007/Deployment", "allowedDomains[0] must be x", "messaging"],
    ["Channel/Messenger", "fileUpload.maxFileSizeKb must be x", "messaging"],
    ["Channel/Shard007/Flow", "divisionName must be x", "division"],
    ["Channel/Shard007/Flow", "dataActionInput must be x", "messaging.flowDataAction"],
  ])("names the field %s took %s from", (path, problem, field) => {
    expect(lineFor(path, problem)).toBe(`${LABEL}: ${field}: ${problem} (gc-prod/${path})`);
  });

  it("names the file and the construct where no one field gave the prop", () => {
    expect(lineFor("Somewhere/Else", "x must be y")).toBe(`${LABEL}: x must be y (gc-prod/Somewhere/Else)`);
  });

  it("gives one line per problem", () => {
    const error = new ConstructPropsError("gc-prod/Channel/Shard000/Queue", ["a must be 1", "b must be 2"]);
    expect(stackErrorLines(error, prod, LABEL, "gc-prod")).toEqual([
      `${LABEL}: queue: a must be 1 (gc-prod/Channel/Shard000/Queue)`,
      `${LABEL}: queue: b must be 2 (gc-prod/Channel/Shard000/Queue)`,
    ]);
  });

  it("leaves any other error to the caller, which prints it as unexpected in one line", () => {
    const error = new TypeError("x is not a function\n    at somewhere");
    expect(stackErrorLines(error, prod, LABEL, "gc-prod")).toBeUndefined();
    expect(unexpectedErrorLine(error)).toBe(
      "synth: unexpected error: x is not a function (run with GENESYS_DEBUG=1 for the stack trace)",
    );
  });
});
