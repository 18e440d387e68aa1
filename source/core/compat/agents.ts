import {isoNow} from '../clock.js';
import {listPanes} from '../agents/windows.js';
import {errorText} from '../errors.js';
import {writeAttachment} from '../journal/journal.js';
import type {ServiceContext} from '../orchestrator.js';
import {entryTarget} from '../registry/cmux-entry.js';
import {readRegistry, updateRegistry} from '../registry/registry.js';
import type {z} from 'zod';
import type {registerBody} from './schemas.js';
import type {CompatAnswer} from './routes.js';

const agentName = /^[\w.-]+$/;

/**
 * `POST /api/agents/register` (monitor.sh registers its supervisor this way). `agent_id` is CMUX's
 * window-based key: `NAME` (a window of the session) or `SESSION:NAME`. The window must exist; the
 * entry is written by the `register` command, then CMUX's own keys are added as CMUX writes them.
 */
export async function registerFromCmux(context: ServiceContext, body: z.output<typeof registerBody>): Promise<CompatAnswer> {
	const {config} = context;
	const [session, name] = body.agent_id.includes(':') ? body.agent_id.split(':', 2) as [string, string] : [config.session, body.agent_id];
	if (session !== config.session) {
		return {status: 400, body: {detail: `agent_id: expected a window of session "${config.session}", got ${JSON.stringify(body.agent_id)}`}};
	}

	if (!agentName.test(name)) {
		return {status: 400, body: {detail: `agent_id: expected an agent name of letters, digits, ".", "_" or "-", got ${JSON.stringify(name)}`}};
	}

	const target = entryTarget(name, config.session, name);
	const panes = await listPanes(context.tmux);
	if (!panes.some(pane => pane.target === target && !pane.dead)) {
		return {status: 404, body: {detail: `no window ${target}: start the agent's window first`}};
	}

	const type = body.agent_type === 'supervisor' ? 'supervisor' : 'worker';
	await context.api.call('register', {name, type, window: target});
	const {result: entry} = await updateRegistry(context.paths.registryFile, registry => {
		const current = registry[name];
		if (!current) {
			return undefined;
		}

		Object.assign(current, {
			created_by: body.created_by,
			project_id: body.project_id,
			...(body.display_name ? {display_name: body.display_name} : {}),
			...(body.role ? {role: body.role} : {}),
			...(body.unique_id ? {agent_id: body.unique_id} : {}),
		});
		return current;
	});
	return {status: 200, body: {registered: body.agent_id, agent_id: entry?.agent_id ?? null}};
}

/**
 * `POST /api/agents/{name}/archive` (`workers kill`, `reset`, `merge-clone`): the pane's last
 * `lines` lines go to a journal attachment, and the entry is marked `archived_at`, so its window
 * closing within a minute is taken as deliberate (unregistered, no "missing" alert).
 */
export async function archiveFromCmux(context: ServiceContext, name: string, lines: number): Promise<CompatAnswer> {
	const {registry} = readRegistry(context.paths.registryFile);
	const known = name in registry || context.config.agents.some(agent => agent.name === name) || context.store.agents.has(name);
	if (!agentName.test(name) || !known) {
		return {status: 404, body: {detail: 'Agent not found'}};
	}

	let output = '';
	try {
		output = (await context.api.call('agents.pane', {name, lines})).text;
	} catch (error) {
		output = `(the pane could not be read: ${errorText(error)})`;
	}

	const now = new Date(context.clock.now());
	const file = writeAttachment(context.paths.journalDir, `archive-${name}`, `# Archive of ${name}\n\n**Archived:** ${now.toISOString()}\n\n---\n\n\`\`\`\n${output}\n\`\`\`\n`, now);
	await updateRegistry(context.paths.registryFile, entries => {
		if (entries[name]) {
			entries[name]!.archived_at = isoNow(context.clock);
		}
	});
	context.log.log('info', `agent ${name} archived through CMUX's API to ${file}`);
	return {status: 200, body: {success: true, archive_id: file, agent_id: name, agent_name: name}};
}
