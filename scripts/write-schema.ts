// Writes environments/schema.json from config/schema.ts, so editors check the environment files as they are typed.
// `npm run schema` regenerates it; a test fails when the committed file is stale.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { format, resolveConfig } from "prettier";
import { ENVIRONMENTS_DIR, environmentJsonSchema } from "../config/environment";

async function main(): Promise<void> {
  const file = join(ENVIRONMENTS_DIR, "schema.json");
  const options = (await resolveConfig(file)) ?? {};
  writeFileSync(file, await format(JSON.stringify(environmentJsonSchema()), { ...options, filepath: file }));
  console.log(`wrote ${file}`);
}

void main();
