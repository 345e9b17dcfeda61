#!/usr/bin/env node
// `npm test`: every Jest suite of jest.config.js, ending with "tests: N passed, M failed".
// Extra arguments are passed to Jest (e.g. `npm test -- test/capacity`).
import { runJest } from "./jest-run.mjs";

runJest("tests", process.argv.slice(2));
