// Writes schema/schema.graphql, the SDL other teams generate clients from.
import { writeFile } from 'node:fs/promises';
import { printGatewaySchema } from './print-schema.js';
import { buildGatewaySchema } from './schema.js';

const target = new URL('../../schema/schema.graphql', import.meta.url);
await writeFile(target, printGatewaySchema(await buildGatewaySchema()));
console.log(`wrote ${target.pathname}`);
