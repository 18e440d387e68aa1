import {tmuxCheck, type Check} from './health/checks.js';
import {logsCheck} from './logs/check.js';

/** `cmux-tui check`: every health check, in the order they are printed. Features add theirs here. */
export const healthChecks: readonly Check[] = [tmuxCheck, logsCheck];
