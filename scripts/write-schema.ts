// Writes environments/schema.json from config/schema.ts, so editors check the environment files as they are typed.
// `npm run schema` regenerates it; a test fails when the committed file is stale.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ENVIRONMENTS_DIR, environmentJsonSchema } from "../config/environment";

const file = join(ENVIRONMENTS_DIR, "schema.json");
writeFileSync(file, `${JSON.stringify(environmentJsonSchema(), null, 2)}\n`);
console.log(`wrote ${file}`);
