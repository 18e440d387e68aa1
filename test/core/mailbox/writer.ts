// A concurrent mailbox writer for the load test: node writer.js MAILBOX NAME COUNT EVERY LOCK
// appends COUNT messages from NAME through appendMessage; every EVERY-th goes to echo agent
// `e<n mod 4>`, the rest to `user`. LOCK is the test's own flock file (not CMUX's global one, which
// would make every other test that appends wait behind this load).
import {appendMessage} from '../../../source/core/mailbox/append.js';

const [mailbox, name, count, every, lockFile] = process.argv.slice(2) as [string, string, string, string, string];
for (let index = 0; index < Number(count); index++) {
	const to = index % Number(every) === 0 ? `e${(index / Number(every)) % 4}` : 'user';
	await appendMessage(mailbox, {id: `${name}-${index}`, from: name, to, subject: `${name} ${index}`}, {lockFile});
}
