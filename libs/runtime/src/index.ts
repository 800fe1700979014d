export { type HotBus, type ConnectOptions, connectTransport, createHotBus } from './hot-bus.js';
export { type ServiceDeps, type RunningService, type ServiceDefinition, runService } from './run-service.js';
export { type ErrorReporter, createErrorReporter, errorFingerprint } from './error-reporter.js';
export { exitUnlessStoppedWithin, whenParentGone } from './parent-gone.js';
