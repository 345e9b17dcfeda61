export * from "./wrapup-codes";
export * from "./queue";
export * from "./agent-utilization";
