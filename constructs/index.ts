export * from "./wrapup-codes";
export * from "./queue";
export * from "./agent-utilization";
export * from "./data-action";
export * from "./inbound-message-flow";
export * from "./messaging-deployment";
export * from "./sharded-web-messaging-channel";
export * from "./validation";
