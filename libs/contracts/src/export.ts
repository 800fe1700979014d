/**
 * Publishes the zod contracts for people and tools outside TypeScript: one JSON Schema per
 * payload and an AsyncAPI 3.0 document of the whole message flow. Everything here is pure and
 * deterministic so the committed files under docs/contracts can be checked for staleness.
 */
import { z } from 'zod';
import { DeadLetter, DeadLetterMessageHeaders } from './dead-letter.js';
import { MessageHeaders } from './headers.js';
import { contracts } from './registry.js';
import { ReportStatus } from './report-status.js';
import { DLQ_PREFIX, Subjects, type Subject } from './subjects.js';
import { Buckets, streamFor } from './topology.js';
import { CONTRACT_VERSION } from './version.js';

/** Where the rendered files go, relative to the workspace root. */
export const CONTRACT_DOCS_DIR = 'docs/contracts';

type JsonObject = Record<string, unknown>;

interface ChannelDoc {
  /** Channel id in the AsyncAPI document, also the stem of its operation ids. */
  readonly channel: string;
  /** Message (and schema) name, the same as the zod schema's. */
  readonly message: string;
  readonly description: string;
  /** Who publishes and who consumes, worded as in the design notes (subjects.md). */
  readonly senders: readonly string[];
  readonly receivers: readonly string[];
}

// `satisfies Record<Subject, ...>`: a new subject does not compile until it is documented here.
const channelDocs = {
  [Subjects.ReportsRequest]: {
    channel: 'reportsRequest',
    message: 'ReportRequest',
    description: 'Ask for a report. Anyone may publish it: the scheduler on its cron, the CLI, the gateway or a plain `nats pub`.',
    senders: ['scheduler', 'cli', 'gateway', 'anyone'],
    receivers: ['aggregator'],
  },
  [Subjects.ReportsFetch]: {
    channel: 'reportsFetch',
    message: 'ReportFetch',
    description: 'One search page to fetch. A work queue: the fetcher replicas share one durable consumer.',
    senders: ['aggregator'],
    receivers: ['fetcher'],
  },
  [Subjects.ReportsPage]: {
    channel: 'reportsPage',
    message: 'ReportPage',
    description: 'One fetched page of search results; the aggregator counts each page once.',
    senders: ['fetcher'],
    receivers: ['aggregator'],
  },
  [Subjects.ReportsAggregated]: {
    channel: 'reportsAggregated',
    message: 'ReportAggregated',
    description: 'A complete report: every page joined, deduplicated and grouped by language.',
    senders: ['aggregator'],
    receivers: ['importer'],
  },
  [Subjects.ReportsReady]: {
    channel: 'reportsReady',
    message: 'ReportReady',
    description: 'The report file was written to the object store and MEDIA_ROOT.',
    senders: ['importer'],
    receivers: ['anyone'],
  },
  [Subjects.ReportsFailed]: {
    channel: 'reportsFailed',
    message: 'ReportFailed',
    description: 'A report will not complete; any stage may say so.',
    senders: ['aggregator', 'fetcher', 'importer'],
    receivers: ['anyone'],
  },
  [Subjects.MailSend]: {
    channel: 'mailSend',
    message: 'MailSend',
    description: 'An e-mail to send from a template.',
    senders: ['anyone'],
    receivers: ['mailer'],
  },
  [Subjects.ErrorsReport]: {
    channel: 'errorsReport',
    message: 'ErrorReport',
    description: "A service's failure; the mailer deduplicates by fingerprint and sends digests to the administrators.",
    senders: ['any service'],
    receivers: ['mailer'],
  },
} as const satisfies Record<Subject, ChannelDoc>;

const deadLetterDoc = {
  channel: 'deadLetters',
  message: 'DeadLetter',
  description:
    'A message taken out of circulation: it failed validation, or kept failing until its deliveries ran out. ' +
    'The payload is the original message byte for byte, so replaying it is a plain republish; the reason and origin travel in `dlq-*` headers. ' +
    'Decoded into one object it reads as the DeadLetter schema (components.schemas.DeadLetter, dead-letter.schema.json).',
  senders: ['bus'],
  receivers: ['operators'],
} as const satisfies ChannelDoc;

/**
 * `io: 'input'` because these schemas describe what a producer may put on the wire: a field
 * with a zod default (`pages`, `perPage`) is optional there, while the output schema would
 * call it required and reject valid hand-written messages.
 * Draft-07 because AsyncAPI 3.0's default schema format is a superset of it, so the standalone
 * files and the payloads embedded in the AsyncAPI document are the same schema.
 */
function jsonSchemaOf(schema: z.ZodType, title: string): JsonObject {
  const { $schema, ...rest } = z.toJSONSchema(schema, { io: 'input', target: 'draft-07' });
  return { $schema, title, ...rest };
}

/** Inside AsyncAPI the document's own schema format applies, so the dialect marker is dropped. */
function embedded(schema: z.ZodType, title: string): JsonObject {
  const { $schema: _dialect, ...rest } = jsonSchemaOf(schema, title);
  return rest;
}

