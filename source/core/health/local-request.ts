import type {IncomingHttpHeaders} from 'node:http';

/** Host names a request to the health port may name: only this machine's loopback. */
const localHost = /^(?:127\.0\.0\.1|localhost|\[::1\])(?::\d{1,5})?$/i;
const localOrigin = /^https?:\/\/(?:127\.0\.0\.1|localhost|\[::1\])(?::\d{1,5})?$/i;

/**
 * Why a state-changing request did not come from this machine's own tools, or undefined when it
 * did. A web page can make a browser POST to 127.0.0.1 (with any body); it cannot set Host to
 * loopback through a DNS name it controls without the name showing in Host (DNS rebinding), and
 * the browser always adds an Origin that is not local. Tools like curl send a local Host and no Origin.
 */
export function foreignRequest(headers: IncomingHttpHeaders): string | undefined {
	const host = headers.host;
	if (host === undefined || !localHost.test(host)) {
		return `refused: Host ${JSON.stringify(host ?? '')} is not 127.0.0.1 or localhost`;
	}

	const origin = headers.origin;
	if (origin !== undefined && origin !== 'null' && !localOrigin.test(origin)) {
		return `refused: cross-origin request from ${JSON.stringify(origin)}`;
	}

	if (origin === 'null') {
		return 'refused: cross-origin request from an opaque origin';
	}

	return undefined;
}
