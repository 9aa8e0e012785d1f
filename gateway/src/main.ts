import { handleShutdownSignals } from '@deskgraph/runtime';
import { gatewayOptions, readEnvironment } from './environment.js';
import { startGateway } from './server.js';

const gateway = await startGateway(gatewayOptions(readEnvironment()));
handleShutdownSignals(gateway.logger, () => gateway.stop());
