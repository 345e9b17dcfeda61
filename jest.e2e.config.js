/**
 * End-to-end suites (every test/e2e file ending .e2e.test.ts): the real Terraform CLI and the real genesyscloud provider
 * against the in-process emulator. Run with `npm run test:e2e` (scripts/run-e2e.mjs), never by `npm test`.
 * They run one at a time: every suite starts Terraform and provider processes, and a web deployment alone
 * waits 10 s in the provider.
 */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test/e2e"],
  testMatch: ["**/*.e2e.test.ts"],
  transform: {
    "^.+\\.tsx?$": ["ts-jest", { diagnostics: false }],
  },
  globalSetup: "<rootDir>/test/e2e/global-setup.js",
  testTimeout: 10 * 60 * 1000,
  maxWorkers: 1,
};
