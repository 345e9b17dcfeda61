import eslint from "@eslint/js";
import tseslint from "typescript-eslint";

/**
 * The floors of the house (README, "Layout"): a folder may import only from the folders listed for it, all on
 * lower floors, so no import runs upward and the bottom floors stay pure. `test/` and `scripts/` may import
 * anything they test or run. A folder not listed here must be added before its code can import the project.
 */
const PROJECT_FOLDERS = [
  "genesys",
  "capacity",
  "config",
  "constructs",
  "shard-map",
  "preflight",
  "emulator",
  "stacks",
  "plan-review",
  "rehearsal",
  "watch",
  "local-deploy",
  "bench",
  "cli",
  "main",
];
const FLOORS = {
  // Bottom floor: the platform's facts, and the planner (pure: no cdktf, constructs or IO).
  genesys: [],
  capacity: ["genesys"],
  // The emulator models Genesys, not this product: it imports nothing of it.
  emulator: [],
  config: ["genesys", "capacity"],
  constructs: ["genesys", "capacity"],
  "shard-map": ["genesys", "capacity", "config"],
  preflight: ["genesys", "capacity", "config"],
  stacks: ["genesys", "capacity", "config", "constructs", "shard-map"],
  "plan-review": ["genesys", "capacity", "config", "shard-map"],
  rehearsal: ["genesys", "capacity", "config", "shard-map"],
  // Live capacity during a test: the org through preflight's login, against the plan and the shard map.
  watch: ["genesys", "capacity", "config", "shard-map", "preflight"],
  "local-deploy": ["genesys", "capacity", "config", "shard-map", "emulator", "stacks"],
  bench: ["genesys", "capacity", "config", "shard-map", "stacks", "rehearsal", "emulator", "local-deploy"],
  main: ["genesys", "capacity", "config", "stacks"],
  // Only cli/ imports cli/: every command-line entry point sits on the top floor.
  cli: PROJECT_FOLDERS.filter((folder) => folder !== "main"),
};

/** One `no-restricted-imports` block per floor: every project folder it may not import, by relative path. */
const floorRules = Object.entries(FLOORS).map(([folder, allowed]) => {
  const forbidden = PROJECT_FOLDERS.filter((other) => other !== folder && !allowed.includes(other));
  return {
    files: folder === "main" ? ["main.ts"] : [`${folder}/**/*.ts`],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: `^\\.{1,2}/(\\.\\./)*(${forbidden.join("|")})(/|$)`,
              message: `${folder === "main" ? "main.ts" : `${folder}/`} may import only ${allowed.length ? allowed.map((f) => `${f}/`).join(", ") : "nothing of the project"} (floors: eslint.config.mjs, README "Layout")`,
            },
          ],
        },
      ],
    },
  };
});

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "dist/",
      "cdktf.out/",
      ".gen/",
      ".provider/",
      "coverage/",
      ".demo/",
      ".scratch/",
      ".emulator/",
      ".tools/",
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
  ...floorRules,
  {
    files: ["**/*.js", "**/*.mjs", "**/*.cjs"],
    languageOptions: {
      globals: { require: "readonly", module: "writable", process: "readonly", console: "readonly" },
    },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
