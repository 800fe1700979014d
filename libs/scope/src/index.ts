export { type Scope, currentScope, scopeWith, withScope, runInScope } from './scope.js';
export { type TraceContext, parseTraceparent, formatTraceparent, childTraceparent } from './trace-context.js';
