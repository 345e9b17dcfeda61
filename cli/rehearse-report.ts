/**
 * `rehearse report <results>… --out <dir>`: merges the results of several machines, each of which drove its own
 * shards of one shard map (`rehearse --shards … --out …` on each), into one results.json and report.html. Each
 * `<results>` is a folder `rehearse --out` wrote, or its results.json. One folder alone is drawn again.
 *
 *   npm run --silent rehearse -- report machine-a machine-b --out merged
 *
 * Exit codes: 0 written, 2 bad usage or input: unreadable or invalid results, results of another environment,
 * stack, shard map, plan or time scale, or two results that drove the same shard (one line).
 */
import { resolve } from "node:path";
import { Command } from "commander";
import { parseQuietly, type CliIO } from "./command";
import { EXIT, exitCodesHelp, type ExitMeanings } from "./exit-codes";
import { mergeResults } from "../rehearsal/merge";
import { writeResultsAndReport } from "../rehearsal/report-html";
import { ResultsError, loadResults, prepareOutDir } from "../rehearsal/results";
import { formatShardRanges } from "../rehearsal/select";

export const REPORT_EXIT_CODES = {
  /** The merged results.json and report.html were written. */
  ok: EXIT.ok,
  /** Bad usage or input; one line on stderr. */
  badInput: EXIT.badInput,
} as const;

/** What each exit code of `rehearse report` means. */
export const REPORT_EXITS: ExitMeanings = { ok: "written", badInput: "bad input (one line)" };

/** Runs `rehearse report` with `argv` (the words after `report`) and returns the exit code. */
export async function reportMain(argv: readonly string[], io: CliIO): Promise<number> {
  const program = new Command("rehearse report")
    .description(
      "Merge the results of rehearsals that each drove their own --shards of one shard map into one results.json " +
        "and report.html.",
    )
    .argument("<results...>", "folders rehearse --out wrote (or their results.json), one per machine")
    .requiredOption(
      "--out <dir>",
      "the folder to write the merged results.json and report.html to (made if missing)",
    )
    .addHelpText("after", `\n${exitCodesHelp(REPORT_EXITS)}`);
  try {
    const failure = parseQuietly(program, argv, io);
    if (failure === "help") return REPORT_EXIT_CODES.ok;
    if (failure !== undefined) throw new ResultsError(failure.message);
    const out = program.opts<{ out: string }>().out;
    const parts = program.args.map((path) => {
      const { file, results } = loadResults(path);
      return { label: file, results };
    });
    const overwritten = parts.find((part) => resolve(part.label) === resolve(out, "results.json"));
    if (overwritten) {
      throw new ResultsError(
        `--out ${out} holds ${overwritten.label}, one of the results to merge: write the merged results elsewhere`,
      );
    }
    const merged = mergeResults(parts);
    const [resultsFile, reportFile] = writeResultsAndReport(prepareOutDir(out), merged);
    const { totals } = merged;
    io.stdout.write(
      `merged ${parts.length} result${parts.length === 1 ? "" : "s"} of ${merged.environment} (${merged.stack}): ` +
        `shards ${formatShardRanges(merged.shards.map((shard) => shard.index))} from ${merged.runs.length} run` +
        `${merged.runs.length === 1 ? "" : "s"}; ${totals.sessions} sessions, ${totals.connected} connected, ` +
        `${totals.peakConcurrent} at once, ${totals.refused} refused, ${totals.failed} failed\n` +
        `wrote ${resultsFile} and ${reportFile}\n`,
    );
    return REPORT_EXIT_CODES.ok;
  } catch (error) {
    if (!(error instanceof ResultsError)) throw error;
    for (const line of error.problems) io.stderr.write(`rehearse report: ${line}\n`);
    return REPORT_EXIT_CODES.badInput;
  }
}
