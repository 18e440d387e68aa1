import net from 'node:net';

/** One health probe: ok, how long it took, and what went wrong when it failed. */
export interface ProbeResult {
	ts: string;
	ok: boolean;
	ms: number;
	error?: string;
}

/** GET `url`; ok on a 2xx answer within `timeout`. Never throws. */
export async function probeUrl(url: string, timeout: number): Promise<ProbeResult> {
	const started = Date.now();
	const ts = new Date(started).toISOString();
	try {
		const response = await fetch(url, {signal: AbortSignal.timeout(timeout), redirect: 'manual'});
		// Only the status matters; a body that cannot be cancelled is dropped with the response.
		await response.body?.cancel().catch(() => undefined);
		const ok = response.status >= 200 && response.status < 300;
		return {ts, ok, ms: Date.now() - started, ...(ok ? {} : {error: `${url} answered ${response.status}`})};
	} catch (error) {
		const cause = (error as {cause?: {code?: string}}).cause?.code;
		const text = (error as Error).name === 'TimeoutError' ? `no answer within ${timeout}ms` : cause ?? (error as Error).message;
		return {ts, ok: false, ms: Date.now() - started, error: `${url}: ${text}`};
	}
}

/** Connect to 127.0.0.1:`port`; ok when the connection is accepted within `timeout`. Never throws. */
export async function probePort(port: number, timeout: number): Promise<ProbeResult> {
	const started = Date.now();
	const ts = new Date(started).toISOString();
	return new Promise(resolve => {
		const socket = net.connect({port, host: '127.0.0.1'});
		const done = (error?: string) => {
			socket.destroy();
			resolve({ts, ok: error === undefined, ms: Date.now() - started, ...(error ? {error} : {})});
		};

		socket.setTimeout(timeout, () => {
			done(`port ${port}: no connection within ${timeout}ms`);
		});
		socket.once('connect', () => {
			done();
		});
		socket.once('error', error => {
			done(`port ${port}: ${(error as NodeJS.ErrnoException).code ?? error.message}`);
		});
	});
}
