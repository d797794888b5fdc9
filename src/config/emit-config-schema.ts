/**
 * Writes schema/service-config.schema.json from the zod schema (`npm run config-schema:emit`).
 * The file is committed so editors can validate config files; a unit test fails when it drifts.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderServiceConfigJsonSchema } from './service-config.js';

// From dist/config/ (or src/config/) two levels up is the repository root.
const target = fileURLToPath(new URL('../../schema/service-config.schema.json', import.meta.url));
writeFileSync(target, renderServiceConfigJsonSchema());
process.stdout.write(`Wrote ${target}\n`);
