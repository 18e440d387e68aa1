#!/usr/bin/env node
// Regenerates .cmux.example/config.schema.json from the zod schema (run after `npm run build`).
import fs from 'node:fs';
import {renderJsonSchema} from '../dist/core/config/json-schema.js';

fs.writeFileSync(new URL('../.cmux.example/config.schema.json', import.meta.url), renderJsonSchema());
