/** Poll `check` until it returns a truthy value (returned) or `timeout` ms pass (throws with `what`). */
export async function waitFor<T>(check: () => T | Promise<T>, options: {timeout?: number; interval?: number; what?: string} = {}): Promise<NonNullable<T>> {
	const deadline = Date.now() + (options.timeout ?? 10_000);
	for (;;) {
		const value = await check();
		if (value) {
			return value as NonNullable<T>;
		}

		if (Date.now() > deadline) {
			throw new Error(`timed out waiting for ${options.what ?? 'a condition'}`);
		}

		await new Promise(resolve => {
			setTimeout(resolve, options.interval ?? 20);
		});
	}
}
