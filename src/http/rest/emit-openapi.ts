// Writes schema/openapi.json, the REST API's OpenAPI document (`npm run openapi:emit`).
import { readFile, writeFile } from 'node:fs/promises';
import { renderOpenApiDocument } from './openapi-document.js';

const { version } = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};
const target = new URL('../../../schema/openapi.json', import.meta.url);
await writeFile(target, await renderOpenApiDocument(version));
console.log(`wrote ${target.pathname}`);
