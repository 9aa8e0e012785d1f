import type { Connection } from '@deskgraph/database';
import type { Conversation } from './conversation.entity.js';

export type ConversationConnection = Connection<Conversation>;
