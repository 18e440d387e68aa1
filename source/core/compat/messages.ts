import crypto from 'node:crypto';
import {isoNow} from '../clock.js';
import type {ServiceContext} from '../orchestrator.js';
import type {z} from 'zod';
import type {internalMessageBody} from './schemas.js';
import type {CompatAnswer} from './routes.js';

/**
 * `POST /api/messages/internal`: CMUX's tools store a message for the dashboard. To `user`
 * (`mailbox send user …`) it is stored delivered and shown in the TUI's mailbox pane and `status`;
 * between agents (`workers send`, CMUX's router) the caller types it into the pane itself, so it is
 * only recorded, never delivered a second time. Content is `subject`, a blank line, then the body.
 */
export function storeInternalMessage(context: ServiceContext, body: z.output<typeof internalMessageBody>): CompatAnswer {
	const [first = '', ...rest] = body.content.split('\n');
	const subject = first.trim() === '' ? '(no subject)' : first;
	const text = rest.join('\n').replace(/^\n+/, '');
	const now = isoNow(context.clock);
	const id = crypto.randomUUID();
	const message = {id, ts: now, from: body.from_agent, to: body.to_agent, subject, ...(text.trim() === '' ? {} : {body: text}), status: body.task_status ?? 'submitted' as const};
	context.store.messages.record(message, now);
	context.emit({type: 'message.received', id, from: message.from, to: message.to, subject, via: 'api', kind: body.type});
	if (message.to === 'user') {
		context.emit({type: 'message.delivered', id, from: message.from, to: message.to, attempts: 1});
	}

	return {status: 200, body: {status: 'stored', id}};
}

/** `PATCH /api/messages/{id}/status`: as a `status_update` line; repeating the current status changes nothing. */
export function updateMessageStatus(context: ServiceContext, id: string, status: Parameters<ServiceContext['store']['messages']['setTaskStatus']>[1]): CompatAnswer {
	const change = context.store.messages.setTaskStatus(id, status);
	if (change.kind === 'unknown') {
		return {status: 404, body: {detail: 'Message not found'}};
	}

	if (change.kind === 'changed') {
		const {row} = change;
		context.emit({type: 'message.status', id, from: row.from, to: row.to, status, previous: change.previous, via: 'api'});
	}

	return {status: 200, body: {status: 'updated', message_id: id, task_status: status}};
}
