/** A wait-for edge: `from` waits for `to`, and why. */
export interface WaitEdge {
	from: string;
	to: string;
	why: string;
	task?: string;
}

/**
 * Strongly connected components (Tarjan) of the wait-for graph; returns the cycles: components of
 * two or more agents (an agent never waits for itself here).
 */
export function cyclesOf(edges: readonly WaitEdge[]): string[][] {
	const next = new Map<string, string[]>();
	for (const edge of edges) {
		if (edge.from !== edge.to) {
			next.set(edge.from, [...next.get(edge.from) ?? [], edge.to]);
		}
	}

	const index = new Map<string, number>();
	const low = new Map<string, number>();
	const stack: string[] = [];
	const onStack = new Set<string>();
	const found: string[][] = [];
	let counter = 0;
	// Iterative, so a long chain of waits cannot overflow the call stack.
	const visit = (root: string) => {
		const work: Array<{node: string; child: number}> = [{node: root, child: 0}];
		index.set(root, counter);
		low.set(root, counter++);
		stack.push(root);
		onStack.add(root);
		while (work.length > 0) {
			const frame = work.at(-1)!;
			const children = next.get(frame.node) ?? [];
			if (frame.child < children.length) {
				const child = children[frame.child++]!;
				if (!index.has(child)) {
					index.set(child, counter);
					low.set(child, counter++);
					stack.push(child);
					onStack.add(child);
					work.push({node: child, child: 0});
				} else if (onStack.has(child)) {
					low.set(frame.node, Math.min(low.get(frame.node)!, index.get(child)!));
				}

				continue;
			}

			work.pop();
			const parent = work.at(-1);
			if (parent) {
				low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
			}

			if (low.get(frame.node) === index.get(frame.node)) {
				const component: string[] = [];
				let member: string;
				do {
					member = stack.pop()!;
					onStack.delete(member);
					component.push(member);
				} while (member !== frame.node);
				if (component.length > 1) {
					found.push(component.sort());
				}
			}
		}
	};

	for (const node of next.keys()) {
		if (!index.has(node)) {
			visit(node);
		}
	}

	return found;
}
