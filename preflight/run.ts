/**
 * The capacity preflight as a function: plans the shards with the org's live limits, prints the report and
 * returns the exit code. The `shards` CLI (`--from-org`) and `preflight` command both call it.
 *
 * Exit codes: 0 the plan fits; 3 it does not fit the org's limits; 2 bad input, missing or rejected
 * credentials; 4 the org's limits could not be read (network, server errors, persistent 429).
 */
import { PlanInputError, type FieldNamer, type PlanField } from "../capacity/errors";
import { planShards } from "../capacity/plan";
import type { PlanInput } from "../capacity/types";
import { OrgLimitsError, readOrgLimits, settingsFromEnv, type RetryPolicy } from "./org-limits";
import { OrgLimitsDoNotFitError, formatPreflightReport, runPreflight } from "./preflight";

export const EXIT = { fits: 0, badInput: 2, doesNotFit: 3, unavailable: 4 } as const;

/** Where the preflight writes: the report to `out`, one error line to `err`. */
export interface PreflightIo {
  out(text: string): void;
  err(text: string): void;
}

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
 * Runs the preflight for `planInput` with settings from `env` and returns the exit code. Never throws for
 * expected failures: they become one line on `io.err`.
 */
export async function preflightFromEnv(
  planInput: PlanInput,
  env: Readonly<Record<string, string | undefined>>,
  io: PreflightIo,
  options: PreflightFromEnvOptions = {},
): Promise<number> {
  const fieldName = options.fieldName ?? ((field: PlanField) => field);
  try {
    planShards(planInput); // bad plan input fails here, before any network call
    const settings = settingsFromEnv(env);
    const reading = await readOrgLimits({ ...settings, retry: options.retry });
    const report = runPreflight({ planInput, reading, fieldName });
    // Absent values are written as null, never left out, as `shards --json` does.
    const json = () =>
      JSON.stringify(report, (_key, value: unknown) => (value === undefined ? null : value), 2);
    io.out(options.json ? json() : formatPreflightReport(report, fieldName));
    return report.fits ? EXIT.fits : EXIT.doesNotFit;
  } catch (error) {
    if (error instanceof OrgLimitsDoNotFitError) {
      io.err(`preflight: ${error.message}`);
      return EXIT.doesNotFit;
    }
    if (error instanceof OrgLimitsError) {
      io.err(`preflight: ${error.message}`);
      return error.kind === "unavailable" ? EXIT.unavailable : EXIT.badInput;
    }
    if (error instanceof PlanInputError) {
      const at = options.label === undefined ? "" : `${options.label}: `;
      io.err(`preflight: ${at}${error.render(fieldName)}`);
      return EXIT.badInput;
    }
    throw error;
  }
}
