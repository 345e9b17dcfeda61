/**
 * The capacity preflight as a function: plans the shards with the org's live limits, prints the report and
 * returns the exit code. `shards --from-org` and `preflight` (which is `shards --env <env> --from-org`) call it.
 */
import { PlanInputError, type FieldNamer, type PlanField } from "../capacity/errors";
import { planShards } from "../capacity/plan";
import type { PlanInput } from "../capacity/types";
import { OrgLimitsError, readOrgLimits, settingsFromEnv, type RetryPolicy } from "../preflight/org-limits";
import { OrgLimitsDoNotFitError, formatPreflightReport, runPreflight } from "../preflight/preflight";
import type { CliEnv, CliIO } from "./command";
import { EXIT, type ExitMeanings } from "./exit-codes";

/** The exit codes of the preflight, by what they mean for it. */
export const PREFLIGHT_EXIT = {
  fits: EXIT.ok,
  badInput: EXIT.badInput,
  doesNotFit: EXIT.no,
  unavailable: EXIT.unreachable,
} as const;

/** What each exit code of the preflight means, for help texts. */
export const PREFLIGHT_EXITS: ExitMeanings = {
  ok: "the plan fits",
  badInput: "bad input or credentials",
  no: "it does not fit the org's limits",
  unreachable: "the limits could not be read",
};

export interface PreflightFromEnvOptions {
  /** Print the report as JSON instead of a table. @default false */
  readonly json?: boolean;
  /** How 429s are retried. @default DEFAULT_RETRY_POLICY */
  readonly retry?: Partial<RetryPolicy>;
  /** Names plan fields in messages, e.g. as command-line flags. @default - as in PlanInput */
  readonly fieldName?: FieldNamer;
  /** What a bad-input line names before the field, e.g. the environment file. @default - nothing */
  readonly label?: string;
}

/**
 * Runs the preflight for `planInput` with settings from `env` and returns the exit code: the report on
 * `io.stdout`; expected failures are one line on `io.stderr`, never a throw.
 */
export async function preflightFromEnv(
  planInput: PlanInput,
  env: CliEnv,
  io: CliIO,
  options: PreflightFromEnvOptions = {},
): Promise<number> {
  const fieldName = options.fieldName ?? ((field: PlanField) => field);
  const fail = (line: string, code: number) => {
    io.stderr.write(`preflight: ${line}\n`);
    return code;
  };
  try {
    planShards(planInput); // bad plan input fails here, before any network call
    const settings = settingsFromEnv(env);
    const reading = await readOrgLimits({ ...settings, retry: options.retry });
    const report = runPreflight({ planInput, reading, fieldName });
    // Absent values are written as null, never left out, as `shards --json` does.
    const json = () =>
      JSON.stringify(report, (_key, value: unknown) => (value === undefined ? null : value), 2);
    io.stdout.write(`${options.json ? json() : formatPreflightReport(report, fieldName)}\n`);
    return report.fits ? PREFLIGHT_EXIT.fits : PREFLIGHT_EXIT.doesNotFit;
  } catch (error) {
    if (error instanceof OrgLimitsDoNotFitError) return fail(error.message, PREFLIGHT_EXIT.doesNotFit);
    if (error instanceof OrgLimitsError) {
      const code = error.kind === "unavailable" ? PREFLIGHT_EXIT.unavailable : PREFLIGHT_EXIT.badInput;
      return fail(error.message, code);
    }
    if (error instanceof PlanInputError) {
      const at = options.label === undefined ? "" : `${options.label}: `;
      return fail(`${at}${error.render(fieldName)}`, PREFLIGHT_EXIT.badInput);
    }
    throw error;
  }
}
