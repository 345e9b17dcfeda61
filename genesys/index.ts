/**
 * The platform's facts, on the bottom floor: what Genesys Cloud accepts (ranges, enumerations, name lengths, each
 * with its source), where it lives (regions and their hosts) and how this project names what it puts there (shard
 * numbers, display names, construct ids, stack names). Plain TypeScript that imports nothing, so every floor above
 * may read it; the emulator does not, since it models Genesys independently.
 */
export * from "./naming";
export * from "./ranges";
export * from "./regions";
export * from "./voice";
