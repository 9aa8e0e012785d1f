import type { Connection } from '@deskgraph/database';
import type { Message } from './message.entity.js';

export type MessageConnection = Connection<Message>;