/**
 * One JSON Schema per subject (keyed by subject), plus the report status KV value and the
 * dead letter (keyed by the file stem they are written under).
 */
export function buildJsonSchemas(): Record<string, object> {
  const schemas: Record<string, object> = {};
  for (const subject of Object.values(Subjects)) {
    schemas[subject] = jsonSchemaOf(contracts[subject], channelDocs[subject].message);
  }
  schemas['report-status'] = jsonSchemaOf(ReportStatus, 'ReportStatus');
  schemas['dead-letter'] = jsonSchemaOf(DeadLetter, 'DeadLetter');
  return schemas;
}

function tags(names: readonly string[]): JsonObject[] {
  return names.map((name) => ({ name }));
}

function operations(doc: ChannelDoc): Record<string, JsonObject> {
  const channel = { $ref: `#/channels/${doc.channel}` };
  const messages = [{ $ref: `#/channels/${doc.channel}/messages/${doc.message}` }];
  const suffix = doc.channel.charAt(0).toUpperCase() + doc.channel.slice(1);
  return {
    [`send${suffix}`]: {
      action: 'send',
      channel,
      messages,
      summary: `Sent by: ${doc.senders.join(', ')}`,
      tags: tags(doc.senders),
    },
    [`receive${suffix}`]: {
      action: 'receive',
      channel,
      messages,
      summary: `Received by: ${doc.receivers.join(', ')}`,
      tags: tags(doc.receivers),
    },
  };
}

function message(doc: ChannelDoc, payload: z.ZodType): JsonObject {
  return {
    name: doc.message,
    title: doc.message,
    summary: doc.description,
    contentType: 'application/json',
    headers: { $ref: '#/components/schemas/MessageHeaders' },
    payload: embedded(payload, doc.message),
  };
}

/** The whole message flow as an AsyncAPI 3.0.0 document; info.version is the contract major version. */
export function buildAsyncApi(): object {
  const channels: JsonObject = {};
  const operationsById: JsonObject = {};
  const messages: JsonObject = {};

  for (const subject of Object.values(Subjects)) {
    const doc: ChannelDoc = channelDocs[subject];
    const stream = streamFor(subject);
    channels[doc.channel] = {
      address: subject,
      title: subject,
      description: doc.description,
      messages: { [doc.message]: { $ref: `#/components/messages/${doc.message}` } },
      ...(stream ? { 'x-jetstream-stream': stream.name } : {}),
    };
    Object.assign(operationsById, operations(doc));
    messages[doc.message] = message(doc, contracts[subject]);
  }

  const dlqStream = streamFor(`${DLQ_PREFIX}${Subjects.ReportsRequest}`);
  channels[deadLetterDoc.channel] = {
    address: `${DLQ_PREFIX}{subject}`,
    title: `${DLQ_PREFIX}<subject>`,
    description: deadLetterDoc.description,
    parameters: {
      subject: {
        description: 'The subject the message was originally published on.',
        examples: Object.values(Subjects),
      },
    },
    messages: { [deadLetterDoc.message]: { $ref: `#/components/messages/${deadLetterDoc.message}` } },
    ...(dlqStream ? { 'x-jetstream-stream': dlqStream.name } : {}),
  };
  Object.assign(operationsById, operations(deadLetterDoc));
  messages[deadLetterDoc.message] = {
    name: deadLetterDoc.message,
    title: deadLetterDoc.message,
    summary: deadLetterDoc.description,
    // The original bytes, which need not be JSON: that may be why the message died.
    contentType: 'application/octet-stream',
    headers: embedded(DeadLetterMessageHeaders, 'DeadLetterMessageHeaders'),
    payload: { description: 'The original message payload, unchanged' },
  };

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'hotrepos',
      version: CONTRACT_VERSION,
      description:
        'Reports of newly created GitHub repositories, built by small services that talk only over NATS JetStream. ' +
        'Every message carries the `contract-version` header; a message without it is read as the current version.',
    },
    defaultContentType: 'application/json',
    channels,
    operations: operationsById,
    components: {
      messages,
      schemas: {
        MessageHeaders: embedded(MessageHeaders, 'MessageHeaders'),
        DeadLetter: embedded(DeadLetter, 'DeadLetter'),
        ReportStatus: {
          ...embedded(ReportStatus, 'ReportStatus'),
          // Not a message: the value under the report id in a KV bucket, which clients watch for progress.
          'x-kv-bucket': Buckets.ReportStatus,
        },
      },
    },
  };
}

function renderJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Every generated file, keyed by its path relative to the workspace root, in a stable order. */
export function renderContractDocs(): Map<string, string> {
  const files = new Map<string, string>();
  for (const [stem, schema] of Object.entries(buildJsonSchemas())) {
    files.set(`${CONTRACT_DOCS_DIR}/${stem}.schema.json`, renderJson(schema));
  }
  files.set(`${CONTRACT_DOCS_DIR}/asyncapi.json`, renderJson(buildAsyncApi()));
  return files;
}
