export { type NatsServer, type NatsServerOptions, NatsServerStartError, startNatsServer } from './nats-server.js';
export { WaitTimeoutError, waitFor } from './wait-for.js';
