/**
 * Every Jest suite under test/: deterministic and offline. The emulator and preflight suites start real HTTP
 * servers on 127.0.0.1 only. test/e2e/ is reserved for deploys through the Terraform CLI and the real
 * provider, which run as their own command once the provider can be built (see the README's Status).
 * Type errors are caught by `tsc --noEmit` in CI, so ts-jest only transpiles.
 */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", "<rootDir>/test/e2e/"],
  transform: {
    "^.+\\.tsx?$": ["ts-jest", { diagnostics: false }],
  },
  setupFilesAfterEnv: ["<rootDir>/test/setup.js"],
};
