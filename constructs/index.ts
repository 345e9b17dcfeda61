export * from "./wrapup-codes";
