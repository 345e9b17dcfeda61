#!/usr/bin/env node
/*
 * `genesys-cdktf <command> [options]`, the package's `bin`, and what every npm script of a command runs
 * (`npm run shards -- …` is `node cli/bin.cjs shards …`). tsx compiles the TypeScript as it is loaded, in this
 * process, so a fresh clone runs it after `npm ci` with no build step, and `exec node cli/bin.cjs emulator` is
 * one process that a signal stops.
 */
require("tsx/cjs");
require("./main.ts").runProgram(process.argv.slice(2));
