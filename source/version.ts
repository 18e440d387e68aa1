import fs from 'node:fs';

/** The version in package.json, read once at start. */
export const packageVersion: string = (JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {version: string}).version;
