/** The agents table's row types live with its SQL in the store; re-exported for the agents feature. */
export type {AgentRowUpdate, AgentState} from '../store/agents.js';
