import {agentsCheck} from './agents/check.js';
import {tmuxCheck, type Check} from './health/checks.js';
import {frontendCheck} from './frontend/checks.js';
import {logsCheck} from './logs/check.js';
import {serverCheck} from './server/checks.js';

/** `cmux-tui check`: every health check, in the order they are printed. Features add theirs here. */
export const healthChecks: readonly Check[] = [tmuxCheck, agentsCheck, serverCheck, frontendCheck, logsCheck];
