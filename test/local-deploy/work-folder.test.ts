import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join, resolve } from "node:path";
import { loadEnvironment } from "../../config/environment";
import { WORK_FOLDER_MARKER, WorkFolderError, claimWorkFolder, deployToEmulator } from "../../local-deploy";
import { scratchDir } from "../scratch";

describe("the demo's working folder", () => {
  let root: string;
  beforeEach(() => {
    root = scratchDir("work-folder-");
  });

  /** A folder that is someone's work: a git checkout with a file. */
  function someonesFolder(): string {
    const dir = join(root, "project");
    mkdirSync(join(dir, ".git"), { recursive: true });
    writeFileSync(join(dir, ".git", "HEAD"), "ref: refs/heads/main\n");
    writeFileSync(join(dir, "notes.md"), "mine\n");
    return dir;
  }

  it("creates a missing folder, with its parents, and marks it", () => {
    const dir = join(root, "a", "b");
    expect(claimWorkFolder(dir)).toBe("created");
    expect(readdirSync(dir)).toEqual([WORK_FOLDER_MARKER]);
  });

  it("uses an empty folder and marks it", () => {
    const dir = join(root, "empty");
    mkdirSync(dir);
    expect(claimWorkFolder(dir)).toBe("empty");
    expect(readdirSync(dir)).toEqual([WORK_FOLDER_MARKER]);
  });

  it("clears what an earlier demo wrote in its marked folder and keeps anything else", () => {
    const dir = join(root, ".demo");
    claimWorkFolder(dir);
    for (const folder of ["environments", "cdktf.out/stacks/gc-dev"])
      mkdirSync(join(dir, folder), { recursive: true });
    for (const file of [
      "environments/test.yaml",
      "cdktf.out/stacks/gc-dev/cdk.tf.json",
      "terraform.gc-dev.tfstate",
      "terraform.gc-dev.tfstate.backup",
      ".terraform.gc-dev.tfstate.lock.info",
      "shard-map.json",
      "shard-map.csv",
      "deploy.log",
      "seed.json",
    ]) {
      writeFileSync(join(dir, file), "x");
    }
    expect(claimWorkFolder(dir)).toBe("reused");
    expect(readdirSync(dir).sort()).toEqual([WORK_FOLDER_MARKER, "seed.json"]);
  });

  it("fails when the folder has other files and no marker, and leaves every file in place", () => {
    const dir = someonesFolder();
    expect(() => claimWorkFolder(dir)).toThrow(
      new WorkFolderError(
        `${dir} is not empty and has no ${WORK_FOLDER_MARKER} marker, so no demo made it and the demo will not ` +
          "clear it; nothing was changed: use a new or empty folder",
      ),
    );
    expect(readdirSync(dir).sort()).toEqual([".git", "notes.md"]);
    expect(existsSync(join(dir, ".git", "HEAD"))).toBe(true);
  });

  it("fails for the working directory (`--dir .`, `./`, `sub/..`) and its parent, deleting nothing", () => {
    const dir = someonesFolder();
    mkdirSync(join(dir, "sub"));
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      for (const path of [".", "./", "sub/..", ".."]) {
        expect(() => claimWorkFolder(resolve(path))).toThrow(WorkFolderError);
      }
    } finally {
      process.chdir(cwd);
    }
    expect(readdirSync(dir).sort()).toEqual([".git", "notes.md", "sub"]);
    expect(readdirSync(root)).toEqual(["project"]);
  });

  it("fails when the folder holds only files a demo would write but no marker", () => {
    const dir = join(root, "environments-home");
    mkdirSync(join(dir, "environments"), { recursive: true });
    writeFileSync(join(dir, "environments", "prod.yaml"), "name: prod\n");
    expect(() => claimWorkFolder(dir)).toThrow(WorkFolderError);
    expect(existsSync(join(dir, "environments", "prod.yaml"))).toBe(true);
  });

  it("fails when the path is a file, and keeps the file", () => {
    const file = join(root, "file");
    writeFileSync(file, "data");
    expect(() => claimWorkFolder(file)).toThrow(
      `${file} is a file, not a folder; nothing was changed: use a new or empty folder`,
    );
    expect(existsSync(file)).toBe(true);
  });

  it("fails with one line when a parent is a file", () => {
    const file = join(root, "file");
    writeFileSync(file, "data");
    expect(() => claimWorkFolder(join(file, "work"))).toThrow(
      new RegExp(`^${join(file, "work")}: cannot use it as the demo's folder \\(ENOTDIR[^\\n]*\\)$`),
    );
  });

  it("fails before the provider install and the emulator start, the busy port included", async () => {
    const dir = someonesFolder();
    const busy: Server = createServer();
    await new Promise<void>((done) => busy.listen(0, "127.0.0.1", done));
    const port = (busy.address() as { port: number }).port;
    const progress: string[] = [];
    try {
      await expect(
        deployToEmulator({
          environment: loadEnvironment("dev"),
          workdir: dir,
          port,
          progress: (line) => progress.push(line),
        }),
      ).rejects.toThrow(WorkFolderError);
    } finally {
      busy.close();
    }
    expect(progress).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual([".git", "notes.md"]);
  });
});
