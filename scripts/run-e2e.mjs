#!/usr/bin/env node
// `npm run test:e2e`: the end-to-end suites (jest.e2e.config.js: the real Terraform CLI and provider against the
// emulator), in band, ending with "e2e: N passed, M failed". Extra arguments are passed to Jest.
import { runJest } from "./jest-run.mjs";

runJest("e2e", ["--config", "jest.e2e.config.js", "--runInBand", ...process.argv.slice(2)]);
