export { type NatsServer, type NatsServerOptions, NatsServerStartError, startNatsServer } from './nats-server.js';
export { WaitTimeoutError, waitFor } from './wait-for.js';
export { type Capture, type CapturedMessage, captureSubject } from './capture.js';
export { ProcessExitedError, type ProcessOptions, type RunningProcess, startProcess } from './process.js';
export { type ServiceProcessOptions, repoRoot, startServiceProcess } from './service-process.js';
export { freePort } from './free-port.js';
export { type CommandLine, withParentDeathSignal } from './parent-death.js';
export { pidRunning } from './pid-running.js';
export { type RedisServer, type RedisServerOptions, RedisServerStartError, startRedisServer } from './redis-server.js';
