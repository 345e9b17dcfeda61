/**
 * The demo's working folder, and the rule that keeps it from deleting anything it did not write: it only ever
 * clears a folder that holds its marker file, and only the entries it writes there.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The file that says a folder was made by `npm run demo`; without it the demo deletes nothing there. */
export const WORK_FOLDER_MARKER = ".genesys-demo";

/** The entries a local deploy writes into its working folder (see localStackPaths and cli/demo.ts). */
export const WORK_FOLDER_ENTRIES = {
  /** The environment file the deploy synthesizes (GENESYS_ENVIRONMENTS_DIR of its synth). */
  environments: "environments",
  /** cdktf's output, with the stack's Terraform working directory. */
  outdir: "cdktf.out",
  shardMapJson: "shard-map.json",
  shardMapCsv: "shard-map.csv",
  /** Terraform's output when a deploy fails. */
  deployLog: "deploy.log",
} as const;

/** Local state `terraform.gc-<env>.tfstate`, its backup and Terraform's lock file next to it. */
const STATE_ENTRY = /^\.?terraform\.[^/]+\.tfstate(\.backup|\.lock\.info)?$/;

const MARKER_TEXT = `This folder was made by \`npm run demo\` (cli/demo.ts), which deploys an environment into a local
emulator. The next demo run in this folder first removes what a demo writes here (${Object.values(WORK_FOLDER_ENTRIES).join(", ")},
terraform.*.tfstate) and leaves anything else alone. The demo deletes nothing in a folder without this file.
Delete the folder when you no longer need it.
`;

/** A folder the demo may not use: one line naming the folder and what to do. */
export class WorkFolderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WorkFolderError";
  }
}

/** How `claimWorkFolder` found the folder. */
export type WorkFolderClaim = "created" | "empty" | "reused";

/**
 * Makes `dir` (an absolute path) the demo's working folder, or refuses before changing anything:
 *
 * - missing: created (with its parents) and marked;
 * - empty: marked;
 * - marked by an earlier demo: the entries a demo writes there are removed, anything else is kept (the marker says
 *   the demo made the folder, not that every file in it is the demo's);
 * - a file, or a folder with other entries and no marker (a checkout, a home folder, `.`): WorkFolderError.
 */
export function claimWorkFolder(dir: string): WorkFolderClaim {
  const refuse = (what: string) =>
    new WorkFolderError(`${dir} ${what}; nothing was changed: use a new or empty folder`);
  let claim: WorkFolderClaim;
  try {
    if (!existsSync(dir)) {
      mkdirSync(dir, { recursive: true });
      claim = "created";
    } else if (!statSync(dir).isDirectory()) {
      throw refuse("is a file, not a folder");
    } else {
      const entries = readdirSync(dir);
      if (entries.length === 0) claim = "empty";
      else if (!entries.includes(WORK_FOLDER_MARKER)) {
        throw refuse(
          `is not empty and has no ${WORK_FOLDER_MARKER} marker, so no demo made it and the demo will not clear it`,
        );
      } else {
        const written = new Set<string>(Object.values(WORK_FOLDER_ENTRIES));
        for (const entry of entries) {
          if (written.has(entry) || STATE_ENTRY.test(entry)) {
            rmSync(join(dir, entry), { recursive: true, force: true });
          }
        }
        claim = "reused";
      }
    }
    writeFileSync(join(dir, WORK_FOLDER_MARKER), MARKER_TEXT);
  } catch (error) {
    if (error instanceof WorkFolderError) throw error;
    const { code, message } = error as NodeJS.ErrnoException;
    if (code === undefined) throw error;
    throw new WorkFolderError(`${dir}: cannot use it as the demo's folder (${message})`);
  }
  return claim;
}
