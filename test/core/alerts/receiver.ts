import http from 'node:http';

/** A real HTTP receiver on 127.0.0.1 that records POST bodies and answers as `mode` says. */
export async function receiver(mode: 'ok' | 'fail' | 'hang'): Promise<{url: string; bodies: unknown[]; hits: () => number; close: () => Promise<void>}> {
	const bodies: unknown[] = [];
	let hits = 0;
	const server = http.createServer((request, response) => {
		hits++;
		let data = '';
		request.on('data', chunk => {
			data += String(chunk);
		});
		request.on('end', () => {
			if (mode === 'hang') {
				return;
			}

			bodies.push(JSON.parse(data));
			response.writeHead(mode === 'ok' ? 200 : 500).end();
		});
	});
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	const {port} = server.address() as {port: number};
	return {
		url: `http://127.0.0.1:${port}/hook`,
		bodies,
		hits: () => hits,
		async close() {
			server.closeAllConnections();
			await new Promise(resolve => {
				server.close(resolve);
			});
		},
	};
}
