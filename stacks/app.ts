import { App } from "cdktf";
import { debugRequested } from "./synth-errors";

/**
 * The cdktf App every synth uses (main.ts, the benchmark), with two settings that make synthesizing many shards
 * cheaper without changing what is written:
 * - no stack traces in the construct metadata (`stackTraces: false`): nobody reads them in cdk.tf.json;
 * - source maps off while synthesizing: cdktf captures a stack trace for every token it creates, and with tsx's
 *   source maps on each capture maps every frame (about a third of a default synth's time). A programming error
 *   then points into the transpiled code; run with `GENESYS_SYNTH_SOURCE_MAPS=1` (or `GENESYS_DEBUG=1`, which also
 *   prints the trace) to map it to the TypeScript.
 */
export function newApp(variables: Readonly<Record<string, string | undefined>>, outdir?: string): App {
  if (variables.GENESYS_SYNTH_SOURCE_MAPS !== "1" && !debugRequested(variables)) {
    process.setSourceMapsEnabled(false);
  }
  return new App({ stackTraces: false, ...(outdir === undefined ? {} : { outdir }) });
}
