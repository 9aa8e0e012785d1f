import type { AgentStatus } from '../users/user.entity.js';

/** An `agent.status_changed` event before its fields are resolved (the user loads per event). */
export interface AgentStatusChangeEvent {
  userId: string;
  status: AgentStatus;
  previousStatus: AgentStatus;
  changedAt: Date;
}
