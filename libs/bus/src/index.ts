export type {
  ConsumeOptions,
  ConsumerSpec,
  Delivery,
  DeliveryHandler,
  KeyValueOptions,
  KeyValueStore,
  KvEntry,
  KvWatch,
  ObjectInfo,
  ObjectReadStream,
  ObjectStore,
  PublishAck,
  PublishOptions,
  Readiness,
  ReceivedHeaders,
  Reply,
  RequestMessage,
  RequestOptions,
  RespondOptions,
  StreamSpec,
  Subscription,
  Transport,
} from './transport.js';
export {
  CasConflictError,
  ContractViolation,
  NoRespondersError,
  PayloadTooLargeError,
  RequestTimeoutError,
  TransientError,
  TransportError,
  UnknownSubjectError,
  UnrecoverableError,
} from './errors.js';
export { type Bus, type BusOptions, type ConsumeOpts, type DeadLetterEvent, type Handler, type MessageContext, type PublishOpts, createBus, durableName } from './bus.js';
export { type BackoffPolicy, DEFAULT_BACKOFF, backoffDelay } from './backoff.js';
export { decodeDeadLetter } from './dead-letter.js';
export { type BusLogger, silentLogger } from './log.js';
export { NatsTransport, type NatsTransportOptions } from './nats/transport.js';
export { MemoryTransport, type MemoryTransportOptions } from './memory/transport.js';
export { currentScope, withScope, type Scope } from '@hotrepos/scope';
