import {z} from 'zod';
import {configSchema} from './schema.js';

/** The JSON Schema editors use for `.cmux/config.json`, generated from the same schema the loader validates with. */
export function renderJsonSchema(): string {
	const schema = z.toJSONSchema(configSchema, {io: 'input', unrepresentable: 'any'});
	return `${JSON.stringify({...schema, title: 'cmux-tui configuration (.cmux/config.json)'}, null, 2)}\n`;
}
