/**
 * What Genesys Cloud accepts and does at a voice entry: an IVR's phone numbers, how long a Data Action may hold a
 * call, and the one number the load-test report gives for the wall a held call hits. Each with its source and how
 * strong that source is; the constructs, the environment schema, the planner and the rehearsal read them from here.
 */
import type { Range } from "./ranges";

// --- Data Action timeouts at a call flow's entry --------------------------------------------------------------------

/**
 * The execution timeout Genesys applies to an action that sets none: 60 s, the longest allowed
 * ({@link DATA_ACTION_TIMEOUT_SECONDS}'s maximum). Sources: the Genesys Resource Center, "Add configuration to custom
 * actions for integrations" ("Set the execution timeout between 1 and 60 seconds ... The default timeout of 60
 * seconds is used when you do not set a timeout value", read on its staging copy rcworkbench.genesys.cloud), and
 * the Genesys product team's announcement on community.genesys.com, "Data Action timeout support releasing this
 * week" (same range and default; before it, an action whose flow step timed out earlier kept waiting for its
 * endpoint for up to 60 s and kept its slot of the org's concurrent executions). Strength: documented by Genesys
 * (Resource Center), confirmed by the product team's announcement. Provider 1.82.0 sends `config.timeoutSeconds`
 * only when `config_timeout_seconds` is set, so an action deployed without it gets this default.
 */
export const DATA_ACTION_PLATFORM_DEFAULT_TIMEOUT_SECONDS = 60;

/**
 * How long a caller waited at the IVR entry before the call dropped with `408 requestTimedOut` in the load-test
 * report this voice entry answers ("a single IVR entry that routes calls to a queue; at 500 concurrent sessions,
 * after about 200, calls hang for exactly 30 seconds and drop", a thread on forum.sggu.com, a site the research
 * notes rate unreliable: genesys-limits.md §6).
 *
 * Strength: observed in one report only. No Genesys source found states a 30 s timeout anywhere on this path: the
 * documented numbers are the action's execution timeout (1–60 s, default 60 s, above) and the Architect Call Data
 * Action step's own timeout ("Use action's suggested timeout", or seconds of your own: help.mypurecloud.com
 * "Call Data action"), and `requestTimedOut` matches no Genesys error code found. The report's driver posted to an
 * endpoint Genesys does not document, so the 30 s is most likely its own client's request timeout: the caller's
 * patience, not a platform limit. The project therefore takes it as the default time a caller may wait
 * (`maxCallerWaitSeconds`), and checks every Data Action of a call flow against it and against the documented 60 s.
 */
export const REPORTED_CALLER_WAIT_SECONDS = 30;

/**
 * The execution timeout of an acknowledge-only Data Action when none is given: 3 s. The Genesys product team's
 * announcement above suggests about 3 × the endpoint's p99 ("If the 99th percentile is 1 second, you could set the
 * action timeout to 3 seconds"); an endpoint that only acknowledges answers in well under a second.
 */
export const DEFAULT_ACKNOWLEDGE_TIMEOUT_SECONDS = 3;

/**
 * The timeouts an acknowledge-only action may have: 1 to 10 s. This project's bound, not Genesys's: an endpoint
 * that needs longer than 10 s to say "received" is doing the work in the call's path, which is what the pattern
 * avoids.
 */
export const ACKNOWLEDGE_TIMEOUT_SECONDS = { min: 1, max: 10, integer: true } as const satisfies Range;

// --- IVR (genesyscloud_architect_ivr) -------------------------------------------------------------------------------

/**
 * A phone number in E.164 form: `+`, a country code not starting with 0, at most 15 digits in all (ITU-T E.164).
 * Provider 1.82.0 checks each `dnis` entry with `validators.ValidatePhoneNumber` (libphonenumber's
 * `IsPossibleNumber`, parsed with the org's default country), which is stricter per country; this is the format
 * check the project can make offline.
 */
export const E164_NUMBER = /^\+[1-9]\d{1,14}$/;

/**
 * DNIS numbers the provider sends in one request: 50. Source: provider 1.82.0
 * architect_ivr/resource_genesyscloud_architect_ivr_schema.go `maxDnisPerRequest = 50`; more are added by
 * further PUTs, 2 s apart (`uploadIvrDnisChunks`).
 */
export const IVR_DNIS_PER_REQUEST = 50;

/**
 * Longest IVR name. The provider does not check `name` (it is ForceNew: a new name replaces the IVR) and the API
 * reference states no limit: 255 is this project's bound.
 */
export const IVR_NAME_MAX_LENGTH = 255;

/**
 * Longest text-to-speech greeting the call flow template takes: 500 characters, this project's bound (Architect
 * states none; a longer greeting delays every call's transfer).
 */
export const CALL_GREETING_MAX_LENGTH = 500;
