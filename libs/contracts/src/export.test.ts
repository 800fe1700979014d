import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONTRACT_DOCS_DIR, CONTRACT_VERSION, DeadLetterHeaders, Subjects, buildAsyncApi, buildJsonSchemas, renderContractDocs } from './index.js';

const workspaceRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const STALE = 'docs/contracts is stale: run `npm run contracts` and commit the result';

interface AsyncApiDoc {
  asyncapi: string;
  info: { title: string; version: string };
  channels: Record<string, { address: string; messages: Record<string, { $ref: string }>; parameters?: Record<string, unknown> }>;
  operations: Record<string, { action: string; channel: { $ref: string }; messages: { $ref: string }[] }>;
  components: { messages: Record<string, unknown>; schemas: Record<string, unknown> };
}

/** Follows a local JSON pointer such as `#/channels/x/messages/y`. */
function resolveRef(doc: unknown, ref: string): unknown {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc);
}

describe('committed contract docs', () => {
  const rendered = renderContractDocs();

  it.each([...rendered.keys()])('%s is up to date', (path) => {
    const onDisk = join(workspaceRoot, path);
    expect(existsSync(onDisk), `${path} is missing. ${STALE}`).toBe(true);
    expect(readFileSync(onDisk, 'utf8'), STALE).toBe(rendered.get(path));
  });

  it('has no generated file left from a removed contract', () => {
    const onDisk = readdirSync(join(workspaceRoot, CONTRACT_DOCS_DIR))
      .filter((name) => name.endsWith('.json'))
      .map((name) => `${CONTRACT_DOCS_DIR}/${name}`);
    expect(onDisk.sort(), STALE).toEqual([...rendered.keys()].sort());
  });

  it('renders the same bytes every time', () => {
    expect(renderContractDocs()).toEqual(rendered);
  });
});

describe('buildJsonSchemas', () => {
  it('has one schema per subject plus the status and the dead letter', () => {
    expect(Object.keys(buildJsonSchemas()).sort()).toEqual([...Object.values(Subjects), 'dead-letter', 'report-status'].sort());
  });

  it('describes what a producer may send: defaulted fields are not required', () => {
    const schema = buildJsonSchemas()[Subjects.ReportsRequest] as { required: string[]; additionalProperties: boolean };
    expect(schema.required).toEqual(['period']);
    expect(schema.additionalProperties).toBe(false);
  });
});

describe('buildAsyncApi', () => {
  const doc = buildAsyncApi() as AsyncApiDoc;

  it('is an AsyncAPI 3.0.0 document versioned by the contract version', () => {
    expect(doc.asyncapi).toBe('3.0.0');
    expect(doc.info).toMatchObject({ title: 'hotrepos', version: CONTRACT_VERSION });
  });

  it('sends and receives on every channel', () => {
    for (const id of Object.keys(doc.channels)) {
      const actions = Object.values(doc.operations)
        .filter((op) => op.channel.$ref === `#/channels/${id}`)
        .map((op) => op.action)
        .sort();
      expect(actions, id).toEqual(['receive', 'send']);
    }
  });

  it('has every reference resolve, and operations only use their channel’s messages', () => {
    for (const [id, channel] of Object.entries(doc.channels)) {
      for (const message of Object.values(channel.messages)) {
        expect(resolveRef(doc, message.$ref), message.$ref).toBeDefined();
      }
      for (const op of Object.values(doc.operations).filter((o) => o.channel.$ref === `#/channels/${id}`)) {
        for (const message of op.messages) {
          expect(message.$ref.startsWith(`#/channels/${id}/messages/`), message.$ref).toBe(true);
          expect(resolveRef(doc, message.$ref), message.$ref).toBeDefined();
        }
      }
    }
  });

  it('declares the parameter of the dead-letter address', () => {
    const dlq = Object.values(doc.channels).find((c) => c.address === 'dlq.{subject}');
    expect(dlq?.parameters).toHaveProperty('subject');
  });

  it('gives every subject\'s message its strict payload schema and the headers schema', () => {
    for (const subject of Object.values(Subjects)) {
      const channel = Object.values(doc.channels).find((c) => c.address === subject);
      const [ref] = Object.values(channel?.messages ?? {});
      const message = resolveRef(doc, ref?.$ref ?? '') as { payload: unknown; headers: { $ref: string } };
      expect(message.payload, subject).toMatchObject({ type: 'object', additionalProperties: false });
      expect(resolveRef(doc, message.headers.$ref), subject).toMatchObject({ type: 'object' });
    }
  });

  it('documents dead letters as the original bytes with dlq-* headers, and their decoded form', () => {
    const message = doc.components.messages.DeadLetter as { headers: { properties: Record<string, unknown>; required: string[] } };
    expect(message.headers.required).toEqual(expect.arrayContaining([DeadLetterHeaders.Reason, DeadLetterHeaders.Subject]));
    expect(Object.keys(message.headers.properties)).toEqual(expect.arrayContaining(Object.values(DeadLetterHeaders)));
    expect(doc.components.schemas.DeadLetter).toMatchObject({ title: 'DeadLetter', additionalProperties: false });
  });
});
