import type {z} from 'zod';
import {appendJournal} from '../journal/journal.js';
import {buildReport} from '../health/report.js';
import type {ServiceContext} from '../orchestrator.js';
import {archiveFromCmux, registerFromCmux} from './agents.js';
import {storeInternalMessage, updateMessageStatus} from './messages.js';
import {bodyProblem, heartbeatBody, internalMessageBody, journalBody, registerBody, statusBody} from './schemas.js';

/** What a CMUX route answers: a status and a JSON body (FastAPI's `{"detail": …}` for errors). */
export interface CompatAnswer {
	status: number;
	body: unknown;
}

interface Route {
	method: 'GET' | 'POST' | 'PATCH';
	pattern: RegExp;
	handle(context: ServiceContext, request: {params: string[]; query: URLSearchParams; body: string}): Promise<CompatAnswer> | CompatAnswer;
}

/**
 * CMUX's agent-facing API (the calls its tools make to its FastAPI server on CMUX_PORT), answered
 * by the health port so those tools keep working without CMUX's server. Each body is parsed with
 * the zod schema of CMUX's model; a bad one is 400 naming the field.
 */
const routes: Route[] = [
	{method: 'POST', pattern: /^\/api\/messages\/internal$/, handle: (context, {body}) => withBody(body, internalMessageBody, parsed => storeInternalMessage(context, parsed))},
	{method: 'PATCH', pattern: /^\/api\/messages\/([^/]+)\/status$/, handle: (context, {params, body}) => withBody(body, statusBody, parsed => updateMessageStatus(context, params[0]!, parsed.status))},
	{method: 'POST', pattern: /^\/api\/heartbeat$/, handle: (context, {body}) => withBody(body, heartbeatBody, parsed => {
		// monitor.sh's system scan: kept as the latest CMUX heartbeat (service state `cmux-heartbeat`).
		context.store.setServiceState('cmux-heartbeat', parsed.all_clear ? 'healthy' : 'degraded', {...parsed, received_at: new Date(context.clock.now()).toISOString()});
		return {status: 200, body: {success: true}};
	})},
	{method: 'POST', pattern: /^\/api\/agents\/register$/, handle: async (context, {body}) => withBody(body, registerBody, async parsed => registerFromCmux(context, parsed))},
	{method: 'POST', pattern: /^\/api\/agents\/([^/]+)\/archive$/, handle: async (context, {params, query}) => {
		const lines = Number(query.get('lines') ?? 2000);
		if (!Number.isInteger(lines) || lines < 1 || lines > 10_000) {
			return {status: 400, body: {detail: `lines: expected a whole number 1-10000, got ${JSON.stringify(query.get('lines'))}`}};
		}

		return archiveFromCmux(context, params[0]!, lines);
	}},
	{method: 'POST', pattern: /^\/api\/journal\/entry$/, handle: (context, {body}) => withBody(body, journalBody, parsed => {
		const now = new Date(context.clock.now());
		appendJournal(context.paths.journalDir, {title: parsed.title, body: parsed.content, ...(parsed.project_id ? {project: parsed.project_id} : {})}, now);
		return {status: 200, body: {success: true, entry: {title: parsed.title, timestamp: now.toISOString(), project_id: parsed.project_id ?? null}}};
	})},
	// monitor.sh greps `"api":"healthy"` with curl -f: always 200 while the orchestrator answers.
	{method: 'GET', pattern: /^\/api\/webhooks\/health$/, handle: context => ({status: 200, body: {api: 'healthy', status: buildReport(context.store).status, timestamp: new Date(context.clock.now()).toISOString()}})},
];

/** The CMUX route for `path`: the one to run, or the methods it allows (405), or undefined (404). */
export function matchCompatRoute(method: string, path: string): {run: (context: ServiceContext, request: {query: URLSearchParams; body: string}) => Promise<CompatAnswer>} | {allow: string} | undefined {
	const matching = routes.map(route => ({route, match: route.pattern.exec(path)})).filter(({match}) => match !== null);
	if (matching.length === 0) {
		return undefined;
	}

	const found = matching.find(({route}) => route.method === method);
	if (!found) {
		return {allow: matching.map(({route}) => route.method).join(', ')};
	}

	const params = found.match!.slice(1).map(part => {
		try {
			return decodeURIComponent(part);
		} catch {
			// Not valid percent-encoding: used as it is (it then names no known agent or message).
			return part;
		}
	});
	return {run: async (context, request) => found.route.handle(context, {...request, params})};
}

async function withBody<S extends z.ZodType>(text: string, schema: S, action: (parsed: z.output<S>) => CompatAnswer | Promise<CompatAnswer>): Promise<CompatAnswer> {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		return {status: 400, body: {detail: 'body: expected a JSON object'}};
	}

	const parsed = schema.safeParse(value);
	return parsed.success ? action(parsed.data) : {status: 400, body: {detail: bodyProblem(parsed.error, value)}};
}
