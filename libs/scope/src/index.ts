export { type Scope, currentScope, withScope, runInScope } from './scope.js';
export { type TraceContext, parseTraceparent, formatTraceparent, childTraceparent } from './trace-context.js';
