export * from "./wrapup-codes";
export * from "./queue";
