/**
 * Plan review: reads `terraform show -json` of a saved plan of an environment stack and says what a reviewer must
 * know (shards added and removed, live objects destroyed or replaced, org-wide changes, Data Action timeouts, the
 * API cost of the apply). Pure: no file or process access; `cli/plan-summary.ts` owns those.
 */
export * from "./api-cost";
export * from "./classify";
export * from "./plan-json";
export * from "./ranges";
export * from "./render";
export * from "./review";
export * from "./set";
