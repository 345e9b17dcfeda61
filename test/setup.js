/* global afterAll */
// Runs before every test file of `npm test` (jest.config.js, setupFilesAfterEnv).
const { Testing } = require("cdktf");
const { removeAfterTestFile, removeScratch, scratchDir } = require("./scratch");

// Adds the cdktf Jest matchers (toHaveResourceWithProperties, toBeValidTerraform, ...).
Testing.setupJest();

// cdktf's Testing.app() and Testing.fullSynth() make an outdir in os.tmpdir() ("cdktf.outdir.XXXXXX") and never
// remove it: about 125 folders per `npm test`. Give each app a scratch outdir instead, and remove what fullSynth
// writes, after the test file.
const app = Testing.app.bind(Testing);
Testing.app = (options = {}) => app({ ...options, outdir: options.outdir ?? scratchDir("cdktf.outdir.") });
const fullSynth = Testing.fullSynth.bind(Testing);
Testing.fullSynth = (stack) => removeAfterTestFile(fullSynth(stack));

// Every folder a test made with scratchDir (test/scratch.ts), passed or failed.
afterAll(removeScratch);
