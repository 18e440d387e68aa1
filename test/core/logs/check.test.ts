import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {validateConfig} from '../../../source/core/config/load.js';
import {resolvePaths} from '../../../source/core/config/paths.js';
import {logsCheck} from '../../../source/core/logs/check.js';
import {tempProject} from './harness.js';

test('the logs check reports readable and missing files', async t => {
	const project = tempProject();
	try {
		fs.writeFileSync(path.join(project.root, 'logs', 'a.log'), '');
		const config = validateConfig({healthPort: 0, logs: [{path: 'logs/a.log'}, {path: 'logs/b.log'}]});
		const results = await logsCheck({config, paths: resolvePaths(project.root), tmux: {run: async () => [], close: async () => undefined}});
		t.like(results, [{ok: true, detail: 'logs/a.log is readable'}, {ok: true, warning: true}]);
	} finally {
		project.cleanup();
	}
});
